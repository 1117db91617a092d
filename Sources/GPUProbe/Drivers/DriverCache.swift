/// What gpuprobe already read from installers, so that a folder of 300 MB files is read once.
///
/// One JSON file, `$XDG_CACHE_HOME/gpuprobe/drivers-v1.json` (else
/// `$HOME/.cache/gpuprobe/drivers-v1.json`), maps each installer's absolute path to the size,
/// modification and change times (nanoseconds), device and inode it had when read, and to the
/// ``DriverInstaller`` read from it. An entry counts only while all five still match, so a file
/// that was replaced, grew, was edited in place or was touched is read again. The cache is a
/// convenience, never a source of failure: a missing file is treated as empty; an unreadable,
/// corrupt or oversized one is treated as empty with a note, and replaced on the next save; an
/// entry that cannot be read is dropped with a note and its installer read again; a location
/// that cannot be written gives a note, not an error.
///
/// The file never grows past what ``read()`` reads (``sizeLimit`` bytes, ``valueLimit`` JSON
/// values): ``save(_:keeping:)`` leaves entries out, with a note, rather than write one it would
/// refuse to read back.
public struct DriverCache: Hashable, Sendable {
    /// The cache file.
    public let path: String

    /// The format written and accepted; bump it whenever the reader's output changes meaning,
    /// so that entries from an older reader are read again.
    ///
    /// v2: entries are keyed on the change time and device too, and keep only what the matcher
    /// reads of each list (``SupportedGPUsList/compacted(_:)``).
    static let format = "gpuprobe/drivers-cache/v2"

    /// A cache stored at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The cache at the default location for `environment`, or nil when neither
    /// `XDG_CACHE_HOME` nor `HOME` is an absolute path (``unavailableNote`` says so).
    public init?(environment: [String: String]) {
        guard let path = Self.defaultPath(environment: environment) else { return nil }
        self.path = path
    }

    /// What to tell the user when there is no cache location.
    public static let unavailableNote =
        "no driver cache: neither XDG_CACHE_HOME nor HOME is set to an absolute path, so every "
        + "installer is read in full on every run; set XDG_CACHE_HOME to a writable folder to "
        + "keep what was read"

    /// Where the cache lives for an environment (pure: no file is touched).
    ///
    /// `$XDG_CACHE_HOME/gpuprobe/drivers-v1.json` when `XDG_CACHE_HOME` is set to an absolute
    /// path (the XDG Base Directory rule: a relative one is ignored), else
    /// `$HOME/.cache/gpuprobe/drivers-v1.json`, else nil.
    /// - Parameter environment: the process environment, for example
    ///   `ProcessInfo.processInfo.environment`.
    /// - Returns: the file path, or nil.
    public static func defaultPath(environment: [String: String]) -> String? {
        func base(_ key: String) -> String? {
            guard let value = environment[key], value.hasPrefix("/") else { return nil }
            var trimmed = Substring(value)
            while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            return trimmed == "/" ? "" : String(trimmed)
        }
        if let xdg = base("XDG_CACHE_HOME") { return xdg + "/gpuprobe/drivers-v1.json" }
        if let home = base("HOME") { return home + "/.cache/gpuprobe/drivers-v1.json" }
        return nil
    }

    /// One remembered read.
    ///
    /// The installer's list is written one chip per string (``chipLine(_:)``), not one JSON
    /// object per chip: NVIDIA's 2,200 chips are then 2,200 values of about 40 bytes rather
    /// than 15,000 values, which is what the cache's parsed tree costs.
    struct Entry: Codable, Hashable, Sendable {
        /// Absolute path of the installer.
        var path: String
        /// The file as it was when read.
        var file: FileIdentity
        /// What was read.
        var installer: DriverInstaller

        init(path: String, file: FileIdentity, installer: DriverInstaller) {
            self.path = path
            self.file = file
            self.installer = installer
        }

        enum CodingKeys: String, CodingKey {
            case path, file, installer, chips
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decode(String.self, forKey: .path)
            file = try container.decode(FileIdentity.self, forKey: .file)
            installer = try container.decode(DriverInstaller.self, forKey: .installer)
            if let lines = try container.decodeIfPresent([String].self, forKey: .chips) {
                var chips: [SupportedChip] = []
                chips.reserveCapacity(lines.count)
                for (index, line) in lines.enumerated() {
                    guard let chip = DriverCache.chip(line) else {
                        throw DecodingError.dataCorrupted(
                            .init(
                                codingPath: [CodingKeys.chips],
                                debugDescription: "chip \(index), "
                                    + "\(HeaderText.quote(line.utf8)), is not one gpuprobe writes"
                            )
                        )
                    }
                    chips.append(chip)
                }
                installer.supportedGPUs = chips
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(file, forKey: .file)
            var bare = installer
            bare.supportedGPUs = nil
            try container.encode(bare, forKey: .installer)
            try container.encodeIfPresent(
                installer.supportedGPUs?.map(DriverCache.chipLine),
                forKey: .chips
            )
        }
    }

