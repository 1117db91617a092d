/// Why a feature file was not written; one line naming the path and what to do.
public enum NFDWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path holds a file gpuprobe did not write, and `--force` was not given.
    case notOurs(path: String)
    /// The path is not a regular file (a folder, a symbolic link, a FIFO...).
    case notAFile(path: String, kind: String)
    /// The path exists but could not be read to see who wrote it.
    case unreadable(path: String, reason: String)
    /// Writing failed.
    case write(AtomicFileError)

    /// One line.
    public var description: String {
        switch self {
        case .notOurs(let path):
            "'\(path)' exists and was not written by gpuprobe (its first line is not "
                + "'\(NFDLabels.ownerMarker) ...'); pass --force to replace it, or choose "
                + "another name"
        case .notAFile(let path, let kind) where kind == "a directory":
            "'\(path)' is a directory; pass the file to write, such as '\(path)/gpuprobe'"
        case .notAFile(let path, let kind):
            "'\(path)' is \(kind), not a regular file; gpuprobe replaces only regular files, "
                + "with or without --force: choose another name"
        case .unreadable(let path, let reason):
            "'\(path)' exists but cannot be read to see whether gpuprobe wrote it (\(reason)); "
                + "pass --force to replace it, or choose another name"
        case .write(let error):
            error.description
        }
    }
}

/// Writes ``NFDFeatureFile``s for nfd-worker, which must never read half a file.
///
/// The file is meant to be rewritten every few minutes by a DaemonSet or CronJob, yet a path a
/// person typed must not silently lose a file of theirs. So an existing file is replaced when
/// its first line starts with ``NFDLabels/ownerMarker`` (gpuprobe wrote it, stdout redirects
/// included), or with `--force`; anything else is refused.
public enum NFDFileWriter {
    /// How much of an existing file is read to find its first line.
    static let headLimit = 4096

    /// Writes `file` to `path` atomically (a temporary file in the same folder, then a rename).
    ///
    /// The temporary name starts with a dot, and nfd-worker skips dot files, so it never reads
    /// the file being written either.
    /// - Parameters:
    ///   - file: the labels.
    ///   - path: where nfd-worker reads them, such as
    ///     `/etc/kubernetes/node-feature-discovery/features.d/gpuprobe`.
    ///   - force: replace whatever file is at `path`.
    /// - Throws: ``NFDWriteError``; nothing is left behind either way.
    public static func write(_ file: NFDFeatureFile, to path: String, force: Bool)
        throws(NFDWriteError)
    {
        // Two writers (a DaemonSet loop and a person, two pods on one host path) may both find
        // no file and race to create it: the loser sees the winner's file, which is ours, and
        // replaces it. Three rounds settle any such race that is not an attack.
        var round = 0
        while true {
            round += 1
            let replace = try mayReplace(path, force: force)
            do {
                try AtomicFile.write(Array(file.text.utf8), to: path, replace: replace)
                return
            } catch {
                if case .exists = error, !replace, round < 3 { continue }
                if case .notRegular(_, let kind) = error {
                    throw .notAFile(path: path, kind: kind)
                }
                throw .write(error)
            }
        }
    }

    /// Whether what is at `path` may be replaced: false when nothing is there, true when it is
    /// a regular file gpuprobe wrote or `force` was given; otherwise the reason it may not.
    private static func mayReplace(_ path: String, force: Bool) throws(NFDWriteError) -> Bool {
        guard let info = try? FileSystem.info(path) else { return false }
        if info.kind == .directory { throw .notAFile(path: path, kind: "a directory") }
        // A link is refused even when it leads to our own file: the rename would put a file in
        // the link's place, which its owner did not ask for.
        guard info.kind == .regular else { throw .notAFile(path: path, kind: info.kindText) }
        if force { return true }
        switch BoundedFile.read(path, limit: headLimit) {
        case .success(let head):
            guard isOwn(head.bytes) else { throw .notOurs(path: path) }
            return true
        case .failure(.missing):
            return false
        case .failure(.notRegular(let kind)):
            throw .notAFile(path: path, kind: kind)
        case .failure(.failed(let reason)):
            throw .unreadable(path: path, reason: reason)
        }
    }

    /// Whether a file's first bytes start with gpuprobe's header.
    static func isOwn(_ head: [UInt8]) -> Bool {
        head.starts(with: Array(NFDLabels.ownerMarker.utf8))
    }
}
