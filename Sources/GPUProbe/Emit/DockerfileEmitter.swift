/// What `gpuprobe dockerfile` was asked for beyond the plan.
public struct DockerfileRequest: Hashable, Sendable {
    /// `--base IMAGE`: write a whole Dockerfile starting `FROM IMAGE`; nil writes a fragment to
    /// paste after the user's own `FROM`.
    public var base: String?
    /// The chosen installer's path inside the build context, as the `COPY` line reads it
    /// (`Drivers/NVIDIA-Linux-x86_64-550.135.run`); needed when the plan installs a driver.
    public var installerPath: String?
    /// The files of the drivers folder, as paths inside the build context
    /// (`Drivers/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run`): where an Ascend host's CANN
    /// toolkit is looked for.
    public var folderFiles: [String]

    /// Creates a request.
    public init(base: String? = nil, installerPath: String? = nil, folderFiles: [String] = []) {
        self.base = base
        self.installerPath = installerPath
        self.folderFiles = folderFiles
    }
}

/// A generated Dockerfile or fragment.
public struct EmittedDockerfile: Hashable, Sendable {
    /// The text, ending in a newline.
    public var text: String
    /// What will not work as well as an exact match would; also written into the text as
    /// comments, and printed by the command on standard error.
    public var warnings: [String]
}

/// Writes the Dockerfile instructions a plan calls for: the NVIDIA userspace driver, PyTorch and
/// the Ascend driver files.
///
/// Pure: the text depends only on the plan, the report and the request. Every value that
/// reaches a line is validated by shape first (see ``EmitValidation``), or the emitter throws.
public enum DockerfileEmitter {
    /// Flags for the `.run` in an image.
    ///
    /// No questions (a build has no terminal), no kernel module (the host's serves the
    /// container), and no checks for X or nouveau, which concern the host, not the image. Every
    /// flag exists in nvidia-installer since before R390.
    public static let installerFlags = [
        "--silent", "--no-kernel-module", "--no-x-check", "--no-nouveau-check",
    ]
    /// Where the nouveau blacklist goes.
    public static let blacklistPath = "/etc/modprobe.d/blacklist-nouveau.conf"
    /// Its two lines, as the packaging guide wants them.
    public static let blacklistLines = ["blacklist nouveau", "options nouveau modeset=0"]
    /// Where the installer is kept so that a broken driver can be repaired inside the container.
    public static let installerFolder = "/root/"

    /// Writes the instructions.
    ///
    /// - Throws: ``EmitError/planIncomplete(_:)`` when a part the host needs has no choice,
    ///   ``EmitError/unsafe(what:value:expected:)`` when a value has a shape no line may carry,
    ///   ``EmitError/nothingToEmit(_:)`` when the host needs nothing.
    public static func emit(plan: Plan, report: HostReport, request: DockerfileRequest)
        throws(EmitError) -> EmittedDockerfile
    {
        guard plan.complete else { throw .planIncomplete(incompleteReason(plan)) }
        var lines: [String] = []
        var warnings: [String] = []
        var layers = 0

        lines += comment(
            "Written by gpuprobe \(GPUProbeVersion.current) (`gpuprobe dockerfile`) for \(hostDescription(plan, report))."
        )
        // The CANN decides the base when the user gave none: an official CANN image.
        var cann: CANNLayers.Parts?
        if let ascend = plan.ascend, ascend.driverVersion != nil, let choice = ascend.choice {
            cann = try CANNLayers.parts(
                ascend: ascend,
                choice: choice,
                plan: plan,
                request: request
            )
        }
        if let base = request.base {
            guard EmitValidation.isImageReference(base) else {
                throw .unsafe(
                    what: "the base image",
                    value: base,
                    expected: "an image reference as Docker reads it, "
                        + "[registry[:port]/]name[:tag][@sha256:digest] with a lowercase name, "
                        + "such as ubuntu:22.04"
                )
            }
            lines.append("FROM \(base)")
        } else if let base = cann?.base {
            lines.append("FROM \(base)")
        } else {
            lines += comment("A fragment: paste it after the FROM line of your Dockerfile.")
        }
        lines += cann?.baseLines ?? []
        warnings += cann?.warnings ?? []
        if let ascend = plan.ascend, let driver = ascend.driverVersion, ascend.choice == nil {
            let warning =
                "no CANN and torch_npu fit Ascend driver \(driver) by the catalog's tables, so "
                + "this image gets the host's driver files only; `gpuprobe match` says why, and "
                + "--cann VERSION picks a CANN by hand."
            warnings.append(warning)
            lines += comment("WARNING: " + warning)
        }

        // CANN and torch_npu before the driver files: they do not depend on them, and the
        // big, stable layers come first so that another host's driver rebuilds only its own.
        if let cann {
            lines.append("")
            lines += cann.lines
        }
        if let ascend = plan.ascend, ascend.driverVersion != nil {
            lines.append("")
            lines += AscendLayers.lines(plan: ascend, report: report)
            layers += 1
        }
        if [.exact, .mismatch].contains(plan.driver.status) {
            let nvidia = try NvidiaLayers.lines(plan: plan, request: request)
            lines.append("")
            lines += nvidia.lines
            warnings += nvidia.warnings
            layers += 1
        }
        if let pick = plan.torch.pick {
            let torch = try TorchLayer.lines(pick: pick, plan: plan)
            lines.append("")
            lines += torch.lines
            warnings += torch.warnings
            layers += 1
        }
        guard layers > 0 else {
            throw .nothingToEmit(
                "the host shows no NVIDIA GPU, no Ascend NPU and no PyTorch choice: there is "
                    + "nothing to add to an image; probe the GPU host and pass its JSON with --host"
            )
        }
        return EmittedDockerfile(text: lines.joined(separator: "\n") + "\n", warnings: warnings)
    }

