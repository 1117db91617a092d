import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Commands run as library functions: parsed, run with a context the test gives, and turned
/// into output, messages and an exit status by ``Commands/execute(_:_:)`` — what the binary
/// does, without spawning it.
@Suite struct CommandExecutionTests {
    /// A context whose standard input is `stdin`, with an empty environment and a fixed clock;
    /// files are read as the binary reads them.
    static func context(stdin: String = "") -> CommandContext {
        CommandContext(
            environment: { _ in nil },
            currentDirectory: Fixtures.url("..").path,
            timestamp: { "2026-12-06T00:00:00Z" },
            read: { path throws(CommandFailure) in
                path == "-" ? Array(stdin.utf8) : try StandardStreams.read(path)
            }
        )
    }

    static let a100 = Fixtures.url("hosts/a100-sxm4-mig-xml").path

    @Test func aCheckOfStandardInputThatDoesNotFitExitsOne() throws {
        var context = Self.context(
            stdin: "FROM ubuntu:22.04\nRUN sh NVIDIA-Linux-x86_64-550.54.14.run --silent "
                + "--no-kernel-module\n"
        )
        let run = Commands.execute(["check", "-", "--host", Self.a100], &context)
        #expect(run.status == .incompatible)
        #expect(run.output.contains("stdin:2: error: "), "\(run.output)")
        #expect(run.messages.isEmpty)
    }

    @Test func aCheckThatFitsExitsZeroWithJSON() throws {
        var context = Self.context(stdin: "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\n")
        let run = Commands.execute(
            ["check", "-", "--host", Self.a100, "--format", "json"],
            &context
        )
        #expect(run.status == .success, "\(run.output)")
        #expect(run.output.contains("\n  \"compatible\": true,\n"), "\(run.output)")
    }

    @Test func aDeviceTheHostLacksIsAUsageErrorWithNoOutput() {
        var context = Self.context()
        let run = Commands.execute(["run-flags", "--host", Self.a100, "--devices", "7"], &context)
        #expect(run.status == .usage)
        #expect(run.output.isEmpty)
        #expect(run.messages.count == 1)
        #expect(run.messages.first?.hasPrefix("gpuprobe: error: ") == true, "\(run.messages)")
    }

    @Test func standardInputTwiceIsAUsageError() {
        var context = Self.context()
        let run = Commands.execute(["match", "--host", "-", "--host", "-"], &context)
        #expect(run.status == .usage)
        #expect(
            run.messages == [
                "gpuprobe: error: standard input (-) can be read once: pass it as one --host "
                    + "only\n"
            ]
        )
    }

    @Test func aFlagOfAnotherCommandNamesItAndShowsTheUsage() {
        var context = Self.context()
        let run = Commands.execute(["match", "--base", "ubuntu:22.04"], &context)
        #expect(run.status == .usage)
        let message = run.messages.joined()
        #expect(
            message.hasPrefix(
                "gpuprobe: error: --base does not apply to 'match'; dockerfile takes it\n"
                    + "usage: gpuprobe match "
            ),
            "\(message)"
        )
    }

    /// A plan with no installer for the host's GPUs is printed and exits 3; the notes on how
    /// the folder was read go to standard error.
    @Test func anIncompletePlanIsPrintedAndExitsThree() throws {
        let empty = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-empty-drivers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        var context = Self.context()
        let run = Commands.execute(
            ["match", "--host", Self.a100, "--drivers", empty.path, "--format", "text"],
            &context
        )
        #expect(run.status == .planIncomplete)
        #expect(run.output.contains("driver: none"), "\(run.output)")
    }

    /// What a command with a typed failure exits with is chosen in one place.
    @Test(arguments: [
        (CommandFailure.usage("x"), GPUProbe.ExitStatus.usage),
        (.input("x"), .error),
        (.emit(.unsafe(what: "a", value: "b", expected: "c")), .error),
        (.emit(.unknownDevice("x")), .usage),
        (.emit(.planIncomplete("x")), .planIncomplete),
        (.emit(.nothingToEmit("x")), .planIncomplete),
    ])
    func eachFailureHasItsStatus(failure: CommandFailure, status: GPUProbe.ExitStatus) {
        #expect(GPUProbe.ExitStatus(failure) == status)
    }
}
