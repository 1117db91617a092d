#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `stat(2)` says about a file, in Swift's terms.
///
/// The rest of gpuprobe reads these fields and never sees `struct stat`, its `st_mode` bits or
/// the C library's `S_IF*` constants: the system calls and their C types stay in `System/`.
struct FileInfo: Equatable, Sendable {
    /// The file type, `st_mode & S_IFMT`.
    enum Kind: Equatable, Sendable {
        case regular
        case directory
        case symbolicLink
        case fifo
        case characterDevice
        case blockDevice
        case socket
        case unknown

        /// The type in words with its article, as messages about a file that is not a regular
        /// one say it: `a directory`, `a FIFO`, `a special file`.
        var text: String {
            switch self {
            case .directory: "a directory"
            case .symbolicLink: "a symbolic link"
            case .fifo: "a FIFO"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            case .socket: "a socket"
            case .regular: "a regular file"
            case .unknown: "a special file"
            }
        }
    }

    var kind: Kind
    /// The permission bits, `st_mode & 0o7777` (set-user-ID, set-group-ID and sticky included).
    var permissions: UInt32
    /// `st_size`: bytes for a regular file, the target's length for a link.
    var size: Int64
    /// `st_nlink`: the names the file has.
    var linkCount: Int
    /// `st_dev`: the file system that holds it.
    var device: UInt64
    /// `st_ino`.
    var inode: UInt64
    /// `st_mtim` in nanoseconds since the epoch.
    var modifiedNanoseconds: Int64
    /// `st_ctim` in nanoseconds since the epoch.
    var changedNanoseconds: Int64

    /// The values of a `struct stat` that `stat`, `lstat`, `fstat` or `fstatat` filled.
    init(_ info: stat) {
        kind = Self.kind(info.st_mode)
        permissions = UInt32(info.st_mode & 0o7777)
        size = Int64(info.st_size)
        linkCount = Int(info.st_nlink)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        modifiedNanoseconds =
            Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        changedNanoseconds =
            Int64(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_ctim.tv_nsec)
    }

    /// The type in words with its article: ``Kind/text``.
    var kindText: String { kind.text }

    private static func kind(_ mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        case S_IFIFO: .fifo
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFSOCK: .socket
        default: .unknown
        }
    }
}
