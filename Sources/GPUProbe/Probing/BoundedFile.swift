#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a file whole only when it is a regular file within a size limit.
///
/// What gpuprobe reads back (a capture bundle) may come from anywhere: a FIFO in its place
/// would block the read forever, a device would never end, and a file of gigabytes would be
/// read into memory. The file is opened without blocking and checked with `fstat` before a
/// byte is read.
enum BoundedFile {
    enum Failure: Error, Equatable {
        case missing
        case notRegular
        case tooLarge(limit: Int)
        case failed(String)

        /// What is wrong, to follow the file's name in a message.
        var reason: String {
            switch self {
            case .missing: "is missing"
            case .notRegular: "is not a regular file"
            case .tooLarge(let limit): "is larger than \(sizeText(limit))"
            case .failed(let why): "cannot be read: \(why)"
            }
        }
    }

    static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(errno == ENOENT ? .missing : .failed(String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(.failed(String(cString: strerror(errno))))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        guard info.st_size <= limit else { return .failure(.tooLarge(limit: limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { readChunk(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.failed(String(cString: strerror(errno))))
            }
            if count == 0 { break }
            // The file may grow after fstat.
            guard bytes.count + count <= limit else { return .failure(.tooLarge(limit: limit)) }
            bytes += chunk[0..<count]
        }
        return .success(bytes)
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20
            ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}

/// `read(2)`, outside ``BoundedFile`` whose own `read` would shadow it.
private func readChunk(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}
