/// Finds `supported-gpus/supported-gpus.json` in an installer's payload as the file streams by.
///
/// Fed every byte of the file in order, from the start: it passes the `skip - 1` lines of
/// stub (and embedded decompressor), sniffs the compression from the payload's magic bytes,
/// decodes the whole stream, walking the tar inside it, so that the stream's own checksum is
/// verified: a payload cut or altered anywhere is noticed.
///
/// The decoded bytes are bounded, because a few megabytes of xz can decode to tens of
/// gigabytes, a minute of CPU for a file that is no installer: in all by ``decodedLimit``, and
/// past the first ``ratioSlack`` bytes to ``ratioLimit`` times the compressed bytes fed so far.
struct PayloadScanner {
    /// Where the scanner is.
    private enum Phase {
        /// Passing stub lines; the count is the line breaks still to pass.
        case skippingLines(Int)
        /// Collecting the payload's first bytes to tell the compression.
        case sniffing
        /// Decoding.
        case decoding(any PayloadDecoder)
        /// Finished with the payload: the stream ended.
        case done(any PayloadDecoder)
    }

    /// How far into the file the payload may start: the stub is tens of kilobytes and an
    /// embedded xz decompressor about a hundred, so a larger offset means a bad `skip`.
    static let offsetLimit: Int64 = 16 << 20

    /// Bytes sniffed: the xz stream header's magic and flags (the footer repeats the flags).
    static let magicCount = 8

    /// The most bytes decoded, 2 GiB: NVIDIA's payloads decode to well under 1 GiB (the
    /// largest .run is under 450 MB, and its ELF libraries and firmware compress about 3:1), so
    /// this leaves twice the largest real payload while bounding a bomb to a few seconds.
    static let decodedLimit: Int64 = 2 << 30

    /// The most decoded bytes per compressed byte, past ``ratioSlack``: xz and gzip reach
    /// about 3:1 on NVIDIA's payload (ELF libraries and firmware) and 10:1 on text, while a
    /// bomb's runs of one byte reach 1,000:1 to 7,000:1; so a bomb is stopped after some
    /// 100 MiB, in a fraction of a second, instead of at 2 GiB.
    static let ratioLimit: Int64 = 64

    /// Bytes decoded before ``ratioLimit`` applies, so that a highly compressible start (a
    /// tar of small text files) is not mistaken for a bomb.
    static let ratioSlack: Int64 = 64 << 20

    private let skip: Int
    private let offsetLimit: Int64
    private let decodedLimit: Int64
    private let ratioSlack: Int64
    private var decoded: Int64 = 0
    /// Compressed bytes given to the decoder so far.
    private var compressed: Int64 = 0
    private var phase: Phase
    private var tar: TarScanner
    private var position: Int64 = 0
    private var magic: [UInt8] = []

    /// The payload's compression, once sniffed (`gzip`, `xz`, `bzip2`).
    private(set) var compression: String?

    /// The list's bytes: the last copy in the archive read so far.
    var found: [UInt8]? { tar.found }

    /// How many copies of the list the archive held.
    var foundCount: Int { tar.matchCount }

    /// A scanner for a payload starting at line `skip` (1-based) no further than `offsetLimit`
    /// bytes into the file, whose list may be at most `limit` bytes, and that decodes to at
    /// most `decodedLimit` bytes.
    init(
        skip: Int,
        limit: Int,
        offsetLimit: Int64 = Self.offsetLimit,
        decodedLimit: Int64 = Self.decodedLimit,
        ratioSlack: Int64 = Self.ratioSlack
    ) {
        self.skip = skip
        self.offsetLimit = offsetLimit
        self.decodedLimit = decodedLimit
        self.ratioSlack = ratioSlack
        phase = skip > 1 ? .skippingLines(skip - 1) : .sniffing
        tar = TarScanner(limit: limit) { path in
            path == SupportedGPUsList.pathSuffix
                || path.hasSuffix("/" + SupportedGPUsList.pathSuffix)
        }
    }

