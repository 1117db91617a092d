import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// gpuprobe never colours its output, so `NO_COLOR` (no-color.org) holds whatever its value:
/// every text output, results and messages alike, is run on a pseudo-terminal with `NO_COLOR`
/// unset and `TERM` naming a colour terminal, where a tool that colours would, and must carry no
/// ESC byte (0x1b), the start of every colour escape, even where the input had one.
@Suite struct NoColourTests {
    /// Text output of each command, its error paths and its help.
    enum Case: String, CaseIterable, Sendable {
        case probeText, parseText, matchText, checkFindings, runFlags, dockerfile, stageAscendError
        case help, commandHelp, usageError
        /// A pasted nvidia-smi table whose GPU name carries a colour escape, and an argument
        /// with one: gpuprobe repeats both, written out visibly (see TerminalText).
        case escapeInTheInput, escapeInAnArgument

        func arguments() -> [String] {
            switch self {
            case .probeText:
                [
                    "probe", "--replay", Fixtures.url("hosts/a100-sxm4-mig-xml").path, "--format",
                    "text",
                ]
            case .parseText:
                [
                    "parse", "nvidia-smi",
                    Fixtures.url("nvidia-smi/table_535.161.07_gtx1050ti.txt").path,
                    "--format", "text",
                ]
            case .matchText: ["match", "--host", "host.json", "--format", "text"]
            case .checkFindings:
                [
                    "check", Fixtures.url("dockerfiles/packaging-guide.Dockerfile").path, "--host",
                    "host.json", "--context", ".",
                ]
            case .runFlags: ["run-flags", "--host", "host.json"]
            case .dockerfile: ["dockerfile", "--host", "host.json"]
            case .stageAscendError: ["stage-ascend", "--context", "ctx", "--root", "Drivers"]
            case .help: ["--help"]
            case .commandHelp: ["check", "--help"]
            case .usageError: ["match", "--no-such-option"]
            case .escapeInTheInput: ["parse", "nvidia-smi", "hostile.txt", "--format", "text"]
            case .escapeInAnArgument: ["match", "--no-such-\u{1B}[31moption"]
            }
        }
    }

    static func quoted(_ word: String) -> String {
        "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// Runs a shell line with its standard output and error on a new pseudo-terminal, through
    /// util-linux's `script` (in bsdutils, which every Debian system has), in `folder`.
    static func onTerminal(_ line: String, in folder: URL) -> [UInt8] {
        let run = CommandRun.run(
            "/usr/bin/script",
            ["-q", "-e", "-c", "cd \(quoted(folder.path)) && " + line, "/dev/null"],
            environment: [
                "PATH=/usr/bin:/bin", "TERM=xterm-256color", "COLORTERM=truecolor",
                "XDG_CACHE_HOME=\(folder.appendingPathComponent("cache").path)",
            ]
        )
        return run.stdoutBytes
    }

    @Test func theHarnessGivesATerminal() throws {
        let folder = FileManager.default.temporaryDirectory
        let output = Self.onTerminal("test -t 1 && test -t 2 && echo terminal", in: folder)
        #expect(String(decoding: output, as: UTF8.self).hasPrefix("terminal"))
    }

    @Test(arguments: Case.allCases)
    func noEscapeByteOnATerminal(row: Case) throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let table = try String(
            contentsOf: Fixtures.url("nvidia-smi/table_535.161.07_gtx1050ti.txt"),
            encoding: .utf8
        )
        let hostile = table.replacing("GeForce", with: "Ge\u{1B}[31mForce\u{9B}0m")
        #expect(hostile != table)
        try Data(hostile.utf8).write(to: context.appendingPathComponent("hostile.txt"))
        let line = ([CommandRun.executable] + row.arguments()).map(Self.quoted)
            .joined(separator: " ")
        let output = Self.onTerminal(line, in: context)
        #expect(output.count > 40, "\(String(decoding: output, as: UTF8.self))")
        #expect(!output.contains(0x1b), "\(String(decoding: output, as: UTF8.self))")
    }
}
