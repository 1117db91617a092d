/// Walks a tar stream fed in pieces and keeps the data of the last regular file whose path
/// matches.
///
/// The last, because that is the one `tar x` leaves on disk when a path is given twice (each
/// member overwrites the one before), and so the one the installer, run after extraction,
/// sees. The walk therefore goes on to the end of the archive after a match.
///
/// Reads the three header dialects `tar` writes: POSIX ustar (a `prefix` field before the
/// name), GNU long names (a type `L` member holding the next member's name) and pax extended
/// headers (a type `x` member whose `path` record names the next member). Sizes may be octal or
/// GNU base-256. Every header's checksum is verified, so a corrupt stream is reported rather
/// than misread. Nothing is written anywhere: other members' data is skipped as it streams by.
struct TarScanner {
    /// What the current member's data is kept for.
    private enum Keep {
        case nothing
        case longName
        case paxHeader
        case target
    }

    /// The longest GNU long name or pax header kept.
    static let metadataLimit = 1 << 20

    private let matches: (String) -> Bool
    private let limit: Int
    /// A header block being assembled across pieces.
    private var header: [UInt8] = []
    /// Data bytes of the current member still to come, then its padding to 512.
    private var dataLeft: Int64 = 0
    private var paddingLeft: Int64 = 0
    private var keep = Keep.nothing
    private var kept: [UInt8] = []
    /// The name a preceding `L` or pax `path` gave the next member.
    private var pendingName: String?
    private var zeroBlocks = 0
    /// Bytes consumed, for messages.
    private var offset: Int64 = 0

    /// The last matching member's data read in full so far.
    private(set) var found: [UInt8]?
    /// How many matching members were read in full.
    private(set) var matchCount = 0
    /// Whether the end-of-archive blocks were read.
    private(set) var ended = false

    /// Whether the stream stopped between members, where a tar may end.
    var isBetweenMembers: Bool { header.isEmpty && dataLeft == 0 && paddingLeft == 0 }

    /// A scanner looking for the last regular file for which `matches` returns true; its
    /// data may be at most `limit` bytes.
    init(limit: Int, matches: @escaping (String) -> Bool) {
        self.limit = limit
        self.matches = matches
    }

