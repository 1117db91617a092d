import Synchronization

/// The installers found in one folder, and how each was obtained.
public struct DriverScan: Hashable, Sendable {
    /// One record per `*.run` file, sorted by file name.
    public var installers: [DriverInstaller]
    /// File names read from disk in this scan.
    public var reread: [String]
    /// File names whose record came from the cache unchanged.
    public var fromCache: [String]
    /// Things worth telling that are not about one installer (for example the cache could not
    /// be written).
    public var notes: [String]

    /// Creates a scan result.
    public init(
        installers: [DriverInstaller],
        reread: [String] = [],
        fromCache: [String] = [],
        notes: [String] = []
    ) {
        self.installers = installers
        self.reread = reread
        self.fromCache = fromCache
        self.notes = notes
    }
}

/// Reads every NVIDIA installer in a folder, with a cache so that unchanged files are not read
/// again.
public enum DriverFolder {
    /// At most this many installers are read at once.
    ///
    /// Each read is one sequential stream, and more streams than this only make a disk seek;
    /// two, also because each read may hold an xz window of up to 64 MiB (`xz -9`) while it
    /// decodes.
    static let parallelReads = 2

    /// Reads every `*.run` directly in `directory`.
    ///
    /// Not recursive; hidden files (`.x.run`, a download in progress) and folders are skipped,
    /// other files ignored. A `*.run` that is not a regular file after following symbolic
    /// links (a link that leads nowhere or in a loop, a FIFO, a device), or whose name is not
    /// UTF-8, is listed with its ``DriverInstaller/problem`` and never opened, so the plan says
    /// why it was not used and a FIFO cannot block the scan. Files whose size, times, device and
    /// inode match the cache are taken from it; the rest are read (several at once) and the
    /// cache is saved when anything changed.
    /// - Parameters:
    ///   - directory: the folder; relative paths are taken from the current directory.
    ///   - cache: where earlier reads are kept, or nil to read every file.
    /// - Returns: the installers sorted by file name, which were read and which came from the
    ///   cache, and notes.
    /// - Throws: ``DriverFolderError`` when the folder is missing, not a folder or unreadable.
    public static func scan(
        _ directory: String,
        cache: DriverCache?
    ) throws(DriverFolderError) -> DriverScan {
        let folder = try resolve(directory)
        let names = try list(folder, shownAs: directory)
        var candidates: [(name: String, path: String, file: FileIdentity)] = []
        var unusable: [DriverInstaller] = []
        for raw in names where raw.suffix(4).elementsEqual(".run".utf8) && raw.first != 0x2E {
            guard let name = String(validating: raw, as: UTF8.self) else {
                unusable.append(notUTF8(raw, in: folder))
                continue
            }
            let path = folder == "/" ? "/" + name : folder + "/" + name
            switch entry(path, name: name) {
            case .installer(let file): candidates.append((name, path, file))
            case .unusable(let record): unusable.append(record)
            case .skipped: continue
            }
        }
        candidates.sort { $0.name < $1.name }

        var scan = DriverScan(installers: [])
        var cached: [String: DriverCache.Entry] = [:]
        if let cache {
            let loaded = cache.read()
            cached = loaded.entries
            scan.notes += loaded.notes
        }
        var results = [DriverInstaller?](repeating: nil, count: candidates.count)
        var misses: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            if let entry = cached[candidate.path], entry.file == candidate.file {
                results[index] = entry.installer
                scan.fromCache.append(candidate.name)
            } else {
                misses.append(index)
            }
        }
        let read = readAll(misses.map { (candidates[$0].path, candidates[$0].name) })
        // A cache that had notes is rewritten even when every entry was still good.
        var changed = !misses.isEmpty || !scan.notes.isEmpty
        for (index, outcome) in zip(misses, read) {
            results[index] = outcome.installer
            scan.reread.append(candidates[index].name)
            if let file = outcome.identity {
                cached[candidates[index].path] = DriverCache.Entry(
                    path: candidates[index].path,
                    file: file,
                    installer: outcome.installer
                )
            } else {
                cached[candidates[index].path] = nil
            }
        }
        scan.installers = (results.compactMap { $0 } + unusable).sorted {
            $0.fileName < $1.fileName
        }

