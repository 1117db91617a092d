import Testing

@testable import GPUProbe

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
        (args: ["capture", "x", "--help"], command: .help),
        (args: ["-V"], command: .version),
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
            error: .badValue(flag: "--timeout", value: "0", expected: "seconds between 0 and 3600")
        ),
        (
            args: ["--format", "xml"],
            error: .badValue(flag: "--format", value: "xml", expected: "json or text")
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
        (args: ["--force"], error: .notApplicable(flag: "--force", command: "probe")),
        (args: ["--force=yes", "capture", "d"], error: .unexpectedValue(flag: "--force")),
        (args: ["match"], error: .notImplemented(command: "match")),
    ])
    func rejectsBadCommandLines(args: [String], error: UsageError) {
        #expect(throws: error) { try Options.parse(args) }
    }

    @Test func helpNamesEveryUnfinishedCommand() {
        for command in Options.plannedCommands {
            #expect(HelpText.full.contains(command))
        }
        #expect(HelpText.full.contains("Not implemented yet"))
    }
}
