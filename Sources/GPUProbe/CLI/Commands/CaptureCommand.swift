/// `gpuprobe capture DIR`: write everything the probe reads, raw, into a new folder.
public struct CaptureCommand: Command {
    /// The folder to write.
    public var directory = ""
    /// `--force`: replace DIR.
    public var force = false
    /// `--format` of the report printed after.
    public var format = OutputFormat.json
    /// `--timeout`, `--root`, `--tool-path`, `--sysfs`.
    public var live = LiveFlags()

    /// A capture with no folder yet.
    public init() {}

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "capture",
        summary: "write everything the probe reads, raw, into a new folder",
        synopsis: ["capture DIR [--force] [--timeout S]"],
        details: "Write everything the probe reads, raw, into the new folder DIR: PCI config "
            + "space as an `lspci -x` dump, each tool's output and exit status, and the "
            + "/proc, /sys and /etc files; then print the report. Replay it anywhere with "
            + "`gpuprobe probe --replay DIR`.",
        examples: [
            .init(
                line: "gpuprobe capture h100-host",
                note: "Capture this host into ./h100-host, to replay or attach to a bug report."
            )
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        [
            .choice(
                "--format",
                \.format,
                [.json, .text],
                "The report printed after the capture: JSON or text."
            ),
            .toggle(["--force"], \.force, "Replace DIR if it exists."),
        ] + LiveFlags.flags.map { $0.lifted(\.live) }
    }

    /// Its positional arguments.
    public static var arguments: [Argument<Self>] {
        [
            .text(
                \.directory,
                .directory("DIR"),
                missing: "the folder to write, as in `gpuprobe capture DIR`"
            )
        ]
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let snapshot = live.snapshot(readConfig: true)
        do {
            try CaptureBundle.write(
                snapshot,
                to: directory,
                replace: force,
                createdAt: context.timestamp()
            )
        } catch {
            throw .input(error.description)
        }
        let report = HostReportBuilder.build(snapshot)
        context.say(
            "wrote \(directory); replay it with `gpuprobe probe --replay \(directory)`"
        )
        return CommandResult(
            format == .json
                ? JSONOutput.render(report) : TerminalText.visible(TextSummary.render(report))
        )
    }
}
