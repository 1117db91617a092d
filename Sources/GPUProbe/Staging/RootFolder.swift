#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The root a stage reads from, held open, and every look-up below it made one component at a
/// time from that descriptor.
///
/// A path string handed to `open` or `lstat` is resolved by the kernel afresh each time, and
/// `O_NOFOLLOW` guards only its last component: a folder of the host tree swapped for a
/// symbolic link between the scan and the copy would lead the copy out of the root (to
/// `/etc/shadow`, say) under a name that looked inside it. Here each step is an `openat` of one
/// name with `O_NOFOLLOW` from the folder before, so a link anywhere on the way is refused, not
/// followed, and nothing outside the root can be reached. (`openat2` with `RESOLVE_BENEATH`
/// would do the same in one call, but only from Linux 5.6, and Ubuntu 20.04's 5.4 kernels are
/// still common on Ascend hosts.)
final class RootFolder: Sendable {
    /// The open root; -1 when it could not be opened, which makes every look-up fail with
    /// `openError`.
    private let fd: Int32
    private let openError: Int32

    /// Opens `path`, a canonical folder.
    init(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        self.fd = fd
        openError = fd < 0 ? errno : 0
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Opens the folder `path` (components below the root) without following any link.
    /// - Returns: a descriptor the caller closes.
    /// - Throws: the `errno` of the step that failed (`ELOOP` or `ENOTDIR` for a link).
    func openFolder(_ path: some Collection<String>) throws(FileSystem.Failure) -> Int32 {
        guard fd >= 0 else { throw FileSystem.Failure(code: openError) }
        var current = dup(fd)
        guard current >= 0 else { throw .current() }
        for name in path {
            let next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(current)
            guard next >= 0 else { throw FileSystem.Failure(code: code) }
            current = next
        }
        return current
    }

    /// Opens the regular file `path` for reading without following any link on the way; a
    /// FIFO swapped in does not block the open.
    /// - Returns: a descriptor the caller closes.
    func openFile(_ path: [String]) throws(FileSystem.Failure) -> Int32 {
        guard let name = path.last else { throw FileSystem.Failure(code: EISDIR) }
        let folder = try openFolder(path.dropLast())
        defer { close(folder) }
        let file = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { throw .current() }
        return file
    }

    /// `lstat` of `path`, reached without following any link on the way.
    func status(_ path: [String]) throws(FileSystem.Failure) -> stat {
        let folder = try openFolder(path.dropLast())
        defer { close(folder) }
        var info = stat()
        let result =
            path.last.map { fstatat(folder, $0, &info, AT_SYMLINK_NOFOLLOW) }
            ?? fstat(folder, &info)
        guard result == 0 else { throw .current() }
        return info
    }

    /// The text of the symbolic link `path`, reached without following any link on the way.
    func linkText(_ path: [String]) throws(FileSystem.Failure) -> String {
        guard let name = path.last else { throw FileSystem.Failure(code: EINVAL) }
        let folder = try openFolder(path.dropLast())
        defer { close(folder) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(folder, name, &buffer, buffer.count - 1)
        guard count >= 0 else { throw .current() }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