    /// Consumes the file's next bytes.
    ///
    /// - Throws: ``PayloadError`` when the payload cannot be read; the scanner is spent then.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(PayloadError) {
        var rest = chunk
        while !rest.isEmpty {
            switch phase {
            case .skippingLines(let lines):
                var left = lines
                var index = rest.startIndex
                while left > 0, let newline = rest[index...].firstIndex(of: 0x0A) {
                    left -= 1
                    index = newline + 1
                }
                if left > 0 { index = rest.endIndex }
                position += Int64(index - rest.startIndex)
                rest = UnsafeRawBufferPointer(rebasing: rest[index...])
                phase = left > 0 ? .skippingLines(left) : .sniffing
                if left > 0, position > offsetLimit {
                    throw .payloadTooFar(skip: skip, limit: offsetLimit)
                }
            case .sniffing:
                let take = min(Self.magicCount - magic.count, rest.count)
                magic += rest.prefix(take)
                rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                guard magic.count == Self.magicCount else { break }
                let decoder = try Self.decoder(for: magic, compression: &compression)
                phase = .decoding(decoder)
                let first = magic
                var failure: PayloadError?
                first.withUnsafeBytes { bytes in
                    do throws(PayloadError) {
                        try decode(bytes, with: decoder)
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
            case .decoding(let decoder):
                try decode(rest, with: decoder)
                rest = UnsafeRawBufferPointer(rebasing: rest[rest.endIndex...])
            case .done:
                return
            }
        }
    }

    /// Ends the scan at the end of the file.
    ///
    /// - Throws: ``PayloadError/truncated`` when the file ends before the payload does (the
    ///   stub, the magic bytes, the compressed stream), and
    ///   ``PayloadError/corrupt(_:)`` for a stream that ends inside a tar member.
    mutating func finish() throws(PayloadError) {
        switch phase {
        case .skippingLines:
            throw .endsBeforePayload(skip: skip)
        case .sniffing:
            throw .truncated
        case .decoding(let decoder):
            guard decoder.isFinished else { throw .truncated }
            try checkTarEnd()
        case .done:
            try checkTarEnd()
        }
    }

    /// Feeds the decoder and moves to `done` when the stream is over.
    private mutating func decode(
        _ input: UnsafeRawBufferPointer,
        with decoder: any PayloadDecoder
    ) throws(PayloadError) {
        // Decoding goes on past the archive's end blocks (the tar's padding, a few KiB) to the
        // stream's end, so that its checksum (gzip's CRC-32, xz's check) is verified too.
        compressed += Int64(input.count)
        let progress = try decoder.decode(input) { (piece) throws(PayloadError) -> Bool in
            decoded += Int64(piece.count)
            guard decoded <= decodedLimit else { throw .decodedTooLarge(limit: decodedLimit) }
            guard decoded <= ratioSlack || decoded / Self.ratioLimit <= compressed else {
                throw .ratioTooHigh(decoded: decoded, compressed: compressed)
            }
            _ = try tar.consume(piece)
            return true
        }
        if progress != .needsInput { phase = .done(decoder) }
    }

    /// A stream may end between tar members (with or without end blocks), not inside one.
    private func checkTarEnd() throws(PayloadError) {
        guard tar.ended || tar.isBetweenMembers else {
            throw .corrupt("the tar archive ends inside a member")
        }
    }

    /// The decoder for the payload's first bytes.
    private static func decoder(
        for magic: [UInt8],
        compression: inout String?
    ) throws(PayloadError) -> any PayloadDecoder {
        if magic.starts(with: [0x1F, 0x8B]) {
            compression = "gzip"
            return try GzipDecoder()
        }
        if magic.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            compression = "xz"
            return try XZDecoder()
        }
        if magic.starts(with: Array("BZh".utf8)) {
            compression = "bzip2"
            throw .unsupportedCompression("bzip2")
        }
        throw .unknownCompression(start: HeaderText.hex(magic))
    }
}

/// Why an installer's payload could not be read.
enum PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file ends before the payload does.
    case truncated
    /// The file ends before line `skip`, where the header says the payload starts.
    case endsBeforePayload(skip: Int)
    /// Line `skip` is further into the file than any real stub reaches.
    case payloadTooFar(skip: Int, limit: Int64)
    /// The decoder or the tar walk found damage; the text is zlib's, xz's or ours.
    case corrupt(String)
    /// A compression NVIDIA's makeself can write but this reader does not decode.
    case unsupportedCompression(String)
    /// Neither gzip nor xz nor bzip2; `start` is the first bytes in hex.
    case unknownCompression(start: String)
    /// The list is larger than the reader keeps.
    case memberTooLarge(path: String, limit: Int)
    /// The payload decodes to more than the reader decodes.
    case decodedTooLarge(limit: Int64)
    /// The payload decodes to more than ``PayloadScanner/ratioLimit`` times its size.
    case ratioTooHigh(decoded: Int64, compressed: Int64)

    /// One line: what is wrong and what to do.
    var description: String {
        switch self {
        case .truncated:
            "payload ends early: truncated download? download it again"
        case .endsBeforePayload(let skip):
            "the file ends before line \(skip), where its header says the payload starts: "
                + "truncated download? download it again"
        case .payloadTooFar(let skip, let limit):
            "the header says the payload starts at line \(skip), which is more than "
                + "\(limit >> 10) KiB into the file; the header is damaged: download it again"
        case .corrupt(let message):
            "payload is corrupt: \(message); download it again"
        case .unsupportedCompression(let name):
            "the payload is \(name)-compressed, which gpuprobe does not read; "
                + "use NVIDIA's gzip or xz package"
        case .unknownCompression(let start):
            "the payload is neither gzip nor xz (it starts with \(start)); the header's skip "
                + "is wrong or the file is damaged: download it again"
        case .memberTooLarge(let path, let limit):
            "\(HeaderText.quote(path.utf8)) in the payload is larger than \(Self.size(limit)); "
                + "the installer is damaged or altered: download it again"
        case .decodedTooLarge(let limit):
            "the payload decodes to more than \(Self.size(limit)) before its archive ends, "
                + "which no NVIDIA installer does (a compression bomb?); the file is damaged or "
                + "not NVIDIA's: download it again from NVIDIA"
        case .ratioTooHigh(let decoded, let compressed):
            "the payload decodes to more than \(PayloadScanner.ratioLimit) times its size "
                + "(\(decoded >> 20) MiB from \(compressed >> 10) KiB), which no NVIDIA installer "
                + "does (a compression bomb?); the file is damaged or not NVIDIA's: download it "
                + "again from NVIDIA"
        }
    }

    /// A byte count as messages give it: `4 MiB`, `2 GiB`, `512 KiB`.
    static func size(_ bytes: some BinaryInteger) -> String {
        let value = Int64(bytes)
        if value >= 1 << 30, value % (1 << 30) == 0 { return "\(value >> 30) GiB" }
        if value >= 1 << 20, value % (1 << 20) == 0 { return "\(value >> 20) MiB" }
        if value >= 1 << 10, value % (1 << 10) == 0 { return "\(value >> 10) KiB" }
        return "\(value) bytes"
    }
}