    /// A chip as the cache writes it, one line.
    ///
    /// Device, subsystem vendor, subsystem device, legacy branch, each `-` when absent, then
    /// the name: `20B0 10DE 134F - NVIDIA A100-SXM4-40GB`. Features are not kept (the matcher does not read them).
    static func chipLine(_ chip: SupportedChip) -> String {
        func hex(_ value: UInt16?) -> String {
            guard let value else { return "-" }
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }
        return [
            hex(chip.deviceID), hex(chip.subsystemVendorID), hex(chip.subsystemDeviceID),
            chip.legacyBranch ?? "-", chip.name,
        ].joined(separator: " ")
    }

    /// The chip a ``chipLine(_:)`` describes, with every part checked as the list's reader
    /// checks it; nil for anything else.
    static func chip(_ line: String) -> SupportedChip? {
        let parts = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, let device = SupportedGPUsList.hexID(String(parts[0])) else {
            return nil
        }
        func optionalID(_ part: Substring) -> UInt16?? {
            part == "-" ? .some(nil) : SupportedGPUsList.hexID(String(part)).map { .some($0) }
        }
        guard let vendor = optionalID(parts[1]), let subsystem = optionalID(parts[2]) else {
            return nil
        }
        let branch = parts[3] == "-" ? nil : String(parts[3])
        if let branch, !SupportedGPUsList.isBranch(branch) { return nil }
        let name = String(parts[4])
        guard SupportedGPUsList.isPlainName(name) else { return nil }
        return SupportedChip(
            deviceID: device,
            subsystemDeviceID: subsystem,
            subsystemVendorID: vendor,
            name: name,
            legacyBranch: branch
        )
    }

    /// The largest cache file read, 16 MiB.
    ///
    /// An entry holds what the matcher needs of an installer's list, about 80 KB for NVIDIA's
    /// (2,200 chips), so this is some two hundred installers; a cache that would be larger is
    /// saved without some of them.
    static let sizeLimit = 16 << 20

    /// The most JSON values (``JSONValueCount``) the cache file may hold.
    ///
    /// What the parsed tree costs is in the number of values more than in the bytes (up to
    /// 200 bytes a value, so about 100 MB at this bound). An NVIDIA installer's entry has
    /// about 2,300.
    static let valueLimit = 1 << 19

    /// What ``read()`` found.
    struct Loaded {
        /// The entries by path.
        var entries: [String: Entry] = [:]
        /// Why the file, or some entries, were not used; empty when all was well or there was
        /// no file.
        var notes: [String] = []
    }

    /// The entries by path (``read()`` without its notes).
    func load() -> [String: Entry] {
        read().entries
    }

    /// The entries by path, and notes for what could not be used.
    ///
    /// A missing file, or one of an older format, is an empty cache without a note (the
    /// entries are read again and replace it). A file that cannot be read, is larger than
    /// ``sizeLimit`` or ``valueLimit``, or is not JSON of this shape is an empty cache with a
    /// note; so is each entry the JSON decoder refuses (a number out of range, a missing key),
    /// dropped alone.
    func read() -> Loaded {
        let read: BoundedFile.Read
        switch BoundedFile.read(path, limit: Self.sizeLimit) {
        case .failure(.missing):
            return Loaded()
        case .failure(let failure):
            return Loaded(notes: [unusable(failure.reason)])
        case .success(let bytes):
            read = bytes
        }
        guard read.complete else {
            return Loaded(notes: [unusable("is larger than \(Self.sizeLimit >> 20) MiB")])
        }
        guard JSONValueCount.count(read.bytes, stoppingAfter: Self.valueLimit) <= Self.valueLimit
        else {
            return Loaded(notes: [unusable("holds more than \(Self.valueLimit) JSON values")])
        }
        let document: JSONValue
        do throws(JSONParser.Failure) {
            document = try JSONCoding.parse(read.bytes)
        } catch {
            return Loaded(notes: [unusable("is not valid JSON (\(error))")])
        }
        guard case .object(let members) = document, case .string(let format)? = members["format"]
        else {
            return Loaded(notes: [unusable("is not a gpuprobe driver cache")])
        }
        // An older gpuprobe's cache: its entries are read again, which is no news.
        guard format == Self.format else { return Loaded() }
        guard case .array(let values)? = members["entries"] else {
            return Loaded(notes: [unusable("has no list of entries")])
        }
        var loaded = Loaded()
        var dropped: [String] = []
        for (index, value) in values.enumerated() {
            do {
                let entry = try Self.entry(value)
                loaded.entries[entry.path] = entry
            } catch {
                dropped.append("entries[\(index)]: \(Self.describe(error))")
            }
        }
        if let first = dropped.first {
            let more = dropped.count > 1 ? " and \(dropped.count - 1) more" : ""
            loaded.notes.append(
                "dropped \(dropped.count) unreadable entr\(dropped.count == 1 ? "y" : "ies") of "
                    + "the driver cache '\(path)' (\(first)\(more)); those installers are read "
                    + "again and the cache rewritten"
            )
        }
        return loaded
    }

