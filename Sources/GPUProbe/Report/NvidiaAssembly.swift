/// Builds the `nvidia` section: kernel module, nvidia-smi, and the PCI bus joined by bus id.
enum NvidiaAssembly {
    static func build(_ snapshot: HostSnapshot, accelerators: [Accelerator]) -> Assembled<
        NvidiaSection
    > {
        let onBus = accelerators.filter { $0.kind == .nvidiaGPU }
        let module = KernelModuleVersion.parse(
            proc: snapshot.text(Paths.nvidiaProcVersion),
            sys: snapshot.text(Paths.nvidiaSysVersion)
        )
        let run = snapshot.tools["nvidia-smi"]
        let reading = ToolReader.read(
            run,
            name: "nvidia-smi",
            source: .nvidia,
            hungAdvice: "the driver may be hung (look for NVRM or Xid lines in `dmesg`), or slow "
                + "without persistence mode (start nvidia-persistenced)",
            parse: NvidiaSMIParser.parse(_:exitStatus:)
        )
        let parsed = reading.result
        var diagnostics: [Diagnostic] = []
        if run?.outcome == .notFound, !onBus.isEmpty || module != nil {
            diagnostics.append(notInstalled(onBus, module: module))
        }
        diagnostics += reading.diagnostics
        if case .success(let scan) = snapshot.pci, onBus.isEmpty, module == nil,
            !scan.devices.contains(where: \.isNvidiaDisplay)
        {
            // Real nvidia-smi says "couldn't communicate with the NVIDIA driver" (exit 9) also
            // where there is no GPU at all: modprobe is then the wrong advice.
            for index in diagnostics.indices where diagnostics[index].code == .driverNotLoaded {
                diagnostics[index].message = noGPUMessage
                diagnostics[index].context["nvidia_gpus_on_pci_bus"] = "0"
            }
        }

        let smiFound = run.map { $0.outcome != .notFound } ?? false
        // The file exists only while the module is loaded: unreadable, it still says the
        // module is there.
        let procUnreadable: String? =
            if case .unreadable(let reason) = snapshot.files[Paths.nvidiaProcVersion] {
                reason
            } else {
                nil
            }
        guard !onBus.isEmpty || module != nil || smiFound || procUnreadable != nil else {
            return Assembled(
                section: nil,
                diagnostics: [
                    Diagnostic(
                        .notPresent,
                        source: .nvidia,
                        severity: .info,
                        message:
                            "no NVIDIA GPU on the PCI bus, no NVIDIA kernel module and no nvidia-smi"
                    )
                ]
            )
        }

        var section = parsed?.section ?? NvidiaSection()
        section.kernelModuleVersion = module
        section.gpus = join(section.gpus, onBus: onBus, listed: parsed != nil, &diagnostics)
        if let module, let driver = section.driverVersion, module != driver {
            diagnostics.append(
                Diagnostic(
                    .inconsistent,
                    source: .nvidia,
                    severity: .warning,
                    message: "the loaded kernel module is \(module) but nvidia-smi's userspace is "
                        + "\(driver); reboot (or reload the nvidia modules) so they match",
                    context: ["kernel_module_version": module, "driver_version": driver]
                )
            )
        }
        if module == nil, let reason = procUnreadable {
            diagnostics.append(
                Diagnostic(
                    .unreadable,
                    source: .nvidia,
                    severity: .warning,
                    message: "\(Paths.nvidiaProcVersion) exists but could not be read (\(reason)), "
                        + "so the NVIDIA kernel module version is unknown; run gpuprobe as a user "
                        + "who can read it, or check what is mounted there",
                    context: ["path": Paths.nvidiaProcVersion, "reason": reason]
                )
            )
        } else if module == nil, !onBus.isEmpty, section.driverVersion != nil {
            diagnostics.append(
                Diagnostic(
                    .unreadable,
                    source: .nvidia,
                    severity: .warning,
                    message: "\(Paths.nvidiaProcVersion) could not be read, so the kernel module "
                        + "version is unknown; inside a container, mount /proc/driver/nvidia "
                        + "or run gpuprobe on the host"
                )
            )
        }
        return Assembled(section: section, diagnostics: diagnostics)
    }

    /// Says that a GPU's compute capability comes from its name: what a table paste gives.
    private static func byName(
        _ gpu: NvidiaGPU,
        _ name: String,
        _ named: (chip: NvidiaChip, deviceIDs: [UInt16])
    ) -> Diagnostic {
        let ids = named.deviceIDs.map { "0x" + hex($0, width: 4) }
        let shown =
            ids.count > 4
            ? ids.prefix(4).joined(separator: ", ") + ", …" : ids.joined(separator: ", ")
        return Diagnostic(
            .inferred,
            source: .nvidia,
            severity: .info,
            message: "GPU \(gpu.busID?.description ?? String(gpu.index ?? 0)) '\(name)': compute "
                + "capability \(named.chip.computeCapability) (\(named.chip.architecture)) from its "
                + "name, which NVIDIA's supported-gpus.json gives device \(shown); nvidia-smi -q or "
                + "an lspci -nn of the host reads the device ID itself",
            context: ["name": name, "device_ids": ids.joined(separator: ",")]
        )
    }

