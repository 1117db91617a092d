/// `gpuprobe dockerfile`: write the Dockerfile instructions the plan calls for.
public struct DockerfileCommand: Command {
    /// The host, the installers folder and the pins, as for `match`.
    public var plan = PlanFlags()
    /// `--base IMAGE`.
    public var base: String?
    /// `-o FILE`; nil (or `-`) is standard output.
    public var output: String?
    /// `--force`: replace an existing `-o` file.
    public var force = false
    /// `--timeout`, `--root`, `--tool-path`, `--sysfs`, for a host probed here.
    public var live = LiveFlags()

    /// A fragment for this host on standard output.
    public init() {}

    /// A Dockerfile with these flags.
    public init(
        _ plan: PlanFlags = PlanFlags(),
        base: String? = nil,
        output: String? = nil,
        force: Bool = false
    ) {
        self.plan = plan
        self.base = base
        self.output = output
        self.force = force
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "dockerfile",
        summary: "write the Dockerfile instructions the plan calls for",
        synopsis: ["dockerfile [match's options] [--base IMAGE] [-o FILE [--force]]"],
        details: "Write the Dockerfile instructions the plan calls for: the chosen .run "
            + "COPYed into /root and run with --silent --no-kernel-module --no-x-check "
            + "--no-nouveau-check after a nouveau blacklist; the PyTorch pip line; for "
            + "Ascend, the CANN the driver supports (its toolkit .run from --drivers with "
            + "set_env.sh as ENV, your --base, or else FROM the official "
            + "quay.io/ascend/cann image), torch + torch_npu, and the driver files' ENV and "
            + "COPY lines. With --base (or the CANN image) a whole Dockerfile, else a "
            + "fragment to paste after your FROM. Run it in the build context: --drivers "
            + "must be a folder inside it.",
        examples: [
            .init(
                line: "gpuprobe dockerfile --host nvidia-smi.txt --base ubuntu:22.04 "
                    + "-o Dockerfile",
                note: "A whole Dockerfile for the host whose nvidia-smi output was pasted."
            ),
            .init(
                line: "gpuprobe dockerfile --host host.json --base ubuntu:22.04 -o Dockerfile",
                note: "The same from the host's probe JSON, in the build context."
            ),
            .init(
                line: "gpuprobe dockerfile --host npu-smi.txt --host version.info "
                    + "-o Dockerfile",
                note: "An Ascend host from its npu-smi info and version.info: the CANN image, "
                    + "torch_npu and the driver files (`gpuprobe stage-ascend` first)."
            ),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        PlanFlags.flags.map { $0.lifted(\.plan) } + [
            .text(["--base"], \.base, .text("IMAGE"), "Start the Dockerfile with FROM IMAGE."),
            .text(
                ["-o", "--output"],
                \.output,
                .file("FILE"),
                "Write FILE atomically instead of standard output (-o - is standard output); "
                    + "an existing FILE is kept unless --force is given."
            ),
            .toggle(
                ["--force"],
                \.force,
                "Replace an existing -o FILE: a regular file only, never a link, device or folder."
            ),
        ] + LiveFlags.flags.map { $0.lifted(\.live) }
    }

    /// Checks the flags together.
    public mutating func validate() throws(UsageError) {
        try plan.host.validate(command: Self.about.name)
        // `-o -` is standard output, as for every other file argument here.
        if output == "-" { output = nil }
        if force, output == nil {
            throw .notApplicable(flag: "--force", command: "dockerfile without -o")
        }
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let planned = try plan.plan(live: live, context)
        for text in planned.notes { context.note(text) }
        var installerPath: String?
        var folderFiles: [String] = []
        let folder = plan.drivers ?? "Drivers"
        do {
            if let chosen = planned.plan.driver.chosen {
                installerPath = try ContextFolder.installerPath(
                    folder: folder,
                    installer: chosen,
                    context: context.currentDirectory
                )
            }
            if planned.plan.ascend?.choice != nil {
                folderFiles = try ContextFolder.cannPackagePaths(
                    folder: folder,
                    context: context.currentDirectory
                )
            }
        } catch {
            throw .input(error.description)
        }
        let emitted: EmittedDockerfile
        do {
            emitted = try DockerfileEmitter.emit(
                plan: planned.plan,
                report: planned.report,
                request: DockerfileRequest(
                    base: base,
                    installerPath: installerPath,
                    folderFiles: folderFiles
                )
            )
        } catch {
            throw .emit(error)
        }
        for warning in emitted.warnings { context.warn(warning) }
        guard let output else { return CommandResult(emitted.text) }
        do {
            try AtomicFile.write(Array(emitted.text.utf8), to: output, replace: force)
        } catch {
            throw .input(error.description)
        }
        context.say("wrote \(output)")
        return CommandResult("")
    }
}