        if let cache {
            // Entries for files that are gone are dropped, here and in other folders.
            let present = Set(candidates.map(\.path))
            for path in cached.keys where !present.contains(path) {
                let inFolder = path.hasPrefix(folder == "/" ? "/" : folder + "/")
                if inFolder || !FileSystem.exists(path, followingLinks: true) {
                    cached[path] = nil
                    changed = true
                }
            }
            if changed {
                scan.notes += cache.save(Array(cached.values), keeping: present)
            }
        }
        return scan
    }

    /// The record of an installer whose name is not UTF-8: gpuprobe names files in JSON and
    /// Dockerfile lines, which cannot hold it, so it is listed (with the bytes that are not
    /// UTF-8 written `\xFF`) and not read.
    private static func notUTF8(_ raw: [UInt8], in folder: String) -> DriverInstaller {
        var shown = ""
        var rest = raw[...]
        while !rest.isEmpty {
            // The longest prefix that is valid UTF-8, then one byte written as an escape.
            var end = rest.endIndex
            while end > rest.startIndex,
                String(validating: rest[rest.startIndex..<end], as: UTF8.self) == nil
            {
                end -= 1
            }
            shown += String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
            rest = rest[end...]
            if let byte = rest.first {
                shown += "\\x" + HeaderText.hex([byte]).uppercased()
                rest = rest.dropFirst()
            }
        }
        let path = Array((folder == "/" ? "/" : folder + "/").utf8) + raw
        let size = (try? FileSystem.info(rawPath: path).size) ?? 0
        return DriverInstaller(
            fileName: shown,
            size: size,
            problem: "its name is not valid UTF-8, which gpuprobe cannot write in a plan or a "
                + "Dockerfile; rename it NVIDIA-Linux-<arch>-<version>.run as NVIDIA names it"
        )
    }

    /// What one `*.run` entry of the folder is.
    private enum Entry {
        /// A regular file, to be read (or taken from the cache).
        case installer(FileIdentity)
        /// Something that cannot be an installer, with the reason; it is not opened.
        case unusable(DriverInstaller)
        /// A folder, or an entry that went away since the listing.
        case skipped
    }

    /// Looks at `path` without opening it: opening a FIFO for reading blocks until a writer
    /// comes.
    private static func entry(_ path: String, name: String) -> Entry {
        func unusable(_ problem: String) -> Entry {
            .unusable(
                DriverInstaller(
                    fileName: name,
                    variant: InstallerFileName(name)?.variant,
                    size: 0,
                    problem: problem
                )
            )
        }
        let info: FileInfo
        do {
            info = try FileSystem.info(path, followingLinks: true)
        } catch {
            let reason = error.reason
            guard let link = try? FileSystem.info(path) else { return .skipped }
            if link.kind == .symbolicLink {
                return unusable(
                    "it is a symbolic link that cannot be followed (\(reason)); point it at the "
                        + "installer or remove it"
                )
            }
            return unusable(
                "could not look at it (\(reason)); check the file's permissions, or download it "
                    + "again"
            )
        }
        switch info.kind {
        case .regular:
            return .installer(FileIdentity(info))
        case .directory:
            // Not an installer, and the scan is not recursive.
            return .skipped
        default:
            return unusable(
                "it is \(info.kindText), not a regular file; put only "
                    + "NVIDIA-Linux-*.run files here"
            )
        }
    }

    /// The folder as an absolute path with symbolic links resolved, after checking it.
    private static func resolve(_ directory: String) throws(DriverFolderError) -> String {
        let info: FileInfo
        do {
            info = try FileSystem.info(directory, followingLinks: true)
        } catch {
            if error == .noSuchFile { throw .missing(path: directory) }
            if error == .notAFolder { throw .notADirectory(path: directory) }
            throw .unreadable(path: directory, reason: error.reason)
        }
        guard info.kind == .directory else { throw .notADirectory(path: directory) }
        do {
            return try FileSystem.resolved(directory)
        } catch {
            throw .unreadable(path: directory, reason: error.reason)
        }
    }

    /// Reads `files`, up to ``parallelReads`` at once; results in the order given.
    private static func readAll(
        _ files: [(path: String, name: String)]
    ) -> [(installer: DriverInstaller, identity: FileIdentity?)] {
        guard !files.isEmpty else { return [] }
        let work = ReadWork(files)
        let workers = min(files.count, parallelReads, HostSystem.onlineProcessors)
        _ = Concurrent.start(Array(repeating: { work.readUntilDone() }, count: workers)).wait()
        return work.results.withLock { done in
            files.indices.map { index in
                done[index] ?? (DriverInstaller(fileName: files[index].name, size: 0), nil)
            }
        }
    }

    /// The entry names in `folder` as bytes (a name need not be UTF-8), with the system's
    /// own error text.
    private static func list(
        _ folder: String,
        shownAs directory: String
    ) throws(DriverFolderError) -> [[UInt8]] {
        do {
            return try FileSystem.rawNames(in: folder)
        } catch {
            throw .unreadable(path: directory, reason: error.reason)
        }
    }
}

/// Why a drivers folder could not be scanned.
public enum DriverFolderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missing(path: String)
    /// The path is a file, not a folder.
    case notADirectory(path: String)
    /// The folder could not be listed; `reason` is the system's text.
    case unreadable(path: String, reason: String)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .missing(let path):
            "the drivers folder '\(path)' does not exist; create it and put NVIDIA-Linux-*.run "
                + "installers in it, or pass the folder that holds them"
        case .notADirectory(let path):
            "'\(path)' is not a folder; pass the folder that holds the NVIDIA-Linux-*.run "
                + "installers"
        case .unreadable(let path, let reason):
            "could not list the drivers folder '\(path)' (\(reason)); give this user read and "
                + "search permission on it, or pass another folder"
        }
    }
}

/// The installers ``DriverFolder`` reads in parallel: each worker takes the next path until
/// none is left.
private final class ReadWork: Sendable {
    let files: [(path: String, name: String)]
    let next = Atomic<Int>(0)
    let results = Mutex([Int: (installer: DriverInstaller, identity: FileIdentity?)]())

    init(_ files: [(path: String, name: String)]) { self.files = files }

    func readUntilDone() {
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < files.count else { return }
            let outcome = DriverInstallerReader.readWithIdentity(
                path: files[index].path,
                shownAs: files[index].name
            )
            results.withLock { $0[index] = outcome }
        }
    }
}
