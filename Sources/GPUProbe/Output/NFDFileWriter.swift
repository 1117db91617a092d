#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
            "'\(path)' is \(kind), not a regular file; gpuprobe replaces only its own files: "
                + "pass --force to replace it with a file, or choose another name"
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
        var replace = force
        var info = stat()
        if lstat(path, &info) == 0 {
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR { throw .notAFile(path: path, kind: "a directory") }
            if !force {
                // A link is refused even when it leads to our own file: the rename would put a
                // file in the link's place, which its owner did not ask for.
                guard type == S_IFREG else {
                    throw .notAFile(
                        path: path,
                        kind: type == S_IFLNK ? "a symbolic link" : BoundedFile.kind(info.st_mode)
                    )
                }
                switch BoundedFile.read(path, limit: headLimit) {
                case .success(let head):
                    guard isOwn(head.bytes) else { throw .notOurs(path: path) }
                    replace = true
                case .failure(.missing):
                    break
                case .failure(.notRegular(let kind)):
                    throw .notAFile(path: path, kind: kind)
                case .failure(.failed(let reason)):
                    throw .unreadable(path: path, reason: reason)
                }
            }
        }
        do {
            try AtomicFile.write(Array(file.text.utf8), to: path, replace: replace)
        } catch {
            throw .write(error)
        }
    }

    /// Whether a file's first bytes start with gpuprobe's header.
    static func isOwn(_ head: [UInt8]) -> Bool {
        head.starts(with: Array(NFDLabels.ownerMarker.utf8))
    }
}
