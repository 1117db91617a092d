import CShims
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Held from creating a child's pipes until it is spawned, so that a child spawned at the same
/// time on another thread cannot inherit them (pipe2 with O_CLOEXEC is not visible from Swift
/// on glibc), which would keep our end from seeing EOF.
private let spawnLock = Mutex(())

/// How a tool run ended.
public enum ToolOutcome: Hashable, Sendable {
    /// The tool exited with this status.
    case exited(Int32)
    /// The tool was killed by this signal (not by us).
    case signaled(Int32)
    /// The tool ran past the deadline and was killed; its partial output is kept.
    case timedOut(seconds: Double)
    /// No executable by that name was found.
    case notFound
    /// It exists but could not be started (not executable, bad interpreter...).
    case failedToStart(reason: String)
    /// A person pasted what it printed: how it ended is not known.
    case pasted
}

/// One run of an external tool: what was run, how it ended and what it printed.
public struct ToolRun: Hashable, Sendable {
    /// The arguments after the executable.
    public var arguments: [String]
    /// The executable that ran, when one was found.
    public var path: String?
    /// How it ended.
    public var outcome: ToolOutcome
    /// Standard output, raw bytes (at most ``ToolRunner/outputLimit``).
    public var stdout: [UInt8]
    /// Standard error, raw bytes (at most ``ToolRunner/outputLimit``).
    public var stderr: [UInt8]
    /// True when output beyond the limit was read and dropped.
    public var truncated: Bool

    /// Creates a run record (replay builds these from a capture).
    public init(
        arguments: [String],
        path: String?,
        outcome: ToolOutcome,
        stdout: [UInt8] = [],
        stderr: [UInt8] = [],
        truncated: Bool = false
    ) {
        self.arguments = arguments
        self.path = path
        self.outcome = outcome
        self.stdout = stdout
        self.stderr = stderr
        self.truncated = truncated
    }
}

/// Runs a tool with stdin from /dev/null, both outputs drained while it runs, and a deadline.
///
/// nvidia-smi and npu-smi hang on sick hosts (a wedged driver blocks them forever), so every
/// run has a timeout. The child gets its own process group, and on timeout the whole group gets
/// SIGTERM, then SIGKILL after a grace second: a wrapper script's children die with it. Output
/// is read with poll() in this thread, so a tool that prints hundreds of megabytes cannot
/// fill a pipe and stall, and a grandchild that keeps the pipe open cannot keep us waiting.
public enum ToolRunner {
    /// The most bytes kept per stream; the rest is read and dropped.
    public static let outputLimit = 16 << 20