    /// One entry, checked: only integers written by gpuprobe are accepted as numbers, so that
    /// a hand-edited or damaged value never reaches the decoder's arithmetic.
    private static func entry(_ value: JSONValue) throws -> Entry {
        if let bad = firstOddNumber(value) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [],
                    debugDescription: "the number \(HeaderText.quote(bad.utf8)) is not an "
                        + "integer gpuprobe writes"
                )
            )
        }
        return try JSONCoding.decode(Entry.self, from: value)
    }

    /// The first number in `value` that is not a plain integer of at most 20 digits.
    private static func firstOddNumber(_ value: JSONValue) -> String? {
        var stack = [value]
        while let next = stack.popLast() {
            switch next {
            case .number(let text):
                let digits = text.utf8.drop { $0 == 0x2D }
                if digits.isEmpty || digits.count > 20 || !digits.allSatisfy(HeaderText.isDigit)
                    || text.utf8.count - digits.count > 1
                {
                    return text
                }
            case .array(let elements): stack += elements
            case .object(let members): stack += members.values
            case .null, .bool, .string: continue
            }
        }
        return nil
    }

    /// A decoding error as one short clause.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "no \"\(key.stringValue)\" in \(JSONCoding.path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
            .dataCorrupted(let context):
            let at = JSONCoding.path(context.codingPath)
            return (at.isEmpty ? "" : at + ": ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }

    private func unusable(_ reason: String) -> String {
        "the driver cache '\(path)' \(reason); it is ignored, the installers are read again and "
            + "the cache rewritten"
    }

    /// Replaces the cache with `entries`, atomically, within its bounds.
    ///
    /// The JSON goes to a new temporary file in the cache's folder, which is then renamed over
    /// the cache: a reader sees the old file or the new one, never half of one, and two
    /// gpuprobe processes saving at once leave one of their caches whole. When all the entries
    /// would make the file larger than ``sizeLimit`` or ``valueLimit``, those whose path is not
    /// in `keeping` are left out first, then the largest, until the rest fit; the left-out
    /// installers are read again next time.
    /// - Parameters:
    ///   - entries: everything the cache should hold.
    ///   - keeping: paths to keep in preference (the folder just scanned).
    /// - Returns: notes: why the cache could not be written, or what was left out of it.
    func save(_ entries: [Entry], keeping: Set<String> = []) -> [String] {
        var sized: [(entry: Entry, bytes: Int, values: Int)] = []
        do {
            for entry in entries {
                let data = try JSONCoding.encode(entry, layout: .compact)
                let values = JSONValueCount.count(data, stoppingAfter: Int.max)
                sized.append((entry, data.count + 1, values + 1))
            }
        } catch {
            return [note("could not encode it (\(error))")]
        }
        // The wrapper `{"entries":[...],"format":"..."}` and some slack.
        var bytesLeft = Self.sizeLimit - 1024
        var valuesLeft = Self.valueLimit - 16
        var kept: [Entry] = []
        var leftOut = 0
        let order = sized.sorted {
            let (first, second) = (keeping.contains($0.entry.path), keeping.contains($1.entry.path))
            if first != second { return first }
            return $0.bytes != $1.bytes ? $0.bytes < $1.bytes : $0.entry.path < $1.entry.path
        }
        for item in order {
            guard item.bytes <= bytesLeft, item.values <= valuesLeft else {
                leftOut += 1
                continue
            }
            bytesLeft -= item.bytes
            valuesLeft -= item.values
            kept.append(item.entry)
        }
        var notes: [String] = []
        if leftOut > 0 {
            notes.append(
                "the driver cache '\(path)' holds at most \(Self.sizeLimit >> 20) MiB; "
                    + "\(leftOut) installer\(leftOut == 1 ? " was" : "s were") left out of it "
                    + "and will be read again next time"
            )
        }
        kept.sort { $0.path < $1.path }
        let data: [UInt8]
        do {
            data = try JSONCoding.encode(
                Contents(format: Self.format, entries: kept),
                layout: .compact
            )
        } catch {
            return notes + [note("could not encode it (\(error))")]
        }
        let folder = FileSystem.parent(FileSystem.absolute(path))
        do throws(FileSystem.Failure) {
            try FileSystem.createFolder(folder, parents: true)
        } catch {
            return notes + [note("could not create \(folder)")]
        }
        do {
            try AtomicFile.write(data, to: path, replace: true, ownFile: true)
        } catch {
            guard case .failed(_, let reason) = error else { return notes + [note("\(error)")] }
            return notes + [note(reason)]
        }
        return notes
    }

    private struct Contents: Codable {
        var format: String
        var entries: [Entry]
    }

    private func note(_ reason: String) -> String {
        "the driver cache '\(path)' could not be written (\(reason)); installers will be read "
            + "again next time: set XDG_CACHE_HOME to a writable folder to keep them"
    }
}
