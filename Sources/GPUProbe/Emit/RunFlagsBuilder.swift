/// Builds the `docker run` arguments for a host report.
///
/// Pure: the arguments depend only on the report and the selection.
public enum RunFlagsBuilder {
    /// The device nodes every Ascend container needs besides its `davinciN` chips.
    public static let ascendSharedDevices = [
        "/dev/davinci_manager", "/dev/devmm_svm", "/dev/hisi_hdc",
    ]
    /// The host folders an Ascend container mounts, read-only: the container has no business
    /// writing the host's driver.
    public static let ascendMounts = ["/usr/local/Ascend/driver", "/usr/local/dcmi"]

    /// Builds the arguments.
    ///
    /// - Throws: ``EmitError/nothingToEmit(_:)`` when the host has no accelerator,
    ///   ``EmitError/unknownDevice(_:)`` when `selection` names one the host does not have.
    public static func build(report: HostReport, selection: DeviceSelection) throws(EmitError)
        -> RunFlags
    {
        let gpus = nvidiaGPUs(report)
        let chips = ascendChips(report)
        guard !gpus.isEmpty || !chips.isEmpty else {
            // A pasted failure (driver not loaded, GPU lost) is the usual reason: say it, as
            // the advice differs from "wrong host".
            let failure = report.diagnostics.first {
                $0.severity == .error && ($0.source == .nvidia || $0.source == .ascend)
            }
            throw .nothingToEmit(
                "the report shows no NVIDIA GPU and no Ascend NPU"
                    + (failure.map { " (\($0.source): \($0.message))" } ?? "")
                    + "; run run-flags with the GPU host's nvidia-smi or npu-smi output or "
                    + "probe JSON (--host)"
            )
        }
        if case .indices = selection, !gpus.isEmpty, !chips.isEmpty {
            throw .unknownDevice(
                "the host has NVIDIA GPUs and Ascend NPUs, so --devices is ambiguous; use "
                    + "--devices all"
            )
        }
        var arguments: [String] = []
        var devices: [RunFlags.Device] = []
        var checks: [String] = []
        var notes: [String] = []
        var ascendRuntime: RunFlags.RuntimeForm?

        if !gpus.isEmpty {
            let chosen = try choose(gpus, selection, what: "NVIDIA GPU index")
            let value: String
            if case .all = selection {
                value = "all"
            } else {
                value = "device=" + chosen.map { String($0.index) }.joined(separator: ",")
            }
            // Docker reads --gpus as CSV, so a list needs its own double quotes (which the shell
            // line then single-quotes).
            arguments += ["--gpus", chosen.count > 1 && value != "all" ? "\"\(value)\"" : value]
            devices += chosen
            checks.append("nvidia-smi")
            if report.nvidia?.kernelModuleVersion == nil, report.nvidia?.driverVersion == nil,
                PastedHost.kinds(of: report).map({ !$0.contains(.nvidiaSMI) }) ?? false
            {
                notes.append(
                    "the pastes do not show the host's NVIDIA driver (no nvidia-smi output was "
                        + "given): the container can use the GPUs only if the host has one (and "
                        + "the NVIDIA Container Toolkit)"
                )
            } else if report.nvidia?.kernelModuleVersion == nil,
                report.nvidia?.driverVersion == nil
            {
                notes.append(
                    "the report shows no NVIDIA driver on the host: the container cannot use the "
                        + "GPUs until the host has one (and the NVIDIA Container Toolkit)"
                )
            }
            if chosen.contains(where: { $0.indexSource == .position }) {
                notes.append(
                    "nvidia-smi did not run on the host, so GPU indices follow the PCI order; "
                        + "check them with nvidia-smi -L on the host"
                )
            }
        }
        if !chips.isEmpty {
            let chosen = try choose(chips, selection, what: "Ascend davinci number")
            let numbers = chosen.map { String($0.index) }
            arguments += ["-e", "ASCEND_VISIBLE_DEVICES=" + numbers.joined(separator: ",")]
            arguments += numbers.map { "--device=/dev/davinci" + $0 }
            arguments += ascendSharedDevices.map { "--device=" + $0 }
            for mount in ascendMounts { arguments += ["-v", "\(mount):\(mount):ro"] }
            devices += chosen
            checks.append("npu-smi info")
            // ascend-docker-runtime (runtime/main.go) picks the chips from this variable and
            // mounts the nodes and driver libraries (build/scripts/base.list) itself; runc,
            // Docker's default, never reads it.
            let visible = ["-e", "ASCEND_VISIBLE_DEVICES=" + numbers.joined(separator: ",")]
            let runtimeArguments = ["--runtime", "ascend"] + visible
            ascendRuntime = RunFlags.RuntimeForm(
                runtime: "ascend",
                arguments: runtimeArguments,
                shellLine: runtimeArguments.map(ShellWord.quote).joined(separator: " ")
            )
            notes.append(
                "plain Docker ignores ASCEND_VISIBLE_DEVICES (only Ascend's container runtime "
                    + "reads it): the --device flags and mounts give the container its NPUs; on a "
                    + "host with ascend-docker-runtime registered, "
                    + (ascendRuntime?.shellLine ?? "") + " does the same"
            )
            if chosen.contains(where: { $0.indexSource == .position }) {
                notes.append(
                    "the report has no chip logic IDs (npu-smi info -m) or Device column, so "
                        + "davinci numbers follow the chips' order in npu-smi info; check them "
                        + "with ls /dev/davinci* on the host"
                )
            }
        }
        return RunFlags(
            arguments: arguments,
            shellLine: arguments.map(ShellWord.quote).joined(separator: " "),
            devices: devices,
            checkCommands: checks,
            notes: notes,
            ascendRuntime: ascendRuntime
        )
    }

