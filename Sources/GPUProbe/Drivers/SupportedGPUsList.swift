/// Reads `supported-gpus/supported-gpus.json`, the list of chips an NVIDIA installer supports.
///
/// The file is one object, `{"chips":[...]}`; each entry has `devid` (`"0x2C3A"`), optionally
/// `subdevid` and `subvendorid` for one board, `name`, optionally `legacybranch` (`"580.xx"`:
/// only that older branch supports the chip) and `features` (a list of short tokens such as
/// `kernelopen`). Keys this reader does not know are ignored, so later additions by NVIDIA do not
/// break it; an entry it cannot read makes the whole file a ``SupportedGPUsError``, because a
/// list with holes would answer "not listed" for chips it does list.
///
/// The file comes from a downloaded payload, so its size, its number of entries and of JSON
/// values, and every value used are bounded before or while it is read: NVIDIA's lists (450 to
/// 555) are 265 to 341 KB, 1,805 to 2,224 entries and at most about 30,000 values, and the
/// bounds below are about ten times that.
public enum SupportedGPUsList {
    /// The path inside the payload, after the package folder.
    public static let pathSuffix = "supported-gpus/supported-gpus.json"

    /// The largest file read, 4 MiB: NVIDIA's are under 350 KB.
    public static let sizeLimit = 4 << 20

    /// The most entries in `chips`: NVIDIA's have at most 2,224.
    public static let entryLimit = 16_384

    /// The most JSON values the file may hold (``JSONValueCount``).
    ///
    /// NVIDIA's have at most about 30,000. It bounds the memory of the parsed tree, which for
    /// a file of minimal values is many times the file's size.
    static let valueLimit = 262_144

    /// The longest chip name accepted (NVIDIA's longest is 47 characters).
    static let nameLimit = 256

    /// The most `features` of one entry (NVIDIA's have at most 8), and the longest one.
    static let featureLimit = 64
    static let featureLength = 64

    /// The longest `legacybranch` (`173.14.xx`).
    static let branchLength = 16

    /// Parses the file's bytes.
    ///
    /// - Parameter bytes: the whole file.
    /// - Returns: the entries in file order.
    /// - Throws: ``SupportedGPUsError`` when the file is over a bound, the text is not JSON of
    ///   this shape, or an entry's value is not usable (IDs not 16-bit hex numbers, a
    ///   `legacybranch` that is not a branch such as `470.xx`, a feature that is not a short
    ///   token).
    public static func parse(_ bytes: [UInt8]) throws(SupportedGPUsError) -> [SupportedChip] {
        guard bytes.count <= sizeLimit else {
            throw .tooLarge(
                reason: "is \(bytes.count) bytes, over the \(sizeLimit >> 20) MiB gpuprobe reads "
                    + "(NVIDIA's are under 350 KB)"
            )
        }
        guard JSONValueCount.count(bytes, stoppingAfter: valueLimit) <= valueLimit else {
            throw .tooLarge(
                reason: "holds more than \(valueLimit) JSON values (NVIDIA's hold about 30,000)"
            )
        }
        let file: RawFile
        do {
            let value = try JSONCoding.parse(bytes)
            file = try JSONCoding.decode(RawFile.self, from: value)
        } catch let error as JSONParser.Failure {
            throw .notValid(reason: "not JSON: \(error)")
        } catch let error as DecodingError {
            throw .notValid(reason: describe(error))
        } catch {
            throw .notValid(reason: "\(error)")
        }
        guard file.chips.count <= entryLimit else {
            throw .tooLarge(
                reason: "lists \(file.chips.count) chips, over the \(entryLimit) gpuprobe reads "
                    + "(NVIDIA's list about 2,200)"
            )
        }
        var chips: [SupportedChip] = []
        chips.reserveCapacity(file.chips.count)
        for (index, raw) in file.chips.enumerated() {
            chips.append(try chip(raw, index: index))
        }
        return chips
    }

    /// What an installer record keeps of a list: what ``DriverInstaller/support(deviceID:subsystemVendorID:subsystemDeviceID:)``
    /// reads, and nothing else.
    ///
    /// Only the first entry for each (device, subsystem vendor, subsystem device) is kept, as
    /// the matcher only ever picks the first, and `features`, which nothing decides from, are
    /// dropped: the record, and the driver cache that holds it, stay a few hundred bytes per
    /// distinct chip whatever the list repeats.
    /// - Parameter chips: a parsed list.
    /// - Returns: the list in the same order, without repeats and without features.
    public static func compacted(_ chips: [SupportedChip]) -> [SupportedChip] {
        struct Key: Hashable {
            var device: UInt16
            var vendor: UInt16?
            var subsystem: UInt16?
        }
        var seen = Set<Key>()
        var kept: [SupportedChip] = []
        for chip in chips {
            let key = Key(
                device: chip.deviceID,
                vendor: chip.subsystemVendorID,
                subsystem: chip.subsystemDeviceID
            )
            guard seen.insert(key).inserted else { continue }
            var copy = chip
            copy.features = []
            kept.append(copy)
        }
        return kept
    }

