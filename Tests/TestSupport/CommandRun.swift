import Foundation

@testable import GPUProbe

/// The one way the tests run a program, the built `gpuprobe` above all: through
/// ``ToolRunner`` (its own process group, a deadline, both outputs kept up to 16 MiB), with the
/// environment given and nothing else, in a working folder, with standard input from a file
/// or bytes, and, when asked, the program's peak memory.
///
/// A working folder or an input other than /dev/null goes through a `/bin/sh` trampoline
/// that changes folder and redirects, then `exec`s the program, so the program keeps the
/// process ``ToolRunner`` started (and its deadline and process group).
enum CommandRun {
    struct Result {
        /// The exit status; -1 when the program did not exit by itself (killed at the
        /// deadline, killed by a signal, not found).
        let status: Int32
        let stdout: String
        let stderr: String
        /// Standard output as the program wrote it, for the tests that look at bytes.
        var stdoutBytes: [UInt8] = []
        /// Whether the program exited by itself (`status` is then its own).
        var exited: Bool { outcome.map { if case .exited = $0 { true } else { false } } ?? true }
        var outcome: ToolOutcome?
        /// Whether an output passed ToolRunner's 16 MiB cap and was cut.
        var truncated = false
        /// Peak resident memory in MiB (`wait4`'s `ru_maxrss`), when asked for.
        var peakMiB: Int?

        init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Where standard input comes from.
    enum Input {
        case null
        /// A file, read by the program as its standard input.
        case file(String)
        /// These bytes, written to a temporary file first.
        case bytes([UInt8])
    }

    /// The `gpuprobe` built next to this test bundle.
    static let executable: String = {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent()
            .appendingPathComponent("gpuprobe").path
    }()

    /// The environment a test gives gpuprobe unless it says otherwise: a PATH, nothing else.
    static let plainEnvironment = ["PATH=/usr/bin:/bin"]

    /// Runs the built `gpuprobe`; see ``run(_:_:environment:directory:stdin:timeout:measureMemory:)``.
    static func gpuprobe(
        _ arguments: [String],
        environment: [String]? = plainEnvironment,
        directory: URL? = nil,
        stdin: Input = .null,
        timeout: Double = 60,
        measureMemory: Bool = false
    ) -> Result {
        run(
            executable,
            arguments,
            environment: environment,
            directory: directory,
            stdin: stdin,
            timeout: timeout,
            measureMemory: measureMemory
        )
    }

    /// Runs the built `gpuprobe` in `folder` (so that the default Drivers folder is the test's
    /// own, absent one), its driver cache in `cache`.
    static func gpuprobe(_ arguments: [String], cache: URL, in folder: URL) -> Result {
        gpuprobe(
            arguments,
            environment: ["XDG_CACHE_HOME=\(cache.path)", "PATH=/usr/bin:/bin"],
            directory: folder
        )
    }

    /// A JSON object from a command's output; empty when it is none.
    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// Runs `path` with `arguments`.
    ///
    /// - Parameters:
    ///   - path: the program.
    ///   - arguments: its arguments.
    ///   - environment: the program's whole environment; nil keeps the test runner's.
    ///   - directory: the working folder; nil keeps the test runner's.
    ///   - stdin: standard input, /dev/null unless given.
    ///   - timeout: seconds before the process group is killed (status -1).
    ///   - measureMemory: also measure the program's peak memory (``Result/peakMiB``).
    /// - Returns: how it ended and what it wrote; never throws: a failure to start is
    ///   status -1.
    static func run(
        _ path: String,
        _ arguments: [String],
        environment: [String]?,
        directory: URL? = nil,
        stdin: Input = .null,
        timeout: Double = 60,
        measureMemory: Bool = false
    ) -> Result {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-run-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        var argv = [path] + arguments
        let report = scratch.appendingPathComponent("maxrss").path
        if measureMemory {
            argv = ["/usr/bin/python3", "-c", forkAndMeasure, report] + argv
        }
        let input: String
        switch stdin {
        case .null: input = "/dev/null"
        case .file(let file): input = file
        case .bytes(let bytes):
            input = scratch.appendingPathComponent("stdin").path
            _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))
        }
        if directory != nil || input != "/dev/null" || measureMemory {
            argv = ["/bin/sh", "-c", trampoline, "sh", directory?.path ?? ".", input] + argv
        }
        let run = ToolRunner.run(
            argv[0],
            Array(argv.dropFirst()),
            timeout: timeout,
            environment: environment
        )
        var status: Int32 = -1
        if case .exited(let code) = run.outcome { status = code }
        // The measuring wrapper says 125 when a signal ended the program.
        if measureMemory, status == 125 { status = -1 }
        var result = Result(
            status: status,
            stdout: String(decoding: run.stdout, as: UTF8.self),
            stderr: String(decoding: run.stderr, as: UTF8.self)
        )
        result.stdoutBytes = run.stdout
        result.outcome = run.outcome
        result.truncated = run.truncated
        if measureMemory {
            let text = FileManager.default.contents(atPath: report)
                .map { String(decoding: $0, as: UTF8.self) }
            result.peakMiB = text.flatMap { Int($0) }.map { $0 >> 10 }
        }
        return result
    }

    /// `sh -c` with $1 the working folder, $2 standard input, then the program and its
    /// arguments: changes folder, redirects, and becomes the program.
    static let trampoline = "cd -- \"$1\" && input=$2 && shift 2 && exec \"$@\" < \"$input\""

    /// Forks, execs argv[2...] and waits; writes the child's `ru_maxrss` (KiB) to argv[1] and
    /// exits with the child's status (125 when a signal ended it).
    ///
    /// The program is started by this small Python process, not by the test process:
    /// Linux carries the parent's high-water RSS into a child's `ru_maxrss` at exec (through
    /// the `vfork` of `posix_spawn`, or the copied address space of `fork`), so a child of the
    /// test runner, which holds hundreds of megabytes by the end of the suite, would report
    /// the runner's peak, not its own. A child of a 10 MB Python reports its own.
    static let forkAndMeasure = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            os.execv(sys.argv[2], sys.argv[2:])
        _, status, usage = os.wait4(pid, 0)
        with open(sys.argv[1], "w") as f:
            f.write(str(usage.ru_maxrss))
        sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 125)
        """
}
