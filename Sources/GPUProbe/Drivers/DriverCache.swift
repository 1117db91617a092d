#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What gpuprobe already read from installers, so that a folder of 300 MB files is read once.
///
/// One JSON file, `$XDG_CACHE_HOME/gpuprobe/drivers-v1.json` (else
/// `$HOME/.cache/gpuprobe/drivers-v1.json`), maps each installer's absolute path to the size,
/// modification time (nanoseconds) and inode it had when read, and to the ``DriverInstaller``
/// read from it. An entry counts only while all three still match, so a file that was
/// replaced, grew or was touched is read again. The cache is a convenience, never a source of
/// failure: a missing, unreadable, corrupt or foreign file is treated as empty and replaced on
/// the next save, and a location that cannot be written gives a note, not an error.
public struct DriverCache: Hashable, Sendable {
    /// The cache file.
    public let path: String

    /// The format written and accepted; bump it whenever the reader's output changes meaning,
    /// so that entries from an older reader are read again.
    static let format = "gpuprobe/drivers-cache/v1"

    /// A cache stored at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The cache at the default location for `environment`, or nil when neither
    /// `XDG_CACHE_HOME` nor `HOME` is an absolute path.
    public init?(environment: [String: String]) {
        guard let path = Self.defaultPath(environment: environment) else { return nil }
        self.path = path
    }

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
    struct Entry: Codable, Hashable, Sendable {
        /// Absolute path of the installer.
        var path: String
        /// The file as it was when read.
        var file: FileIdentity
        /// What was read.
        var installer: DriverInstaller
    }

    private struct Contents: Codable {
        var format: String
        var entries: [Entry]
    }

    /// The largest cache file read, 64 MiB.
    ///
    /// An entry holds an installer's supported-GPU list, a few hundred KiB, so this is a couple
    /// of hundred installers; anything larger is treated as corrupt and replaced rather than
    /// held in memory.
    static let sizeLimit = 64 << 20

    /// The entries by path; empty when the file is missing, unreadable, larger than
    /// ``sizeLimit``, not JSON or of another format.
    func load() -> [String: Entry] {
        guard case .success(let read) = BoundedFile.read(path, limit: Self.sizeLimit),
            read.complete,
            let contents = try? JSONCoding.decode(Contents.self, from: read.bytes),
            contents.format == Self.format
        else { return [:] }
        var entries: [String: Entry] = [:]
        for entry in contents.entries { entries[entry.path] = entry }
        return entries
    }

    /// Replaces the cache with `entries`, atomically.
    ///
    /// The JSON goes to a new temporary file in the cache's folder, which is then renamed over
    /// the cache: a reader sees the old file or the new one, never half of one, and two
    /// gpuprobe processes saving at once leave one of their caches whole.
    /// - Parameter entries: everything the cache should hold.
    /// - Returns: nil when saved, else a note saying why not (the scan result is unaffected).
    func save(_ entries: [Entry]) -> String? {
        let sorted = entries.sorted { $0.path < $1.path }
        let data: [UInt8]
        do {
            data = try JSONCoding.encode(
                Contents(format: Self.format, entries: sorted),
                layout: .compact
            )
        } catch {
            return note("could not encode it (\(error))")
        }
        let folder = FileSystem.parent(FileSystem.absolute(path))
        do throws(FileSystem.Failure) {
            try FileSystem.createFolder(folder, parents: true)
        } catch {
            return note("could not create \(folder)")
        }
        do {
            try AtomicFile.write(data, to: path, replace: true, ownFile: true)
        } catch {
            guard case .failed(_, let reason) = error else { return note("\(error)") }
            return note(reason)
        }
        return nil
    }

    private func note(_ reason: String) -> String {
        "the driver cache '\(path)' could not be written (\(reason)); installers will be read "
            + "again next time: set XDG_CACHE_HOME to a writable folder to keep them"
    }
}
