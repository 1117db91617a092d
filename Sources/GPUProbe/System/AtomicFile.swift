#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a file was not written; one line naming the path and what to do.
public enum AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file exists and replacing it was not asked for.
    case exists(path: String)
    /// Something that is not a regular file is there: gpuprobe never replaces it, with or
    /// without `--force`. `kind` is its type in words, with its article.
    case notRegular(path: String, kind: String)
    /// A system call failed.
    case failed(path: String, reason: String)

    /// One line.
    public var description: String {
        switch self {
        case .exists(let path):
            "'\(path)' exists; pass --force to replace it, or choose another name"
        case .notRegular(let path, let kind):
            "'\(path)' is \(kind), not a regular file; gpuprobe replaces only regular files, "
                + "with or without --force: choose another name (`-` writes to standard output)"
        case .failed(let path, let reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}

/// Writes a file so that readers see either the old file or the whole new one, never a part.
public enum AtomicFile {
    /// Writes `bytes` to `path` through a temporary file in the same folder.
    ///
    /// Without `replace`, the temporary file is hard-linked to `path`, which fails when `path`
    /// exists: no window in which another writer's file could be overwritten. With `replace`, it
    /// is renamed over `path`, and only over a regular file: a rename puts a new file in the
    /// place of whatever the name held, so over `/dev/stdout` (a link) or `/dev/null` (a
    /// device) it would turn them into plain files for every program on the host.
    /// - Parameters:
    ///   - bytes: the whole content.
    ///   - path: where it goes.
    ///   - replace: replace a regular file already there.
    ///   - mode: the file's mode, not cut by the umask.
    ///   - ownFile: `path` is gpuprobe's own (its driver cache): whatever is there, a FIFO or a
    ///     link left by a fault included, is replaced, as a cache that cannot be read is
    ///     dropped and written anew.
    /// - Throws: ``AtomicFileError``; the temporary file is gone either way.
    public static func write(
        _ bytes: [UInt8],
        to path: String,
        replace: Bool,
        mode: mode_t = 0o644,
        ownFile: Bool = false
    ) throws(AtomicFileError) {
        if !ownFile { try checkReplaceable(path, replace: replace) }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array((folder + ".\(base).partial-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { throw .failed(path: path, reason: FileSystem.errorText()) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let temporary = String(
            decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
        let token = Interruption.removeOnInterrupt(temporary)
        var done = false
        defer {
            if !done { unlink(temporary) }
            Interruption.forget(token)
        }
        do throws(FileSystem.Failure) {
            try FileSystem.writeAll(bytes, to: fd)
        } catch {
            close(fd)
            throw .failed(path: path, reason: error.reason)
        }
        if fchmod(fd, mode) != 0 || fsync(fd) != 0 {
            let reason = FileSystem.errorText()
            close(fd)
            throw .failed(path: path, reason: reason)
        }
        close(fd)
        Interruption.testHold("write")
        var failure: AtomicFileError?
        Interruption.uninterrupted {
            if replace {
                // Again at the last moment: the name may have changed while the file was written.
                do throws(AtomicFileError) {
                    if !ownFile { try checkReplaceable(path, replace: true) }
                } catch {
                    failure = error
                    return
                }
                guard rename(temporary, path) == 0 else {
                    failure = .failed(path: path, reason: FileSystem.errorText())
                    return
                }
            } else {
                guard link(temporary, path) == 0 else {
                    failure =
                        errno == EEXIST
                        ? .exists(path: path) : .failed(path: path, reason: FileSystem.errorText())
                    return
                }
                unlink(temporary)
            }
            done = true
        }
        if let failure { throw failure }
    }

    /// Refuses a `path` that holds anything but a regular file, and any existing file unless
    /// `replace`.
    static func checkReplaceable(_ path: String, replace: Bool) throws(AtomicFileError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw .notRegular(path: path, kind: FileInfo(info).kindText)
        }
        if !replace { throw .exists(path: path) }
    }
}
