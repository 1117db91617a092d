/// `gpuprobe match`: pick the NVIDIA driver installer and PyTorch wheels for a host.
public struct MatchCommand: Command {
    /// The host, the installers folder and the pins.
    public var plan = PlanFlags()
    /// `--format`.
    public var format = OutputFormat.json
    /// `--timeout`, `--root`, `--tool-path`, `--sysfs`, for a host probed here.
    public var live = LiveFlags()

    /// A match for this host.
    public init() {}

    /// A match with these plan flags.
    public init(_ plan: PlanFlags) {
        self.plan = plan
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "match",
        summary: "pick the NVIDIA driver installer and PyTorch wheels for a host",
        synopsis: [
            "match [--host SOURCE]... [--arch x86_64|aarch64] [--drivers DIR] [--python X.Y]",
            "      [--torch VERSION] [--cann VERSION] [--catalog FILE] [--pip-index-url URL]",
            "      [--format json|text]",
        ],
        details: "Pick the NVIDIA userspace driver installer (.run) from the drivers folder "
            + "and the PyTorch wheels, or for Ascend the CANN and torch + torch_npu, for a "
            + "host, and explain every choice and rejection "
            + "(gpuprobe/plan/v1). The host comes from --host: its pasted nvidia-smi or npu-smi "
            + "output (with lspci or version.info for more), a capture folder or a probe "
            + "JSON; without --host, this machine is probed. Exit 3 when the plan is "
            + "incomplete.",
        examples: [
            .init(
                line: "gpuprobe match --host nvidia-smi.txt --format text",
                note: "Plan for the host whose nvidia-smi output was pasted into a file."
            ),
            .init(
                line: "gpuprobe match --host nvidia-smi.txt --host lspci-nn.txt",
                note: "The same, with the PCI device IDs that tell the chip."
            ),
            .init(
                line: "gpuprobe match --host host.json --drivers Drivers",
                note: "Plan for the host whose report is host.json."
            ),
            .init(
                line: "ssh gpu-host gpuprobe probe | gpuprobe match --host - --format text",
                note: "Probe a remote host and read the plan."
            ),
            .init(
                line: "gpuprobe match --host host.json --python 3.11 --torch 2.7",
                note: "Pin CPython and torch."
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
                "JSON (the default) or the plan for people."
            )
        ]
            + PlanFlags.flags.map { $0.lifted(\.plan) }
            + LiveFlags.flags.map { $0.lifted(\.live) }
    }

    /// Checks the flags together.
    public mutating func validate() throws(UsageError) {
        try plan.host.validate(command: Self.about.name)
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let planned = try plan.plan(live: live, context)
        for text in planned.notes { context.note(text) }
        return CommandResult(
            format == .json
                ? JSONOutput.render(planned.plan)
                : TerminalText.visible(PlanText.render(planned.plan)),
            planned.plan.complete ? .done : .planIncomplete
        )
    }
}
