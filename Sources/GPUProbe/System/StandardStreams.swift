#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard input, output and error, and the rest of the process's surroundings a command
/// reads: its environment, its current folder and the clock.
public enum StandardStreams {
    /// The most gpuprobe reads from a file or standard input (16 MiB).
    ///
    /// Real inputs are kilobytes: nvidia-smi's XML for eight GPUs, a host report, a Dockerfile.
    /// The limit is the probe's own cap on a tool's output, so anything a capture kept can be
    /// parsed back, and a wrong file (a log, /dev/zero, an image) fails at once with a clear
    /// message instead of being held in memory, several times over once decoded.
    public static let inputLimit = ToolRunner.outputLimit

    /// The standard streams (0, 1, 2) that were closed when gpuprobe started.
    ///
    /// Each is then opened on /dev/null, so that no file gpuprobe opens later takes its
    /// number: a closed standard error would otherwise make the next file opened (a Dockerfile
    /// being written, say) descriptor 2, and every warning would be written into it. Read it
    /// first thing in main.
    public static let closed: Set<Int32> = {
        var closed: Set<Int32> = []
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            closed.insert(fd)
            let held = open("/dev/null", O_RDWR)
            if held >= 0, held != fd {
                dup2(held, fd)
                close(held)
            }
        }
        return closed
    }()

    /// Writes all of `text` to `fd` (1 or 2).
    ///
    /// - Returns: nil when it was written; else why not (the system's words), or "it was
    ///   closed when gpuprobe started".
    public static func write(_ text: String, to fd: Int32) -> String? {
        guard !closed.contains(fd) else { return "it was closed when gpuprobe started" }
        do {
            try FileSystem.writeAll(Array(text.utf8), to: fd)
        } catch {
            return error.reason
        }
        return nil
    }

    /// Reads FILE or standard input (`-`), refusing more than ``inputLimit`` bytes.
    ///
    /// - Returns: the bytes as read (a caller that wants text repairs invalid UTF-8 itself).
    /// - Throws: the one-line message naming the file and what to do.
    static func read(_ path: String) throws(CommandFailure) -> [UInt8] {
        let shown = path == "-" ? "standard input" : "'\(path)'"
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .input(
                "cannot read '\(path)': \(FileSystem.errorText()); pass a readable file or - "
                    + "for standard input"
            )
        }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { readChunk(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .input(
                    "cannot read \(shown): \(FileSystem.errorText()); pass a readable file"
                )
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > inputLimit {
                throw .input(
                    "\(shown) is larger than \(inputLimit >> 20) MiB, the most gpuprobe reads "
                        + "(real tool outputs, host reports and Dockerfiles are kilobytes); pass "
                        + "the file itself, not a log or an archive"
                )
            }
        }
        return bytes
    }

    /// The current folder, or nil when it cannot be found (removed under us).
    public static func currentDirectory() -> String? {
        guard let cwd = getcwd(nil, 0) else { return nil }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// Now, in UTC, as ISO 8601 to the second (`2026-12-06T10:00:00Z`).
    public static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(
            decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
    }
}
