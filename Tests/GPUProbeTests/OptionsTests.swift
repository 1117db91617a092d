import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct OptionsTests {
    @Test(arguments: [
        (args: [String](), command: ProbeCommand() as any Command),
        (args: ["probe"], command: ProbeCommand()),
        (args: ["--replay", "b"], command: Self.probe(replay: "b")),
        (args: ["probe", "--replay=b"], command: Self.probe(replay: "b")),
        (args: ["capture", "out"], command: Self.capture("out", force: false)),
        (args: ["capture", "--force", "out"], command: Self.capture("out", force: true)),
        (args: ["parse", "nvidia-smi"], command: ParseCommand(tool: .nvidiaSMI)),
        (args: ["parse", "lspci", "-"], command: ParseCommand(tool: .lspci)),
        (
            args: ["parse", "npu-smi", "x.txt"],
            command: ParseCommand(tool: .npuSMI, input: "x.txt")
        ),
        (args: ["capture", "x", "--help"], command: HelpCommand("capture")),
        (args: ["--help"], command: HelpCommand()),
        (args: ["-h", "match"], command: HelpCommand("match")),
        (args: ["help"], command: HelpCommand()),
        (args: ["help", "run-flags"], command: HelpCommand("run-flags")),
        (args: ["help", "man"], command: HelpCommand("man")),
        (args: ["completions", "zsh"], command: CompletionsCommand(.zsh)),
        // One version for the whole tool, so after a command it is still the answer.
        (args: ["match", "--version"], command: VersionCommand()),
        (args: ["completions", "-V"], command: VersionCommand()),
        (args: ["-V"], command: VersionCommand()),
        (args: ["match"], command: MatchCommand()),
        (
            args: [
                "match", "--host", "h.json", "--drivers=D", "--python", "3.11", "--torch", "2.7",
                "--catalog", "c.json", "--pip-index-url", "https://mirror.example/whl/{variant}",
            ],
            command: MatchCommand(
                PlanFlags(
                    host: HostFlags(["h.json"]),
                    drivers: "D",
                    python: "3.11",
                    torch: "2.7",
                    catalog: "c.json",
                    pipIndexURL: "https://mirror.example/whl/{variant}"
                )
            )
        ),
        (args: ["match", "--host", "-"], command: MatchCommand(PlanFlags(host: HostFlags(["-"])))),
        (
            args: ["match", "--host", "smi.txt", "--host", "lspci.txt", "--arch", "aarch64"],
            command: MatchCommand(
                PlanFlags(host: HostFlags(["smi.txt", "lspci.txt"], architecture: "aarch64"))
            )
        ),
        (
            args: [
                "dockerfile", "--host", "h.json", "--drivers", "D", "--base", "ubuntu:22.04",
                "-o", "Dockerfile", "--force", "--torch", "2.7",
            ],
            command: DockerfileCommand(
                PlanFlags(host: HostFlags(["h.json"]), drivers: "D", torch: "2.7"),
                base: "ubuntu:22.04",
                output: "Dockerfile",
                force: true
            )
        ),
        (args: ["dockerfile", "--output=F"], command: DockerfileCommand(output: "F")),
        (args: ["dockerfile", "-o", "-"], command: DockerfileCommand()),
        (args: ["run-flags"], command: RunFlagsCommand()),
        (
            args: ["run-flags", "--host", "-", "--devices", "0,2"],
            command: RunFlagsCommand(host: HostFlags(["-"]), devices: .indices([0, 2]))
        ),
        (
            args: ["stage-ascend", "--context", "ctx", "--force"],
            command: Self.stage("ctx", force: true)
        ),
        (
            args: ["check", "Dockerfile", "--host", "h.json", "--context", "."],
            command: CheckCommand(
                dockerfile: "Dockerfile",
                host: HostFlags(["h.json"]),
                context: "."
            )
        ),
        (args: ["check", "-"], command: CheckCommand(dockerfile: "-")),
        // Flags may come before the verb.
        (
            args: ["--host", "h.json", "match"],
            command: MatchCommand(PlanFlags(host: HostFlags(["h.json"])))
        ),
        // A flag's value is never the verb.
        (args: ["--replay", "match"], command: Self.probe(replay: "match")),
    ])
    func parsesCommands(args: [String], command: any Command) throws {
        #expect(sameCommand(try Commands.parse(args), command))
    }

    static func probe(replay: String) -> ProbeCommand {
        var probe = ProbeCommand()
        probe.replay = replay
        return probe
    }

    static func capture(_ directory: String, force: Bool) -> CaptureCommand {
        var capture = CaptureCommand()
        capture.directory = directory
        capture.force = force
        return capture
    }

    static func stage(_ context: String, force: Bool) -> StageAscendCommand {
        var stage = StageAscendCommand()
        stage.context = context
        stage.force = force
        return stage
    }

    @Test func parsesFlags() throws {
        let probe = try #require(
            try Commands.parse([
                "--format", "text", "--timeout=2.5", "--root", "/host", "--tool-path", "/a:/b",
                "--sysfs", "/x",
            ]) as? ProbeCommand
        )
        #expect(probe.format == .text)
        #expect(probe.live.timeout == 2.5)
        #expect(probe.live.root == "/host")
        #expect(probe.live.toolPath == ["/a", "/b"])
        #expect(probe.live.sysfs == "/x")
    }

    /// The commands that take `--format`.
    static let formatted = [
        "probe", "capture", "parse", "match", "run-flags", "stage-ascend", "check",
    ]

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
        (
            args: ["match", "--base", "x"],
            error: .notApplicable(flag: "--base", command: "match", takenBy: ["dockerfile"])
        ),
        (
            args: ["match", "--arch", "aarch64"],
            error: .notApplicable(flag: "--arch", command: "match without --host")
        ),
        (
            args: ["run-flags", "--host", "x", "--arch", "aarch64"],
            error: .notApplicable(
                flag: "--arch",
                command: "run-flags",
                takenBy: ["match", "dockerfile", "check"]
            )
        ),
        (
            args: ["check", "D", "--host", "x", "--arch", "arm64"],
            error: .badValue(flag: "--arch", value: "arm64", expected: "x86_64 or aarch64")
        ),
        (
            args: ["probe", "-o", "x"],
            error: .notApplicable(flag: "-o", command: "probe", takenBy: ["dockerfile"])
        ),
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
            error: .notApplicable(
                flag: "--drivers",
                command: "run-flags",
                takenBy: ["match", "dockerfile"]
            )
        ),
        (
            args: ["stage-ascend"],
            error: .missingArgument("--context DIR, the build context to copy into")
        ),
        (
            args: ["stage-ascend", "--context", "c", "--host", "h"],
            error: .notApplicable(
                flag: "--host",
                command: "stage-ascend",
                takenBy: ["match", "dockerfile", "run-flags", "check"]
            )
        ),
        (
            args: ["check"],
            error: .missingArgument("the Dockerfile, as in `gpuprobe check Dockerfile`")
        ),
        (args: ["check", "a", "b"], error: .unexpectedArgument("b")),
        (
            args: ["--python", "3.11"],
            error: .notApplicable(
                flag: "--python",
                command: "probe",
                takenBy: ["match", "dockerfile"]
            )
        ),
        (
            args: ["parse", "lspci", "--force"],
            error: .notApplicable(
                flag: "--force",
                command: "parse",
                takenBy: ["probe", "capture", "dockerfile", "stage-ascend"]
            )
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
            error: .notApplicable(flag: "--format", command: "completions", takenBy: Self.formatted)
        ),
        // dockerfile prints a Dockerfile whatever --format says, so the flag is refused.
        (
            args: ["dockerfile", "--format", "json"],
            error: .notApplicable(flag: "--format", command: "dockerfile", takenBy: Self.formatted)
        ),
        (
            args: ["match", "--format", "nfd"],
            error: .notApplicable(flag: "--format nfd", command: "match", takenBy: ["probe"])
        ),
        (
            args: ["probe", "--output", "x"],
            error: .notApplicable(flag: "--output", command: "probe", takenBy: ["dockerfile"])
        ),
        (
            args: ["match", "--replay", "d"],
            error: .notApplicable(flag: "--replay", command: "match", takenBy: ["probe"])
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
        #expect(throws: error) { try Commands.parse(args) }
    }

    @Test func helpNamesEveryCommandAndItsFlags() {
        for spec in CommandSpec.all {
            #expect(HelpText.full.contains(spec.name), "\(spec.name)")
            for flag in spec.flags.flatMap(\.names) {
                #expect(HelpText.full.contains(flag), "\(spec.name) \(flag)")
            }
        }
        #expect(!HelpText.full.contains("Not implemented yet"))
    }
}