    /// Finds `name` in the given directories (the first executable regular file wins).
    ///
    /// - Parameters:
    ///   - name: the tool's file name.
    ///   - searchPath: directories to look in, in order.
    /// - Returns: the path, or nil when no directory has it.
    public static func locate(_ name: String, in searchPath: [String]) -> String? {
        if name.contains("/") { return access(name, F_OK) == 0 ? name : nil }
        for directory in searchPath where !directory.isEmpty {
            let candidate = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                return candidate
            }
        }
        return nil
    }

    /// Runs `path` with `arguments` until it exits or `timeout` seconds pass.
    ///
    /// - Parameters:
    ///   - path: the executable.
    ///   - arguments: its arguments.
    ///   - timeout: seconds before SIGTERM to the process group; SIGKILL follows a second later.
    ///   - environment: the child's environment; nil keeps ours.
    /// - Returns: the run record; never throws: failures to start are an outcome.
    public static func run(
        _ path: String,
        _ arguments: [String],
        timeout: Double,
        environment: [String]? = nil
    ) -> ToolRun {
        var record = ToolRun(arguments: arguments, path: path, outcome: .notFound)
        guard access(path, F_OK) == 0 else { return record }
        guard access(path, X_OK) == 0 else {
            record.outcome = .failedToStart(reason: "not executable (check its permissions)")
            return record
        }

        let spawned = spawnLock.withLock { _ in
            Interruption.spawnTracked(
                { spawn(path, arguments, environment) },
                group: { try? $0.get().0 }
            )
        }
        let pid: pid_t
        let outFD: Int32
        let errFD: Int32
        switch spawned {
        case .failure(let error):
            record.outcome = .failedToStart(reason: error.reason)
            return record
        case .success(let child):
            (pid, outFD, errFD) = child
        }

        let started = monotonicSeconds()
        var streams = [Stream(fd: outFD), Stream(fd: errFD)]
        var exitStatus: Int32?
        var killedAt: Double?
        var exitedAt: Double?
        while true {
            let now = monotonicSeconds()
            if exitStatus == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    exitStatus = status
                    exitedAt = now
                }
            }
            if exitStatus == nil {
                if killedAt == nil, now - started >= timeout {
                    kill(-pid, SIGTERM)
                    killedAt = now
                } else if let killed = killedAt, now - killed >= 1 {
                    kill(-pid, SIGKILL)
                }
            }
            let drained = streams.allSatisfy(\.closed)
            if let exited = exitedAt {
                // A grandchild may hold the pipes open after the tool exits: wait briefly.
                if drained || now - exited > 0.2 { break }
            }
            pollOnce(&streams, milliseconds: 20)
        }
        for stream in streams where !stream.closed { close(stream.fd) }
        Interruption.untrack(group: pid)

        record.stdout = streams[0].bytes
        record.stderr = streams[1].bytes
        record.truncated = streams.contains { $0.dropped }
        if killedAt != nil {
            record.outcome = .timedOut(seconds: timeout)
        } else if let status = exitStatus {
            let signal = status & 0x7f
            record.outcome = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        }
        return record
    }

    /// Starts the child in its own process group with stdin from /dev/null and both outputs
    /// on fresh pipes; returns its pid and our read ends.
    private static func spawn(
        _ path: String,
        _ arguments: [String],
        _ environment: [String]?
    ) -> Result<(pid_t, Int32, Int32), SpawnError> {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else {
            return .failure(SpawnError("pipe: " + FileSystem.errorText()))
        }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            return .failure(SpawnError("pipe: " + FileSystem.errorText()))
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Any descriptor another thread opened without O_CLOEXEC (Foundation's file writes)
        // would otherwise live on in a hung tool: a file being written elsewhere stays open for
        // writing, and exec of it fails with ETXTBSY for as long as the tool hangs.
        _ = cshims_spawn_closefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The tool gets default actions and an empty mask for every signal gpuprobe takes
        // itself (Interruption.signals), whatever this process inherited or blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in Interruption.signals { sigaddset(&defaults, signal) }
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )

        var pid = pid_t()
        let status = withCStrings([path] + arguments) { cArgv in
            withCStrings(environment ?? currentEnvironment()) { cEnv in
                posix_spawn(&pid, path, &actions, &attributes, cArgv, cEnv)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            return .failure(SpawnError(FileSystem.errorText(status)))
        }
        return .success((pid, outPipe[0], errPipe[0]))
    }

    private struct SpawnError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private struct Stream {
        let fd: Int32
        var bytes: [UInt8] = []
        var closed = false
        var dropped = false
    }

    private static func pollOnce(_ streams: inout [Stream], milliseconds: Int32) {
        var fds = streams.filter { !$0.closed }.map {
            pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0)
        }
        guard !fds.isEmpty else {
            usleep(UInt32(milliseconds) * 1000)
            return
        }
        guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        for ready in fds where ready.revents != 0 {
            guard let index = streams.firstIndex(where: { $0.fd == ready.fd }) else { continue }
            let count = chunk.withUnsafeMutableBytes { read(ready.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                let room = outputLimit - streams[index].bytes.count
                if room >= count {
                    streams[index].bytes += chunk[0..<count]
                } else {
                    streams[index].bytes += chunk[0..<max(room, 0)]
                    streams[index].dropped = true
                }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                close(ready.fd)
                streams[index].closed = true
            }
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func currentEnvironment() -> [String] {
        var result: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            result.append(String(cString: entry))
            pointer += 1
        }
        return result
    }

    private static func withCStrings<R>(
        _ strings: [String],
        _ body: ([UnsafeMutablePointer<CChar>?]) -> R
    ) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
