/// `gpuprobe stage-ascend --context DIR`: copy this host's Ascend driver files into a build
/// context.
public struct StageAscendCommand: Command {
    /// `--context DIR`, required.
    public var context: String?
    /// `--root PATH`: copy from under PATH.
    public var root = "/"
    /// `--force`: replace DIR/ascend.
    public var force = false
    /// `--format`.
    public var format = OutputFormat.text

    /// A staging with no context yet.
    public init() {}

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "stage-ascend",
        summary: "copy this host's Ascend driver files into a build context",
        synopsis: ["stage-ascend --context DIR [--root PATH] [--force] [--format text|json]"],
        details: "Copy this host's Ascend driver files (driver lib64/common and lib64/driver, "
            + "dcmi, npu-smi, ascend_install.info, vnpu.cfg, version.info) into DIR/ascend, "
            + "where the dockerfile's COPY lines read them. Symlinks that leave a copied "
            + "folder are skipped and reported.",
        examples: [
            .init(
                line: "gpuprobe stage-ascend --context .",
                note: "Stage into ./ascend, then build with the emitted Dockerfile."
            )
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        [
            .choice(
                "--format",
                \.format,
                [.text, .json],
                "A report for people (the default) or JSON."
            ),
            .text(
                ["--context"],
                \.context,
                .directory("DIR"),
                "The build context to copy into (required)."
            ),
            .text(
                ["--root"],
                \.root,
                .directory("PATH"),
                "Copy from under PATH instead of /."
            ),
            .toggle(["--force"], \.force, "Replace DIR/ascend if it exists."),
        ]
    }

    /// Checks the flags together.
    public mutating func validate() throws(UsageError) {
        if context == nil {
            throw .missingArgument("--context DIR, the build context to copy into")
        }
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let staged: StageReport
        do {
            staged = try AscendStager.stage(root: root, context: self.context ?? ".", force: force)
        } catch {
            throw .input(error.description)
        }
        return CommandResult(
            format == .json
                ? JSONOutput.render(staged) : TerminalText.visible(StageText.render(staged))
        )
    }
}
