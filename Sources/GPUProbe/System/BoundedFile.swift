#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one way gpuprobe reads a whole file: only a regular file, and never more than a limit.
///
/// What gpuprobe reads may be anything: a FIFO in place of `/proc/driver/nvidia/version` or of
/// a bundle's file would block the read forever, a device would never end, and a file of
/// gigabytes would be read into memory. The file is opened without blocking and checked with
/// `fstat` before a byte is read, and reading stops one byte past the limit. The size `stat`
/// gives is not trusted either way: /proc files say 0.
enum BoundedFile {
    enum Failure: Error, Equatable {
        case missing
        /// Its kind: `a directory`, `a FIFO`...
        case notRegular(String)
        case failed(String)

        /// What is wrong, to follow the file's name in a message.
        var reason: String {
            switch self {
            case .missing: "is missing"
            case .notRegular(let kind): "is \(kind), not a regular file"
            case .failed(let why): "cannot be read: \(why)"
            }
        }
    }

    /// The first `limit` bytes, and whether that is the whole file.
    struct Read: Equatable {
        var bytes: [UInt8]
        var complete: Bool
    }

    static func read(_ path: String, limit: Int) -> Result<Read, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(
                errno == ENOENT || errno == ENOTDIR ? .missing : .failed(FileSystem.errorText())
            )
        }
        defer { close(fd) }
        return read(fd: fd, limit: limit)
    }

    /// ``read(_:limit:)`` for a file already open (through a walk that refused links, say):
    /// checked with `fstat` to be a regular file, then read up to `limit` bytes.
    static func read(fd: Int32, limit: Int) -> Result<Read, Failure> {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.failed(FileSystem.errorText())) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(.notRegular(FileInfo(info).kindText))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { readChunk(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.failed(FileSystem.errorText()))
            }
            if count == 0 { break }
            bytes += chunk[0..<min(count, limit + 1 - bytes.count)]
        }
        let complete = bytes.count <= limit
        if !complete { bytes.removeLast() }
        return .success(Read(bytes: bytes, complete: complete))
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20
            ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }

}

/// `read(2)`, outside ``BoundedFile`` whose own `read` would shadow it.
func readChunk(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}