    /// Fills each GPU's device ID, architecture and compute capability from the bus, and adds
    /// the GPUs that are on the bus but that nvidia-smi did not list.
    private static func join(
        _ listed: [NvidiaGPU],
        onBus: [Accelerator],
        listed smiAnswered: Bool,
        _ diagnostics: inout [Diagnostic]
    ) -> [NvidiaGPU] {
        var gpus = listed
        for index in gpus.indices {
            let match = gpus[index].busID.flatMap { bus in onBus.first { $0.address == bus } }
            if let match {
                gpus[index].pciDeviceID = gpus[index].pciDeviceID ?? match.deviceID
            }
            let chip = gpus[index].pciDeviceID.flatMap { UInt16($0, radix: 16) }
                .flatMap(NvidiaChips.lookup(deviceID:))
            gpus[index].computeCapability =
                gpus[index].computeCapability ?? match?.computeCapability ?? chip?.computeCapability
            gpus[index].architecture =
                gpus[index].architecture ?? match?.architecture ?? chip?.architecture
                ?? gpus[index].computeCapability.flatMap(
                    NvidiaChips.architecture(computeCapability:)
                )
            if gpus[index].computeCapability == nil, gpus[index].pciDeviceID == nil,
                let name = gpus[index].name, let named = NvidiaGPUNames.chip(named: name)
            {
                gpus[index].computeCapability = named.chip.computeCapability
                gpus[index].architecture = gpus[index].architecture ?? named.chip.architecture
                diagnostics.append(byName(gpus[index], name, named))
            }
        }
        for card in onBus where !gpus.contains(where: { $0.busID == card.address }) {
            gpus.append(
                NvidiaGPU(
                    name: card.name,
                    busID: card.address,
                    pciDeviceID: card.deviceID,
                    computeCapability: card.computeCapability,
                    architecture: card.architecture
                )
            )
            if smiAnswered, !listed.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .gpuLost,
                        source: .nvidia,
                        severity: .warning,
                        message: "the GPU at \(card.address) is on the PCI bus but nvidia-smi does "
                            + "not list it (driver '\(card.kernelDriver ?? "none")'); it may have "
                            + "fallen off the bus, be bound to vfio-pci, or be hidden from this "
                            + "namespace",
                        context: ["bus_id": card.address.description]
                    )
                )
            }
        }
        return gpus
    }

    /// Said when nvidia-smi finds no driver on a machine whose PCI bus has no NVIDIA GPU.
    static let noGPUMessage =
        "nvidia-smi is installed but this machine's PCI bus has no NVIDIA GPU, so there is no "
        + "driver for it to talk to: the userspace driver is here without a GPU (a VM or "
        + "container the GPU is not passed through to, or not the GPU host); probe the GPU host "
        + "itself, or pass the GPU through and probe again."

    private static func notInstalled(_ onBus: [Accelerator], module: String?) -> Diagnostic {
        let what =
            onBus.isEmpty
            ? "the NVIDIA kernel module \(module ?? "") is loaded"
            : "\(onBus.count) NVIDIA GPU(s) are on the PCI bus"
        let advice =
            module.map {
                "install the NVIDIA userspace driver \($0) (the same version as the kernel module)"
            }
            ?? legacyAdvice(onBus)
            ?? "install the NVIDIA driver (for example `apt install nvidia-driver` or NVIDIA's .run installer) and reboot"
        return Diagnostic(
            .notInstalled,
            source: .nvidia,
            severity: .error,
            message: "\(what) but nvidia-smi was not found; \(advice)"
        )
    }

    /// Install advice per GPU when NVIDIA's lists mark one of them legacy (a K80 needs the 470
    /// branch, a GeForce 210 the 340 one: the current driver serves neither), as Debian's
    /// nvidia-detect gives it; nil when every GPU takes the current driver.
    private static func legacyAdvice(_ onBus: [Accelerator]) -> String? {
        let facts = onBus.map { NvidiaDeviceBranches.lookup(SupportedGPUsList.hexID($0.deviceID)) }
        guard facts.contains(where: { $0?.legacyBranch != nil }) else { return nil }
        let each = zip(onBus, facts).map { card, fact in
            let name = "\(card.name ?? "NVIDIA device \(card.deviceID)") (\(card.address))"
            guard let legacy = fact?.legacyBranch else {
                return "\(name): the current driver (`apt install nvidia-driver` or NVIDIA's .run "
                    + "installer)"
            }
            let package =
                fact?.legacyDebianPackage.map {
                    "`apt install \($0)` or NVIDIA's \(legacy) .run installer"
                } ?? "NVIDIA's \(legacy) .run installer; no current Debian package"
            return "\(name): the \(legacy) legacy branch (\(package))"
        }
        return "install the driver branch that serves each GPU and reboot: "
            + each.joined(separator: "; ")
    }

}
