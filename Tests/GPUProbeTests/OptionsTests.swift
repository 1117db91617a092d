import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct OptionsTests {
    @Test(arguments: [
        (args: [String](), command: Options.Command.probe(replay: nil)),
        (args: ["probe"], command: .probe(replay: nil)),
        (args: ["--replay", "b"], command: .probe(replay: "b")),
        (args: ["probe", "--replay=b"], command: .probe(replay: "b")),
        (args: ["capture", "out"], command: .capture(directory: "out", force: false)),
        (args: ["capture", "--force", "out"], command: .capture(directory: "out", force: true)),
        (args: ["parse", "nvidia-smi"], command: .parse(tool: .nvidiaSMI, input: "-")),
        (args: ["parse", "lspci", "-"], command: .parse(tool: .lspci, input: "-")),
        (args: ["parse", "npu-smi", "x.txt"], command: .parse(tool: .npuSMI, input: "x.txt")),
        (args: ["capture", "x", "--help"], command: .help(command: "capture")),
        (args: ["--help"], command: .help()),
        (args: ["-h", "match"], command: .help(command: "match")),
        (args: ["help"], command: .help()),
        (args: ["help", "run-flags"], command: .help(command: "run-flags")),
        (args: ["completions", "zsh"], command: .completions(.zsh)),
        // One version for the whole tool, so after a command it is still the answer.
        (args: ["match", "--version"], command: .version),
        (args: ["completions", "-V"], command: .version),
        (args: ["-V"], command: .version),
        (args: ["match"], command: .match(.init())),
        (
            args: [
                "match", "--host", "h.json", "--drivers=D", "--python", "3.11", "--torch", "2.7",
                "--catalog", "c.json", "--pip-index-url", "https://mirror.example/whl/{variant}",
            ],
            command: .match(
                .init(
                    host: .init(["h.json"]),
                    drivers: "D",
                    python: "3.11",
                    torch: "2.7",
                    catalog: "c.json",
                    pipIndexURL: "https://mirror.example/whl/{variant}"
                )
            )
        ),
        (args: ["match", "--host", "-"], command: .match(.init(host: .init(["-"])))),
        (
            args: ["match", "--host", "smi.txt", "--host", "lspci.txt", "--arch", "aarch64"],
            command: .match(.init(host: .init(["smi.txt", "lspci.txt"], architecture: "aarch64")))
        ),
        (
            args: [
                "dockerfile", "--host", "h.json", "--drivers", "D", "--base", "ubuntu:22.04",
                "-o", "Dockerfile", "--force", "--torch", "2.7",
            ],
            command: .dockerfile(
                .init(
                    match: .init(host: .init(["h.json"]), drivers: "D", torch: "2.7"),
                    base: "ubuntu:22.04",
                    output: "Dockerfile",
                    force: true
                )
            )
        ),
        (args: ["dockerfile", "--output=F"], command: .dockerfile(.init(output: "F"))),
        (args: ["run-flags"], command: .runFlags(host: .init(), devices: .all)),
        (
            args: ["run-flags", "--host", "-", "--devices", "0,2"],
            command: .runFlags(host: .init(["-"]), devices: .indices([0, 2]))
        ),
        (
            args: ["stage-ascend", "--context", "ctx", "--force"],
            command: .stageAscend(context: "ctx", force: true)
        ),
        (
            args: ["check", "Dockerfile", "--host", "h.json", "--context", "."],
            command: .check(.init(dockerfile: "Dockerfile", host: .init(["h.json"]), context: "."))
        ),
        (args: ["check", "-"], command: .check(.init(dockerfile: "-"))),
    ])
    func parsesCommands(args: [String], command: Options.Command) throws {
        #expect(try Options.parse(args).command == command)
    }

    @Test func parsesFlags() throws {
        let options = try Options.parse([
            "--format", "text", "--timeout=2.5", "--root", "/host", "--tool-path", "/a:/b",
            "--sysfs", "/x",
        ])
        #expect(options.format == .text)
        #expect(options.timeout == 2.5)
        #expect(options.root == "/host")
        #expect(options.toolPath == ["/a", "/b"])
        #expect(options.sysfsPath == "/x")
    }

    @Test(arguments: [
        (args: ["--bogus"], error: UsageError.unknownOption("--bogus")),
        (args: ["--timeout"], error: .missingValue(flag: "--timeout")),
        (
            args: ["--timeout", "0"],
            error: .badValue(
                flag: "--timeout",
                value: "0",
                expected: "seconds, more than 0 and at most 3600"
            )
        ),
        (
            args: ["--format", "xml"],
            error: .badValue(flag: "--format", value: "xml", expected: "json, text or nfd")
        ),
        (
            args: ["capture"],
            error: .missingArgument("the folder to write, as in `gpuprobe capture DIR`")
        ),
        (
            args: ["parse", "dmesg"],
            error: .badValue(
                flag: "parse",
                value: "dmesg",
                expected: "nvidia-smi, npu-smi or lspci"
            )
        ),
        (args: ["probe", "extra"], error: .unexpectedArgument("extra")),
        (
            args: ["--force"],
            error: .notApplicable(flag: "--force", command: "probe without --output-file")
        ),
        (args: ["--force=yes", "capture", "d"], error: .unexpectedValue(flag: "--force")),
        (
            args: ["dockerfile", "--force"],
            error: .notApplicable(flag: "--force", command: "dockerfile without -o")
        ),
        (args: ["match", "--base", "x"], error: .notApplicable(flag: "--base", command: "match")),
        (
            args: ["match", "--arch", "aarch64"],
            error: .notApplicable(flag: "--arch", command: "match without --host")
        ),
        (
            args: ["run-flags", "--host", "x", "--arch", "aarch64"],
            error: .notApplicable(flag: "--arch", command: "run-flags")
        ),
        (
            args: ["check", "D", "--host", "x", "--arch", "arm64"],
            error: .badValue(flag: "--arch", value: "arm64", expected: "x86_64 or aarch64")
        ),
        (args: ["probe", "-o", "x"], error: .notApplicable(flag: "-o", command: "probe")),
        (
            args: ["run-flags", "--devices", "0,0"],
            error: .badValue(
                flag: "--devices",
                value: "0,0",
                expected: "all, or indices such as 0 or 0,1"
            )
        ),
        (
            args: ["run-flags", "--devices", "-1"],
            error: .badValue(
                flag: "--devices",
                value: "-1",
                expected: "all, or indices such as 0 or 0,1"
            )
        ),
        (
            args: ["run-flags", "--drivers", "D"],
            error: .notApplicable(flag: "--drivers", command: "run-flags")
        ),
        (
            args: ["stage-ascend"],
            error: .missingArgument("--context DIR, the build context to copy into")
        ),
        (
            args: ["stage-ascend", "--context", "c", "--host", "h"],
            error: .notApplicable(flag: "--host", command: "stage-ascend")
        ),
        (
            args: ["check"],
            error: .missingArgument("the Dockerfile, as in `gpuprobe check Dockerfile`")
        ),
        (args: ["check", "a", "b"], error: .unexpectedArgument("b")),
        (args: ["--python", "3.11"], error: .notApplicable(flag: "--python", command: "probe")),
        (
            args: ["parse", "lspci", "--force"],
            error: .notApplicable(flag: "--force", command: "parse")
        ),
        (args: ["match", "x"], error: .unexpectedArgument("x")),
        (
            args: ["help", "nope"],
            error: .badValue(
                flag: "help",
                value: "nope",
                expected: "a command (probe, capture, parse, match, dockerfile, run-flags, "
                    + "stage-ascend, check, completions, help) or man"
            )
        ),
        (args: ["completions"], error: .missingArgument("the shell, one of bash, zsh, fish")),
        (
            args: ["completions", "tcsh"],
            error: .badValue(flag: "completions", value: "tcsh", expected: "bash, zsh or fish")
        ),
        (args: ["completions", "bash", "zsh"], error: .unexpectedArgument("zsh")),
        (
            args: ["completions", "bash", "--format", "json"],
            error: .notApplicable(flag: "--format", command: "completions")
        ),
        // dockerfile prints a Dockerfile whatever --format says, so the flag is refused.
        (
            args: ["dockerfile", "--format", "json"],
            error: .notApplicable(flag: "--format", command: "dockerfile")
        ),
        (
            args: ["match", "--format", "nfd"],
            error: .notApplicable(flag: "--format nfd", command: "match")
        ),
        (
            args: ["probe", "--output", "x"],
            error: .notApplicable(flag: "--output", command: "probe")
        ),
        (
            args: ["match", "--replay", "d"],
            error: .notApplicable(flag: "--replay", command: "match")
        ),
        (
            args: ["match", "--python", "2.7"],
            error: .badValue(flag: "--python", value: "2.7", expected: "a version such as 3.11")
        ),
        (
            args: ["match", "--torch", "2.7.1;id"],
            error: .badValue(
                flag: "--torch",
                value: "2.7.1;id",
                expected: "a version such as 2.7.1 or 2.7"
            )
        ),
        (
            args: ["match", "--pip-index-url", "https://x/$(id)"],
            error: .badValue(
                flag: "--pip-index-url",
                value: "https://x/$(id)",
                expected: "an http(s) URL of letters, digits and ._~:/%+=@- "
                    + "({variant} is replaced by the variant, for example cu124)"
            )
        ),
        (
            args: ["match", "--pip-index-url", "file:///etc"],
            error: .badValue(
                flag: "--pip-index-url",
                value: "file:///etc",
                expected: "an http(s) URL of letters, digits and ._~:/%+=@- "
                    + "({variant} is replaced by the variant, for example cu124)"
            )
        ),
    ])
    func rejectsBadCommandLines(args: [String], error: UsageError) {
        #expect(throws: error) { try Options.parse(args) }
    }

    @Test func helpNamesEveryCommandAndItsFlags() {
        for (command, flags) in Options.commandFlags {
            #expect(HelpText.full.contains(command), "\(command)")
            for flag in flags { #expect(HelpText.full.contains(flag), "\(command) \(flag)") }
        }
        #expect(!HelpText.full.contains("Not implemented yet"))
    }
}