    /// One entry, checked.
    private static func chip(_ raw: RawChip, index: Int) throws(SupportedGPUsError) -> SupportedChip
    {
        func id(_ key: String, _ text: String?) throws(SupportedGPUsError) -> UInt16? {
            guard let text else { return nil }
            guard let value = hexID(text) else {
                throw .badEntry(
                    index: index,
                    reason: "\(key) \(HeaderText.quote(text.utf8)) is not a 16-bit hex number"
                )
            }
            return value
        }
        let name = raw.name ?? ""
        guard isPlainName(name) else {
            throw .badEntry(
                index: index,
                reason: "name \(HeaderText.quote(name.utf8)) is not a plain chip name"
            )
        }
        guard let deviceID = try id("devid", raw.devid) else {
            throw .badEntry(index: index, reason: "it has no devid")
        }
        if let branch = raw.legacybranch, !isBranch(branch) {
            throw .badEntry(
                index: index,
                reason: "legacybranch \(HeaderText.quote(branch.utf8)) is not a driver branch "
                    + "such as 470.xx"
            )
        }
        let features = raw.features ?? []
        guard features.count <= featureLimit else {
            throw .badEntry(
                index: index,
                reason: "it has \(features.count) features, more than \(featureLimit)"
            )
        }
        if let bad = features.first(where: { !isFeature($0) }) {
            throw .badEntry(
                index: index,
                reason: "feature \(HeaderText.quote(bad.utf8)) is not a word of letters, digits, "
                    + "'_', '-' or '.'"
            )
        }
        return SupportedChip(
            deviceID: deviceID,
            subsystemDeviceID: try id("subdevid", raw.subdevid),
            subsystemVendorID: try id("subvendorid", raw.subvendorid),
            name: name,
            legacyBranch: raw.legacybranch,
            features: features
        )
    }

    /// A legacy branch as NVIDIA writes it: `470.xx`, `173.14.xx`, `71.86.xx`.
    static func isBranch(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= branchLength, bytes.count >= 4,
            bytes.suffix(3).elementsEqual(".xx".utf8)
        else { return false }
        let parts = bytes.dropLast(3).split(separator: 0x2E, omittingEmptySubsequences: false)
        return (1...2).contains(parts.count)
            && parts.allSatisfy { (1...4).contains($0.count) && $0.allSatisfy(HeaderText.isDigit) }
    }

    /// A feature token: `kernelopen`, `gsp_proprietary_supported`, `vdpaufeaturesetH2`.
    static func isFeature(_ text: String) -> Bool {
        (1...featureLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { HeaderText.isWordByte($0) || $0 == 0x2D || $0 == 0x2E }
    }

    /// A chip name gpuprobe keeps: at most ``nameLimit`` bytes, nothing that changes how a
    /// line of text reads.
    static func isPlainName(_ name: String) -> Bool {
        name.utf8.count <= nameLimit && !name.unicodeScalars.contains(where: isUnsafeInText)
    }

    /// Characters that would change how a line of text reads: controls (a newline, an escape)
    /// and the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069).
    private static func isUnsafeInText(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// `0x2C3A`, `0x2c3a` or `2C3A` as a number; nil for anything else.
    static func hexID(_ text: String) -> UInt16? {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard (1...4).contains(digits.utf8.count), digits.utf8.allSatisfy(HeaderText.isHexDigit)
        else { return nil }
        return UInt16(digits, radix: 16)
    }

    /// A short reason, with the path of the offending value (`chips[3].devid`).
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = JSONCoding.path(context.codingPath)
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = context.codingPath.isEmpty ? "the top level" : path(context)
            return "no \"\(key.stringValue)\" in \(at)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The file as written; every field but `chips` and `devid` may be missing.
    private struct RawFile: Decodable {
        var chips: [RawChip]
    }

    private struct RawChip: Decodable {
        var devid: String?
        var subdevid: String?
        var subvendorid: String?
        var name: String?
        var legacybranch: String?
        var features: [String]?
    }
}

/// Why supported-gpus.json could not be read.
public enum SupportedGPUsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not JSON of the expected shape.
    case notValid(reason: String)
    /// Entry `index` (0-based) of `chips` has a value that is not usable.
    case badEntry(index: Int, reason: String)
    /// The file is over one of the reader's bounds; `reason` says which.
    case tooLarge(reason: String)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .notValid(let reason):
            "supported-gpus.json in the payload is not valid (\(reason)); the installer is "
                + "damaged or altered: download it again from NVIDIA"
        case .badEntry(let index, let reason):
            "supported-gpus.json in the payload is not valid (chips[\(index)]: \(reason)); the "
                + "installer is damaged or altered: download it again from NVIDIA"
        case .tooLarge(let reason):
            "supported-gpus.json in the payload \(reason); the installer is damaged or altered: "
                + "download it again from NVIDIA"
        }
    }
}