    /// Consumes the next piece of the stream.
    ///
    /// - Returns: true once the scan is over: the archive ended.
    /// - Throws: ``PayloadError`` for a header that fails its checksum or a file over the limit.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(PayloadError) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if ended { return true }
            if dataLeft > 0 {
                let take = Int(min(Int64(count - index), dataLeft))
                if keep != .nothing {
                    kept.append(
                        contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)])
                    )
                }
                index += take
                dataLeft -= Int64(take)
                if dataLeft == 0 { try memberDone() }
            } else if paddingLeft > 0 {
                let take = Int(min(Int64(count - index), paddingLeft))
                index += take
                paddingLeft -= Int64(take)
            } else {
                let take = min(count - index, 512 - header.count)
                header.append(
                    contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)])
                )
                index += take
                if header.count == 512 {
                    let block = header
                    header.removeAll(keepingCapacity: true)
                    try readHeader(block)
                    offset &+= 512
                }
            }
        }
        return ended
    }

    /// Handles one 512-byte header block.
    private mutating func readHeader(_ block: [UInt8]) throws(PayloadError) {
        if block.allSatisfy({ $0 == 0 }) {
            zeroBlocks += 1
            if zeroBlocks >= 2 { ended = true }
            return
        }
        zeroBlocks = 0
        guard checksumMatches(block) else {
            throw .corrupt("tar header at uncompressed byte \(offset) fails its checksum")
        }
        guard let size = Self.size(block[124..<136]) else {
            throw .corrupt("tar header at uncompressed byte \(offset) has an unreadable size")
        }
        let type = block[156]
        let path = pendingName ?? Self.path(block)
        switch type {
        case 0x4C:  // "L": the next member's long name
            keep = size <= Self.metadataLimit ? .longName : .nothing
        case 0x78:  // "x": pax extended header for the next member
            keep = size <= Self.metadataLimit ? .paxHeader : .nothing
        case 0x30, 0x00, 0x37:  // "0", NUL, "7": regular file
            pendingName = nil
            if matches(path) {
                guard size <= Int64(limit) else {
                    throw .memberTooLarge(path: path, limit: limit)
                }
                keep = .target
            } else {
                keep = .nothing
            }
        default:  // directories, links, "K", "g" and the rest: data is skipped
            if type != 0x4B, type != 0x67 { pendingName = nil }
            keep = .nothing
        }
        kept = []
        if keep != .nothing { kept.reserveCapacity(Int(size)) }
        dataLeft = size
        paddingLeft = (512 - size % 512) % 512
        offset &+= size &+ paddingLeft
        if size == 0 { try memberDone() }
    }

    /// The current member's data is complete.
    private mutating func memberDone() throws(PayloadError) {
        switch keep {
        case .nothing:
            break
        case .longName:
            let name = kept.prefix { $0 != 0 }
            pendingName = String(decoding: name, as: UTF8.self)
        case .paxHeader:
            if let path = Self.paxPath(kept) { pendingName = path }
        case .target:
            found = kept
            matchCount += 1
        }
        keep = .nothing
        kept = []
    }

    /// The sum of the header's bytes with the checksum field read as spaces, compared with the
    /// octal number in that field (old tars summed signed bytes; both are accepted).
    private func checksumMatches(_ block: [UInt8]) -> Bool {
        guard let stored = Self.octal(block[148..<156]) else { return false }
        var unsigned = 0
        var signed = 0
        for (index, byte) in block.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        return stored == Int64(unsigned) || stored == Int64(signed)
    }

    /// The member path: `prefix/name` for POSIX ustar, `name` otherwise.
    private static func path(_ block: [UInt8]) -> String {
        let name = block[0..<100].prefix { $0 != 0 }
        let isPOSIX = block[257..<263].elementsEqual(Array("ustar\0".utf8))
        let prefix = isPOSIX ? block[345..<500].prefix { $0 != 0 } : []
        if prefix.isEmpty { return String(decoding: name, as: UTF8.self) }
        return String(decoding: prefix, as: UTF8.self) + "/" + String(decoding: name, as: UTF8.self)
    }

    /// The size field: octal digits, or GNU base-256 when the first byte's high bit is set.
    static func size(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            let magnitude = [first & 0x7F] + field.dropFirst()
            guard magnitude.dropLast(7).allSatisfy({ $0 == 0 }) else { return nil }
            let value = magnitude.suffix(7).reduce(Int64(0)) { $0 << 8 | Int64($1) }
            return value
        }
        return octal(field)
    }

    /// An octal number padded with spaces or NULs; nil when other bytes appear.
    static func octal(_ field: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        var done = false
        for byte in field {
            switch byte {
            case 0x30...0x37 where !done:
                guard digits < 21 else { return nil }
                value = value << 3 | Int64(byte - 0x30)
                digits += 1
            case 0x20 where digits == 0:
                continue
            case 0x20, 0x00:
                done = true
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }

    /// The `path` record of a pax extended header (`"<length> path=<value>\n"` records).
    static func paxPath(_ data: [UInt8]) -> String? {
        var start = 0
        var path: String?
        while start < data.count {
            guard let space = data[start...].firstIndex(of: 0x20),
                let length = Int(String(decoding: data[start..<space], as: UTF8.self)),
                length > space - start, start + length <= data.count
            else { return path }
            let record = data[(space + 1)..<(start + length)]
            if let equals = record.firstIndex(of: 0x3D),
                String(decoding: record[..<equals], as: UTF8.self) == "path"
            {
                var value = record[(equals + 1)...]
                if value.last == 0x0A { value = value.dropLast() }
                path = String(decoding: value, as: UTF8.self)
            }
            start += length
        }
        return path
    }
}
