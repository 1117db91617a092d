/// `gpuprobe [probe]`: probe this host (or replay a capture) and print the report.
public struct ProbeCommand: Command {
    /// `--format`.
    public var format = OutputFormat.json
    /// `--replay DIR`: a capture folder instead of this host.
    public var replay: String?
    /// `--output-file PATH` with `--format nfd`; nil (or `-`) is standard output.
    public var outputFile: String?
    /// `--force`: replace an output file gpuprobe did not write.
    public var force = false
    /// `--timeout`, `--root`, `--tool-path`, `--sysfs`.
    public var live = LiveFlags()

    /// A probe of this host in JSON.
    public init() {}

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "probe",
        summary: "probe this host (or replay a capture) and print the report",
        synopsis: [
            "[probe] [--format json|text] [--timeout S] [--replay DIR]",
            "[probe] --format nfd [--output-file PATH [--force]] [--replay DIR]",
        ],
        details: "Enumerate PCI devices through libpci, read the NVIDIA kernel module "
            + "version, run `nvidia-smi -q -x` and `npu-smi info` (each once, at the same "
            + "time, with a timeout) and print the report, gpuprobe/host/v1 JSON. This is "
            + "the default command. With --format nfd, print (or write to --output-file) "
            + "node labels for Kubernetes node-feature-discovery instead: GPU Feature "
            + "Discovery's nvidia.com names for NVIDIA GPUs and gpuprobe.io/ ones for the rest.",
        examples: [
            .init(line: "gpuprobe probe > host.json", note: "Write this host's report."),
            .init(
                line: "gpuprobe probe --replay h100-host --format text",
                note: "Summarise a capture made with `gpuprobe capture h100-host`."
            ),
            .init(
                line: "gpuprobe --format nfd --output-file "
                    + "/etc/kubernetes/node-feature-discovery/features.d/gpuprobe",
                note:
                    "Write node labels where nfd-worker reads them (probe is the default command)."
            ),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        [
            .choice(
                "--format",
                \.format,
                [.json, .text, .nfd],
                "JSON (the default), a summary for people, or node-feature-discovery labels."
            ),
            .text(
                ["--replay"],
                \.replay,
                .directory("DIR"),
                "Build the report from a capture folder (`gpuprobe capture`) instead of this host."
            ),
            .text(
                ["--output-file"],
                \.outputFile,
                .file("PATH"),
                "With --format nfd: write PATH atomically instead of standard output (- is "
                    + "standard output). A file gpuprobe wrote (first line '# gpuprobe nfd "
                    + "labels') is replaced; any other regular file only with --force; a "
                    + "link, device or folder never."
            ),
            .toggle(
                ["--force"],
                \.force,
                "Replace an --output-file that gpuprobe did not write (a regular file only)."
            ),
        ] + LiveFlags.flags.map { $0.lifted(\.live) }
    }

    /// Checks the flags together.
    public mutating func validate() throws(UsageError) {
        if outputFile != nil, format != .nfd {
            throw .notApplicable(flag: "--output-file", command: "probe without --format nfd")
        }
        if force, outputFile == nil || outputFile == "-" {
            throw .notApplicable(flag: "--force", command: "probe without --output-file")
        }
        if outputFile == "-" { outputFile = nil }
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let snapshot: HostSnapshot
        if let replay {
            do {
                snapshot = try CaptureBundle.read(from: replay)
            } catch {
                throw .input(error.description)
            }
        } else {
            snapshot = live.snapshot()
        }
        let report = HostReportBuilder.build(snapshot)
        switch format {
        case .nfd:
            let labels = NFDLabels.make(report)
            guard let outputFile else { return CommandResult(labels.text) }
            do {
                try NFDFileWriter.write(labels, to: outputFile, force: force)
            } catch {
                throw .input(error.description)
            }
            context.say("wrote \(outputFile) (\(labels.labels.count) labels)")
            return CommandResult("")
        case .json: return CommandResult(JSONOutput.render(report))
        case .text: return CommandResult(TerminalText.visible(TextSummary.render(report)))
        }
    }
}
