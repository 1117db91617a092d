@testable import GPUProbe

/// Runs a program the way the tests run the built `gpuprobe`: through ``ToolRunner`` (stdin
/// from /dev/null, a deadline, both outputs kept), with the environment given and nothing else.
enum CommandRun {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Status -1 when the program did not exit by itself (killed at the deadline, not found).
    static func run(
        _ path: String,
        _ arguments: [String],
        environment: [String],
        timeout: Double = 60
    ) -> Result {
        let run = ToolRunner.run(path, arguments, timeout: timeout, environment: environment)
        guard case .exited(let status) = run.outcome else {
            return Result(status: -1, stdout: "", stderr: "")
        }
        return Result(
            status: status,
            stdout: String(decoding: run.stdout, as: UTF8.self),
            stderr: String(decoding: run.stderr, as: UTF8.self)
        )
    }
}
