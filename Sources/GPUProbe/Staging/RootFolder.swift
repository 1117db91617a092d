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
    /// The open root, or why it could not be opened, which makes every look-up fail so.
    private let root: Result<FileDescriptor, FileSystem.Failure>

    /// Opens `path`, a canonical folder.
    init(_ path: String) {
        do {
            root = .success(try FileDescriptor.open(path, .folder))
        } catch {
            root = .failure(error)
        }
    }

    deinit { if case .success(let fd) = root { fd.close() } }

    /// Opens the folder `path` (components below the root) without following any link.
    /// - Returns: a descriptor the caller closes.
    /// - Throws: the failure of the step that failed (`ELOOP` or `ENOTDIR` for a link).
    func openFolder(_ path: some Collection<String>) throws(FileSystem.Failure) -> FileDescriptor {
        var current = try root.get().duplicate()
        for name in path {
            let next: FileDescriptor
            do {
                next = try current.open(name, [.folder, .noFollow])
            } catch {
                current.close()
                throw error
            }
            current.close()
            current = next
        }
        return current
    }

    /// Opens the regular file `path` for reading without following any link on the way; a
    /// FIFO swapped in does not block the open.
    /// - Returns: a descriptor the caller closes.
    func openFile(_ path: [String]) throws(FileSystem.Failure) -> FileDescriptor {
        guard let name = path.last else { throw .isAFolder }
        let folder = try openFolder(path.dropLast())
        defer { folder.close() }
        return try folder.open(name, [.noFollow, .nonBlocking])
    }

    /// `lstat` of `path`, reached without following any link on the way.
    func status(_ path: [String]) throws(FileSystem.Failure) -> FileInfo {
        let folder = try openFolder(path.dropLast())
        defer { folder.close() }
        guard let name = path.last else { return try folder.info() }
        return try folder.info(of: name)
    }

    /// The text of the symbolic link `path`, reached without following any link on the way.
    func linkText(_ path: [String]) throws(FileSystem.Failure) -> String {
        guard let name = path.last else { throw .invalidArgument }
        let folder = try openFolder(path.dropLast())
        defer { folder.close() }
        return try folder.linkText(of: name)
    }
}
