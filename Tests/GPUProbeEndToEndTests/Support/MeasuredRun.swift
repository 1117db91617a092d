import Foundation
import Testing

@testable import TestSupport

/// Runs the built `gpuprobe` and measures how much memory it took.
enum MeasuredRun {
    /// Runs `gpuprobe` with standard input from `stdin` and `XDG_CACHE_HOME` set to `folder`,
    /// and measures its peak resident memory (`wait4`'s `ru_maxrss`, see
    /// ``CommandRun/forkAndMeasure``).
    ///
    /// ``MatchCommandTests/run(_:cache:in:)`` cannot say how much memory the command used, and a
    /// limit on it does not tell either: Foundation fails to map a huge file under a limit and
    /// carries on, so holding a 2 GiB input in memory would pass unseen.
    static func gpuprobe(
        _ arguments: [String],
        stdin: String = "/dev/null",
        in folder: URL
    ) throws -> (result: CommandRun.Result, peakMiB: Int) {
        let result = CommandRun.gpuprobe(
            arguments,
            environment: ["XDG_CACHE_HOME=\(folder.path)", "PATH=/usr/bin:/bin"],
            stdin: .file(stdin),
            measureMemory: true
        )
        let peak = try #require(result.peakMiB, "the measuring wrapper wrote no figure")
        return (result, peak)
    }

    /// Far below what holding a 2 GiB input would take, far above what gpuprobe needs.
    static let memoryBoundMiB = 256
}

extension MeasuredRun {
    /// `gpuprobe match` of the A100 host over `drivers`, its peak memory held to the bound.
    static func matchA100(drivers: URL, in work: FakeInstallers) throws -> CommandRun.Result {
        let host = try MatchCommandTests.a100Host(in: work.directory)
        let (result, peak) = try gpuprobe(
            ["match", "--host", host, "--drivers", drivers.path],
            in: work.directory
        )
        #expect(peak < memoryBoundMiB, "match used \(peak) MiB")
        return result
    }
}
