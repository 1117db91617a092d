import GPUProbe

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The most we read from a file or standard input (16 MiB).
///
/// Real inputs are kilobytes: nvidia-smi's XML for eight GPUs, a host report, a Dockerfile.
/// The limit is the probe's own cap on a tool's output, so anything a capture kept can be
/// parsed back, and a wrong file (a log, /dev/zero, an image) fails at once with a clear
/// message instead of being held in memory, several times over once decoded.
let inputLimit = ToolRunner.outputLimit

func fail(_ message: String, _ status: ExitStatus) -> Never {
    writeAll(2, "gpuprobe: error: \(TerminalText.line(message))\n")
    exit(status.rawValue)
}

// Messages repeat paths and values from the input: see TerminalText.
func warn(_ message: String) {
    writeAll(2, "gpuprobe: warning: \(TerminalText.line(message))\n")
}

func note(_ message: String) { writeAll(2, "gpuprobe: note: \(TerminalText.line(message))\n") }

/// The standard streams (0, 1, 2) that were closed when gpuprobe started.
///
/// Each is then opened on /dev/null, so that no file gpuprobe opens later takes its number: a
/// closed standard error would otherwise make the next file opened (a Dockerfile being
/// written, say) descriptor 2, and every warning would be written into it. Read it first thing
/// in main.
let closedStreams: Set<Int32> = {
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

/// Writes all of `text` to standard output (1) or standard error (2).
///
/// Output that cannot be written (standard output closed, a full disk, a closed pipe) is an
/// error, said on standard error, exit 2: a result half written must not pass for a whole one.
/// A message that cannot be written is dropped: a closed standard error must not stop the work
/// it would only have commented on.
func writeAll(_ fd: Int32, _ text: String) {
    if closedStreams.contains(fd) {
        guard fd == 1 else { return }
        failedOutput("it was closed when gpuprobe started")
    }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            guard fd == 1 else { return }
            failedOutput(String(cString: strerror(errno)))
        }
        bytes = bytes.dropFirst(count)
    }
}

private func failedOutput(_ reason: String) -> Never {
    writeAll(
        2,
        "gpuprobe: error: cannot write to standard output: \(reason); run gpuprobe with "
            + "standard output open on a file or pipe that can take it\n"
    )
    exit(ExitStatus.error.rawValue)
}

/// Reads FILE or standard input ("-") as text, invalid UTF-8 repaired as a paste would be.
func readInput(_ path: String) -> String {
    String(decoding: readBytes(path), as: UTF8.self)
}

/// Reads FILE or standard input ("-"), refusing more than `inputLimit` bytes.
func readBytes(_ path: String) -> [UInt8] {
    let shown = path == "-" ? "standard input" : "'\(path)'"
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        fail(
            "cannot read '\(path)': \(String(cString: strerror(errno))); pass a readable file or - for standard input",
            .error
        )
    }
    defer { if fd != 0 { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            fail(
                "cannot read \(shown): \(String(cString: strerror(errno))); pass a readable file",
                .error
            )
        }
        if count == 0 { break }
        bytes += chunk[0..<count]
        if bytes.count > inputLimit {
            fail(
                "\(shown) is larger than \(inputLimit >> 20) MiB, the most gpuprobe reads (real "
                    + "tool outputs, host reports and Dockerfiles are kilobytes); pass the file "
                    + "itself, not a log or an archive",
                .error
            )
        }
    }
    return bytes
}

func timestamp() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func currentDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