    static func choose(_ all: [RunFlags.Device], _ selection: DeviceSelection, what: String)
        throws(EmitError) -> [RunFlags.Device]
    {
        guard case .indices(let wanted) = selection else { return all }
        var chosen: [RunFlags.Device] = []
        for index in wanted {
            guard let device = all.first(where: { $0.index == index }) else {
                let known = all.map { String($0.index) }.joined(separator: ", ")
                throw .unknownDevice(
                    "--devices names \(what) \(index), which the host does not have; it has "
                        + known
                )
            }
            chosen.append(device)
        }
        return chosen
    }

    /// NVIDIA GPUs with nvidia-smi's index, else in PCI order.
    static func nvidiaGPUs(_ report: HostReport) -> [RunFlags.Device] {
        let listed = report.nvidia?.gpus ?? []
        if !listed.isEmpty {
            return listed.enumerated().map { position, gpu in
                let index = gpu.index.flatMap(number)
                return RunFlags.Device(
                    kind: .nvidia,
                    index: index ?? position,
                    name: EmitValidation.commentText(gpu.name ?? "NVIDIA GPU", limit: 80),
                    indexSource: index == nil ? .position : .nvidiaSMI
                )
            }
        }
        return report.accelerators.filter { $0.kind == .nvidiaGPU }.enumerated().map {
            position,
            gpu in
            RunFlags.Device(
                kind: .nvidia,
                index: position,
                name: EmitValidation.commentText(gpu.name ?? "NVIDIA GPU", limit: 80),
                indexSource: .position
            )
        }
    }

    /// Ascend chips, numbered as their `/dev/davinciN` nodes.
    static func ascendChips(_ report: HostReport) -> [RunFlags.Device] {
        let npus = (report.ascend?.npus ?? []).sorted {
            ($0.npuID, $0.chipID) < ($1.npuID, $1.chipID)
        }
        return npus.enumerated().map { position, npu in
            let (index, source): (Int, RunFlags.Device.IndexSource) =
                if let logic = npu.chipLogicID.flatMap(number) {
                    (logic, .chipLogicID)
                } else if let device = npu.deviceID.flatMap(number) {
                    (device, .deviceID)
                } else {
                    (position, .position)
                }
            return RunFlags.Device(
                kind: .ascend,
                index: index,
                name: EmitValidation.commentText(
                    "\(npu.name ?? "Ascend") NPU \(npu.npuID) chip \(npu.chipID)",
                    limit: 80
                ),
                indexSource: source
            )
        }
    }

    /// A device number as `--gpus device=N` and `/dev/davinciN` take it; nil for a negative
    /// one, which a report read from a file no longer holds (the schema's minimum is checked)
    /// but one built in code may, and which the run-flags schema refuses.
    static func number(_ value: Int) -> Int? { value >= 0 ? value : nil }
}
