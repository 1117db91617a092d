/// Reads `supported-gpus/supported-gpus.json`, the list of chips an NVIDIA installer supports.
///
/// The file is one object, `{"chips":[...]}`; each entry has `devid` (`"0x2C3A"`), optionally
/// `subdevid` and `subvendorid` for one board, `name`, optionally `legacybranch` (`"580.xx"`:
/// only that older branch supports the chip) and `features` (shared/reference/drivers-ascend.md
/// §3.3). Keys this reader does not know are ignored, so later additions by NVIDIA do not break
/// it; an entry it cannot read makes the whole file a ``SupportedGPUsError``, because a list
/// with holes would answer "not listed" for chips it does list.
public enum SupportedGPUsList {
    /// The path inside the payload, after the package folder.
    public static let pathSuffix = "supported-gpus/supported-gpus.json"

    /// The longest chip name accepted.
    static let nameLimit = 256

    /// Parses the file's bytes.
    ///
    /// - Parameter bytes: the whole file.
    /// - Returns: the entries in file order.
    /// - Throws: ``SupportedGPUsError`` when the text is not JSON of this shape or an entry's
    ///   IDs are not 16-bit hex numbers.
    public static func parse(_ bytes: [UInt8]) throws(SupportedGPUsError) -> [SupportedChip] {
        let file: RawFile
        do {
            file = try JSONCoding.decode(RawFile.self, from: bytes)
        } catch let error as DecodingError {
            throw .notValid(reason: describe(error))
        } catch {
            throw .notValid(reason: "\(error)")
        }
        var chips: [SupportedChip] = []
        chips.reserveCapacity(file.chips.count)
        for (index, raw) in file.chips.enumerated() {
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
            guard name.count <= nameLimit,
                !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw .badEntry(
                    index: index,
                    reason: "name \(HeaderText.quote(name.utf8)) is not a plain chip name"
                )
            }
            guard let deviceID = try id("devid", raw.devid) else {
                throw .badEntry(index: index, reason: "it has no devid")
            }
            chips.append(
                SupportedChip(
                    deviceID: deviceID,
                    subsystemDeviceID: try id("subdevid", raw.subdevid),
                    subsystemVendorID: try id("subvendorid", raw.subvendorid),
                    name: name,
                    legacyBranch: raw.legacybranch,
                    features: raw.features ?? []
                )
            )
        }
        return chips
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
            return context.codingPath.isEmpty
                ? "not JSON" : "\(path(context)): \(context.debugDescription)"
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

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .notValid(let reason):
            "supported-gpus.json in the payload is not valid (\(reason)); the installer is "
                + "damaged or altered: download it again from NVIDIA"
        case .badEntry(let index, let reason):
            "supported-gpus.json in the payload is not valid (chips[\(index)]: \(reason)); the "
                + "installer is damaged or altered: download it again from NVIDIA"
        }
    }
}