    /// `# ` lines holding `text`, wrapped at 98 columns; control characters become spaces.
    static func comment(_ text: String) -> [String] {
        var lines: [String] = []
        var line = "#"
        for word in EmitValidation.commentText(text, limit: 2000).split(separator: " ") {
            if line.count + 1 + word.count > 98, line != "#" {
                lines.append(line)
                line = "#"
            }
            line += " " + word
        }
        lines.append(line)
        return lines
    }

    /// The host in one line: `host gpu-01 (Ubuntu 22.04.4 LTS): NVIDIA driver 535.171.04 …`.
    static func hostDescription(_ plan: Plan, _ report: HostReport) -> String {
        var parts: [String] = []
        var name = "host " + (report.host.hostname ?? "(name unknown)")
        if let os = report.host.os?.prettyName { name += " (\(os))" }
        if let module = plan.host.kernelModuleVersion ?? plan.host.driverVersion {
            parts.append(
                "NVIDIA driver \(module)" + (plan.host.cudaVersion.map { " (CUDA \($0))" } ?? "")
            )
        }
        if !plan.host.gpus.isEmpty {
            let gpus = plan.host.gpus.prefix(8).map { gpu in
                gpu.address.map { "\(gpu.name) at \($0)" } ?? gpu.name
            }
            let more = plan.host.gpus.count > 8 ? " and \(plan.host.gpus.count - 8) more" : ""
            parts.append("GPUs " + gpus.joined(separator: ", ") + more)
        }
        if plan.host.ascendNPUs > 0 || plan.host.ascendDriverVersion != nil {
            parts.append(
                "\(plan.host.ascendNPUs) Ascend NPU chip(s), driver "
                    + (plan.host.ascendDriverVersion ?? "unknown")
            )
        }
        return name + (parts.isEmpty ? "" : ": " + parts.joined(separator: "; "))
    }

    static func incompleteReason(_ plan: Plan) -> String {
        let driverDone = [.exact, .mismatch, .notNeeded].contains(plan.driver.status)
        let why: String
        if !driverDone {
            why =
                plan.driver.explanation.first
                ?? "no driver installer fits (status \(plan.driver.status.rawValue))"
        } else if let ascend = plan.ascend, ascend.driverVersion == nil {
            why = ascend.explanation.first ?? "the Ascend driver version is unknown"
        } else {
            why = plan.torch.explanation.first ?? "no PyTorch wheel fits"
        }
        return "the plan is incomplete, so no Dockerfile was written: "
            + EmitValidation.commentText(why, limit: 400)
            + " (run `gpuprobe match --format text` for the whole story)"
    }
}
