/// `gpuprobe run-flags`: print the `docker run` arguments for the host's GPUs or NPUs.
public struct RunFlagsCommand: Command {
    /// `--host` (run-flags takes no `--arch`: the flags do not depend on the machine).
    public var host = HostFlags()
    /// `--devices`.
    public var devices = DeviceSelection.all
    /// `--format`.
    public var format = OutputFormat.text
    /// `--timeout`, `--root`, `--tool-path`, `--sysfs`, for a host probed here.
    public var live = LiveFlags()

    /// The flags for every accelerator of this host.
    public init() {}

    /// The flags for `devices` of the host `host`.
    public init(host: HostFlags, devices: DeviceSelection = .all) {
        self.host = host
        self.devices = devices
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "run-flags",
        summary: "print the docker run arguments for the host's GPUs or NPUs",
        synopsis: ["run-flags [--host SOURCE]... [--devices all|N[,N...]] [--format text|json]"],
        details: "Print the `docker run` arguments for the host's GPUs or NPUs (--gpus, or the "
            + "davinci --device, -e and -v flags) as one shell line; standard error says what "
            + "to run inside the container to check them.",
        examples: [
            .init(
                line: "gpuprobe run-flags --host npu-smi-info.txt",
                note: "The davinci flags for the NPUs of a pasted `npu-smi info`."
            ),
            .init(
                line: "gpuprobe run-flags --host host.json --devices 0,1",
                note: "The arguments for the first two devices."
            ),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        [
            .choice("--format", \.format, [.text, .json], "A shell line (the default) or JSON."),
            HostFlags.host.lifted(\.host),
            .parsed(
                "--devices",
                \.devices,
                .text("LIST"),
                "all (the default), or NVIDIA GPU indices / Ascend davinci numbers such as 0 "
                    + "or 0,1.",
                expected: "all, or indices such as 0 or 0,1"
            ) { DeviceSelection($0) },
        ] + LiveFlags.flags.map { $0.lifted(\.live) }
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let (report, _) = try host.report(live: live, context)
        let flags: RunFlags
        do {
            flags = try RunFlagsBuilder.build(report: report, selection: devices)
        } catch {
            throw .emit(error)
        }
        if format == .json { return CommandResult(JSONOutput.render(flags)) }
        for text in flags.notes { context.note(text) }
        context.note(
            "check inside the container with: " + flags.checkCommands.joined(separator: "; ")
        )
        return CommandResult(flags.shellLine + "\n")
    }
}
