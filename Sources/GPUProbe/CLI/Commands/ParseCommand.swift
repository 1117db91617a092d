/// `gpuprobe parse TOOL [FILE|-]`: turn a pasted tool output into its JSON section.
public struct ParseCommand: Command {
    /// The tools whose output `parse` reads.
    public enum Tool: String, Equatable, Sendable, CaseIterable {
        /// nvidia-smi: table, CSV, -q, -q -x.
        case nvidiaSMI = "nvidia-smi"
        /// npu-smi info and info -m.
        case npuSMI = "npu-smi"
        /// lspci text forms, and -x dumps read through libpci.
        case lspci
    }

    /// Whose output it is.
    public var tool = Tool.nvidiaSMI
    /// The file; `-` is standard input.
    public var input = "-"
    /// `--format`.
    public var format = OutputFormat.json

    /// Parse nvidia-smi's output from standard input.
    public init() {}

    /// Parse `tool`'s output from `input`.
    public init(tool: Tool, input: String = "-") {
        self.tool = tool
        self.input = input
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "parse",
        summary: "turn a pasted nvidia-smi, npu-smi or lspci output into JSON",
        synopsis: ["parse nvidia-smi|npu-smi|lspci [FILE|-] [--format json|text]"],
        details: "Read a pasted output of nvidia-smi (table, --query-gpu CSV, -q, -q -x), "
            + "npu-smi (info, info -m) or lspci (plain, -nn, -Dnn, -vmm, -k, -vvv, -tv trees, "
            + "with grep or IOMMU-group prefixes, wrapped; -x dumps read through libpci) from "
            + "FILE or standard input, and print the section the probe would produce.",
        examples: [
            .init(
                line: "nvidia-smi -q -x | gpuprobe parse nvidia-smi",
                note: "The nvidia section of this host's report."
            ),
            .init(
                line: "gpuprobe parse npu-smi npu-smi-info.txt --format text",
                note: "Summarise an `npu-smi info` output someone pasted."
            ),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        [
            .choice(
                "--format",
                \.format,
                [.json, .text],
                "JSON (the default) or a summary for people."
            )
        ]
    }

    /// Its positional arguments.
    public static var arguments: [Argument<Self>] {
        [
            .choice(
                \.tool,
                command: "parse",
                missing: "the tool, one of nvidia-smi, npu-smi, lspci"
            ),
            .text(\.input, .file("FILE|-"), missing: nil),
        ]
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let text = try context.readText(input)
        func render<Section>(
            _ output: ParseOutput<Section>,
            _ summary: (ParseOutput<Section>) -> String
        ) -> CommandResult {
            CommandResult(
                format == .json ? JSONOutput.render(output) : TerminalText.visible(summary(output))
            )
        }
        switch tool {
        case .nvidiaSMI: return render(NvidiaSMIParser.parse(text).output, ParseSummary.render)
        case .npuSMI: return render(NPUSMIParser.parse(text).output, ParseSummary.render)
        case .lspci: return render(LspciReader.read(text), ParseSummary.render)
        }
    }
}
