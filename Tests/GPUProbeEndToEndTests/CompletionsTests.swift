import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `gpuprobe completions bash|zsh|fish`: each script is valid for its shell, and bash and fish
/// complete commands, flags and values the way a user at the prompt would see them.
@Suite struct CompletionsTests {
    /// A shell from Debian, or nil where it is not installed (CI installs zsh and fish through
    /// the Makefile's TEST_PACKAGES; elsewhere the test says it was skipped and why).
    static func shell(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/bin/\(name)"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    typealias Output = CommandRun.Result

    static func run(_ path: String, _ arguments: [String]) -> Output {
        CommandRun.run(
            path,
            arguments,
            environment: ["PATH=/usr/bin:/bin", "HOME=/nonexistent"],
            timeout: 30
        )
    }

    /// The script in a temporary file, removed by the caller.
    static func file(_ shell: CompletionsCommand.Shell) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-completion-\(UUID().uuidString).\(shell.rawValue)")
        try Data(Completions.script(for: shell).utf8).write(to: url)
        return url
    }

    @Test(arguments: CompletionsCommand.Shell.allCases)
    func theBinaryPrintsTheScript(shell: CompletionsCommand.Shell) {
        let result = HelpTextTests.run(["completions", shell.rawValue])
        #expect(result.status == 0)
        #expect(result.stdout == Completions.script(for: shell))
        #expect(result.stderr.isEmpty)
    }

    /// One flag, one kind of value: the bash and fish scripts complete a flag's value the same
    /// way whichever command it follows.
    @Test func aFlagTakesTheSameKindOfValueInEveryCommand() {
        func kind(_ value: CommandSpec.Value) -> String {
            switch value {
            case .none: "none"
            case .file: "file"
            case .directory: "directory"
            case .choice: "choice"
            case .text: "text"
            }
        }
        var kinds: [String: String] = [:]
        for flag in CommandSpec.all.flatMap(\.flags) {
            for name in flag.names {
                let seen = kinds[name, default: kind(flag.value)]
                #expect(seen == kind(flag.value), "\(name)")
                kinds[name] = seen
            }
        }
    }

    @Test func bashAcceptsTheScriptAndRegistersIt() throws {
        let script = try Self.file(.bash)
        defer { try? FileManager.default.removeItem(at: script) }
        #expect(Self.run("/bin/bash", ["-n", script.path]).status == 0)
        let registered = Self.run(
            "/bin/bash",
            [
                "--norc", "--noprofile", "-c", "source \"$1\" && complete -p gpuprobe", "sh",
                script.path,
            ]
        )
        #expect(registered.status == 0)
        #expect(registered.stdout == "complete -F _gpuprobe gpuprobe\n")
        #expect(registered.stderr.isEmpty)
    }

    /// What bash offers for the words typed so far (the last is the word being completed), in a
    /// folder holding `Sub/` and `Sfile`.
    static let bashCases: [(words: [String], offered: [String])] = [
        (words: ["gpuprobe", "ma"], offered: ["match"]),
        (words: ["gpuprobe", "match", "--d"], offered: ["--drivers"]),
        (words: ["gpuprobe", ""], offered: CommandSpec.all.map(\.name)),
        (words: ["gpuprobe", "--format", ""], offered: ["json", "text", "nfd"]),
        (words: ["gpuprobe", "--format", "=", "n"], offered: ["nfd"]),
        (words: ["gpuprobe", "check", "--format", ""], offered: ["text", "json"]),
        (words: ["gpuprobe", "parse", "n"], offered: ["nvidia-smi", "npu-smi"]),
        (words: ["gpuprobe", "parse", "lspci", "S"], offered: ["Sfile", "Sub"]),
        (words: ["gpuprobe", "completions", ""], offered: ["bash", "zsh", "fish"]),
        (words: ["gpuprobe", "help", "st"], offered: ["stage-ascend"]),
        (words: ["gpuprobe", "match", "--drivers", "S"], offered: ["Sub"]),
        (words: ["gpuprobe", "capture", "S"], offered: ["Sub"]),
        (words: ["gpuprobe", "capture", "out", "S"], offered: []),
        (words: ["gpuprobe", "dockerfile", "-o", "S"], offered: ["Sfile", "Sub"]),
        (words: ["gpuprobe", "match", "--python", ""], offered: []),
        // A flag's value is not the command, even when it is a command's name.
        (words: ["gpuprobe", "--replay", "check", "--rep"], offered: ["--replay"]),
        (
            words: ["gpuprobe", "check", "Dockerfile", "--c"],
            offered: ["--context", "--catalog", "--cuda-images"]
        ),
    ]

    @Test(arguments: bashCases)
    func bashCompletes(words: [String], offered: [String]) throws {
        let script = try Self.file(.bash)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-completion-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: script)
            try? FileManager.default.removeItem(at: folder)
        }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Sub"),
            withIntermediateDirectories: true
        )
        try Data().write(to: folder.appendingPathComponent("Sfile"))
        // The way bash calls the function at a prompt: COMP_WORDS and COMP_CWORD set.
        let body = """
            cd "$1" && source "$2" && shift 2
            COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
            _gpuprobe && printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = Self.run(
            "/bin/bash",
            ["--norc", "--noprofile", "-c", body, "sh", folder.path, script.path] + words
        )
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(lines.sorted() == offered.sorted())
    }

    @Test(.enabled(if: shell("zsh") != nil, "zsh is not installed (apt-get install zsh)"))
    func zshAcceptsTheScript() throws {
        let script = try Self.file(.zsh)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = Self.run(try #require(Self.shell("zsh")), ["-n", script.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(Completions.script(for: .zsh).hasPrefix("#compdef gpuprobe\n"))
    }

    @Test(.enabled(if: shell("fish") != nil, "fish is not installed (apt-get install fish)"))
    func fishAcceptsTheScript() throws {
        let script = try Self.file(.fish)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = Self.run(try #require(Self.shell("fish")), ["--no-execute", script.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    /// What fish offers (`complete -C`, the candidates fish shows at the prompt), first column.
    @Test(
        .enabled(if: shell("fish") != nil, "fish is not installed (apt-get install fish)"),
        arguments: [
            (line: "gpuprobe ma", offered: ["match"]),
            (line: "gpuprobe match --d", offered: ["--drivers"]),
            (line: "gpuprobe parse ", offered: ["lspci", "npu-smi", "nvidia-smi"]),
            (line: "gpuprobe --format ", offered: ["json", "nfd", "text"]),
            (line: "gpuprobe run-flags --format ", offered: ["json", "text"]),
            (line: "gpuprobe completions ", offered: ["bash", "fish", "zsh"]),
        ]
    )
    func fishCompletes(line: String, offered: [String]) throws {
        let script = try Self.file(.fish)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = Self.run(
            try #require(Self.shell("fish")),
            ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script.path, line]
        )
        #expect(result.status == 0)
        let first = result.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        #expect(first.sorted() == offered.sorted())
    }
}
