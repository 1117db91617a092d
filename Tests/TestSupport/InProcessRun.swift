import Foundation

@testable import GPUProbe

/// gpuprobe run as a library function, for unit tests.
///
/// ``Commands/execute(_:_:)`` is what the binary does, without spawning it. Paths are taken
/// from the test process's folder, so tests pass absolute ones.
enum InProcessRun {
    /// Runs `arguments` with only `XDG_CACHE_HOME` set (to `cache`) and nothing on standard
    /// input.
    static func gpuprobe(_ arguments: [String], cache: URL) -> Commands.Execution {
        var context = CommandContext(
            environment: { $0 == "XDG_CACHE_HOME" ? cache.path : nil },
            currentDirectory: StandardStreams.currentDirectory(),
            timestamp: { "2026-12-06T00:00:00Z" },
            read: { path throws(CommandFailure) in
                path == "-" ? [] : try StandardStreams.read(path)
            }
        )
        return Commands.execute(arguments, &context)
    }
}
