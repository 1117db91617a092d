/// Picks the userspace driver installer for a host: the one equal to its kernel module, else
/// the highest one below it, never one above; every GPU on the host must be supported by it.
///
/// Pure: the installers were read beforehand (``DriverFolder``), so every rule is tested on
/// plain values.
public enum DriverMatcher {
    /// Decides, explaining every installer.
    ///
    /// - Parameters:
    ///   - host: the host facts.
    ///   - installers: what was read from the drivers folder, in name order.
    ///   - catalog: for the branches that serve each GPU when the host has no driver.
    /// - Returns: the driver part of the plan.
    public static func match(
        host: MatchHost,
        installers: [DriverInstaller],
        catalog: TorchCatalog
    ) -> DriverPlan {
        if host.gpus.isEmpty, host.nvidiaSoftwarePresent, host.targetDriverVersion == nil,
            host.pciShowsNoNvidiaGPU
        {
            return DriverPlan(
                status: .notNeeded,
                explanation: [noGPUSentence] + host.nvidiaProblems,
                installers: installers.map {
                    InstallerVerdict($0, reasons: ["not needed: the host has no NVIDIA GPU"])
                }
            )
        }
        if host.gpus.isEmpty, host.nvidiaSoftwarePresent, host.targetDriverVersion == nil {
            return DriverPlan(
                status: .hostUnknown,
                explanation: [unknownHostSentence] + host.nvidiaProblems,
                installers: installers.map {
                    InstallerVerdict(
                        $0,
                        reasons: ["not matched: the host's NVIDIA facts are unknown"]
                    )
                }
            )
        }
        guard host.nvidiaSoftwarePresent else {
            let unseen = host.nvidiaSMINotPasted && host.lspciNotPasted
            return DriverPlan(
                status: .notNeeded,
                explanation: [
                    unseen
                        ? "The pastes show no NVIDIA GPU (neither an nvidia-smi output nor an "
                            + "lspci was given): the image needs no NVIDIA driver, unless the "
                            + "host has GPUs they do not show."
                        : "The host has no NVIDIA GPU: the image needs no NVIDIA driver."
                ],
                installers: installers.map {
                    InstallerVerdict($0, reasons: ["not needed: the host has no NVIDIA GPU"])
                }
            )
        }
        if let model = host.windowsDriverModel {
            return DriverPlan(
                status: .notNeeded,
                hostVersion: host.targetDriverVersion?.description,
                explanation: windowsSentences(model, host.targetDriverVersion),
                installers: installers.map {
                    InstallerVerdict(
                        $0,
                        reasons: [
                            "not needed: the host's driver is Windows' (\(model)), reached "
                                + "through WSL 2"
                        ]
                    )
                }
            )
        }
        guard let target = host.targetDriverVersion else {
            let advice = branchAdvice(host.gpus, catalog)
            if host.nvidiaSMINotPasted {
                return DriverPlan(
                    status: .hostUnknown,
                    explanation: [
                        "The pasted lspci shows NVIDIA GPUs, but no nvidia-smi output was given, "
                            + "so the host's driver is not known: add the host's `nvidia-smi` "
                            + "output as another --host (the image's driver must equal it)."
                    ] + advice.map(sentence),
                    installers: installers.map {
                        InstallerVerdict(
                            $0,
                            reasons: ["not matched: the host's driver is not in the pastes"]
                        )
                    },
                    branchAdvice: advice
                )
            }
            return DriverPlan(
                status: .hostDriverMissing,
                explanation: [
                    "The host has NVIDIA GPUs but no NVIDIA driver loaded (no kernel module, no "
                        + "working nvidia-smi): install the driver on the host first, then probe "
                        + "it again; the image's userspace driver must equal it."
                ] + advice.map(sentence),
                installers: installers.map {
                    InstallerVerdict($0, reasons: ["not matched: the host has no driver loaded"])
                },
                branchAdvice: advice
            )
        }

        var verdicts: [InstallerVerdict] = []
        var eligible: [(index: Int, version: DriverVersion)] = []
        for installer in installers {
            let reasons = rejections(installer, host: host, target: target, catalog: catalog)
            if reasons.isEmpty, let version = installer.version.flatMap(DriverVersion.init) {
                eligible.append((verdicts.count, version))
            }
            verdicts.append(InstallerVerdict(installer, reasons: reasons))
        }

        let urls = downloadURLs(version: target, machine: host.machine ?? "x86_64")
        let source =
            host.kernelModuleVersion != nil
            ? "the host kernel module" : "the host driver (nvidia-smi; kernel module not read)"
        // Highest version first; at one version the plain package beats its variants, then name.
        let ranked = eligible.sorted { left, right in
            if left.version != right.version { return left.version > right.version }
            let a = verdicts[left.index]
            let b = verdicts[right.index]
            if (a.variant == nil) != (b.variant == nil) { return a.variant == nil }
            return a.fileName < b.fileName
        }
        guard let best = ranked.first else {
            let why =
                installers.isEmpty
                ? "The drivers folder holds no NVIDIA-Linux-*.run installer."
                : "No installer in the drivers folder fits the host (each one's reason is below)."
            return DriverPlan(
                status: .none,
                hostVersion: target.text,
                downloadURLs: urls,
                explanation: [
                    why,
                    "Put NVIDIA-Linux-\(host.machine ?? "x86_64")-\(target.text).run, equal to "
                        + "\(source), in the folder: \(urls.joined(separator: " or "))",
                ],
                installers: verdicts
            )
        }

        let exact = best.version == target
        // A GPU left out of a list is not a rejection, so ranking ignores it; the verdicts and
        // the explanation say so, as the choice then rests on the branch range.
        for (position, candidate) in ranked.enumerated() {
            if position == 0 {
                verdicts[candidate.index].chosen = true
                verdicts[candidate.index].reasons = [
                    exact
                        ? "chosen: equals \(source) \(target.text)"
                        : "chosen: the highest installer below \(source) \(target.text)"
                ]
            } else if candidate.version == best.version {
                verdicts[candidate.index].reasons = [
                    "same version as the chosen \(verdicts[best.index].fileName), which is "
                        + "preferred (plain package before variants, then by name)"
                ]
            } else {
                verdicts[candidate.index].reasons = [
                    "lower than the chosen \(best.version.text)"
                ]
            }
            verdicts[candidate.index].reasons += absenceNotes(
                installers[candidate.index],
                host: host,
                catalog: catalog
            )
        }

        var explanation: [String]
        if exact {
            explanation = [
                "\(verdicts[best.index].fileName) equals \(source) \(target.text): install it "
                    + "with --no-kernel-module and NVML will start in the container."
            ]
        } else {
            explanation = [
                "No installer equals \(source) \(target.text); the highest one below it, "
                    + "\(verdicts[best.index].fileName), is chosen as asked.",
                "Consequence: userspace \(best.version.text) with kernel module \(target.text) "
                    + "fails at run time with \"Failed to initialize NVML: Driver/library version "
                    + "mismatch\" (NVML requires the exact version).",
                "Download the exact version: \(urls.joined(separator: " or "))",
            ]
        }
        explanation += absenceExplanation(
            installers[best.index],
            host: host,
            target: target,
            exact: exact,
            catalog: catalog
        )
        if host.machine == nil {
            explanation.append(
                "The report does not say the host's machine, so installer architectures were not "
                    + "checked."
            )
        }
        if host.kernelModuleVersion == nil {
            explanation.append(
                "The report has no kernel module version (/proc/driver/nvidia/version was not "
                    + "read); nvidia-smi's driver version stands in for it."
            )
        }
        return DriverPlan(
            status: exact ? .exact : .mismatch,
            hostVersion: target.text,
            chosen: verdicts[best.index].fileName,
            chosenVersion: best.version.text,
            downloadURLs: exact ? [] : urls,
            explanation: explanation,
            installers: verdicts
        )
    }

    /// Said when the report shows NVIDIA software but its PCI bus has no NVIDIA GPU.
    static let noGPUSentence =
        "The host's PCI bus has no NVIDIA GPU, although NVIDIA software is installed (nvidia-smi "
        + "finds no driver to talk to): the image needs no NVIDIA driver for this host. If the "
        + "image is for a GPU host, this report is of the wrong machine, or of a VM or container "
        + "the GPU is not passed through to: probe the GPU host and match again."

    /// Why a host whose GPUs run under a Windows driver model needs no driver in the image.
    ///
    /// NVIDIA's CUDA on WSL User Guide: the Windows driver is the driver; WSL 2 gets its
    /// libraries (`libcuda.so`, `nvidia-smi`) from Windows in /usr/lib/wsl/lib, and no Linux
    /// display driver may be installed inside. The container toolkit mounts that folder and
    /// /dev/dxg into containers; a libcuda installed in the image would shadow it.
    static func windowsSentences(_ model: String, _ version: DriverVersion?) -> [String] {
        let driver = version.map { "the Windows driver \($0)" } ?? "the Windows driver"
        var sentences = [
            "The host's GPUs run under \(driver) (driver model \(model)): Linux containers "
                + "reach them through WSL 2 (Docker Desktop, or Docker in a WSL 2 distribution "
                + "with the NVIDIA Container Toolkit), which mounts the driver's libraries from "
                + "Windows (/usr/lib/wsl/lib) and /dev/dxg. Install no NVIDIA driver in the "
                + "image: a libcuda there would shadow Windows' (NVIDIA's CUDA on WSL guide), "
                + "and Windows driver versions have no NVIDIA-Linux .run of the same number."
        ]
        if model == "TCC" {
            sentences.append(
                "GPUs in TCC mode are not available to WSL 2: switch them to WDDM "
                    + "(`nvidia-smi -g INDEX -dm 0` as administrator, then reboot) to use them "
                    + "from Linux containers."
            )
        }
        return sentences
    }

    /// Said when the report names NVIDIA software but no GPU and no driver version.
    static let unknownHostSentence =
        "The report shows NVIDIA software on the host but neither its GPUs nor its driver version "
        + "(the report's NVIDIA diagnostics follow): fix the host, probe it again, and match again."

    /// Why one installer cannot serve the host; empty when it can.
    static func rejections(
        _ installer: DriverInstaller,
        host: MatchHost,
        target: DriverVersion,
        catalog: TorchCatalog
    ) -> [String] {
        if let problem = installer.problem { return ["unreadable: \(problem)"] }
        guard let version = installer.version.flatMap(DriverVersion.init) else {
            return ["unreadable: the header has no driver version"]
        }
        var reasons: [String] = []
        if let machine = host.machine, let arch = installer.architecture, arch != machine {
            reasons.append("built for \(arch), the host is \(machine)")
        }
        if version > target {
            // Name what the target was read from: without /proc/driver/nvidia/version it is
            // nvidia-smi's number, not a kernel module gpuprobe saw.
            let above =
                host.kernelModuleVersion != nil
                ? "the host kernel module \(target.text)"
                : "the driver nvidia-smi reports (\(target.text))"
            reasons.append(
                "newer than \(above): a userspace driver above the kernel module never works"
            )
        }
        for gpu in host.gpus {
            let support =
                gpu.deviceID.map {
                    installer.support(
                        deviceID: $0,
                        subsystemVendorID: gpu.subsystemVendorID,
                        subsystemDeviceID: gpu.subsystemDeviceID
                    )
                } ?? .unknown
            switch support {
            case .supported:
                break
            case .unknown:
                // No list to read (older installers, unknown device): fall back on the
                // catalog's branch range for the architecture.
                if let reason = branchRangeReason(gpu, version, catalog) { reasons.append(reason) }
            case .legacy(let branch, _):
                reasons.append(
                    "does not support \(gpu.label): its chip is served only by the \(branch) "
                        + "legacy branch"
                )
            case .notListed:
                // Absent is not unsupported (NVIDIA's lists from R525 leave out T4, P4,
                // V100-SXM2-16GB and A100-PCIE-40GB): only the branch range can reject it.
                // Eligible installers get a note instead (``absenceNotes``).
                if let reason = branchRangeReason(gpu, version, catalog) {
                    reasons.append(
                        "not in this installer's supported-gpus.json (device "
                            + "\(deviceText(gpu.deviceID ?? 0))), and \(reason)"
                    )
                }
            }
        }
        return reasons
    }

    /// Why the branches that serve the GPU exclude this version: NVIDIA's per-device lists
    /// first (a `legacybranch` mark ends the device's range), then the catalog's range for
    /// the GPU's architecture.
    static func branchRangeReason(
        _ gpu: MatchHost.GPU,
        _ version: DriverVersion,
        _ catalog: TorchCatalog
    ) -> String? {
        let range = GPUBranches(gpu, catalog)
        if let last = range.lastBranch, version.branch > last {
            if range.lastFromDevice, let device = range.device, let legacy = device.legacyBranch {
                let since = device.legacySince.map { " from \($0) on" } ?? ""
                return "\(gpu.label) is served last by the \(last) legacy branch (NVIDIA's "
                    + "supported-gpus.json marks it \(legacy)\(since)); this installer is "
                    + "\(version.branch)"
            }
            guard let arch = gpu.architecture else { return nil }
            let mark = range.lastConfirmed ? "" : " (not confirmed by a source)"
            return "\(gpu.label) is \(arch), served by driver branches up to \(last)\(mark); "
                + "this installer is \(version.branch)"
        }
        if let first = range.firstBranch, version.branch < first, let arch = gpu.architecture {
            let mark = range.firstConfirmed ? "" : " (not confirmed by a source)"
            return "\(gpu.label) is \(arch), which needs driver branch \(first) or later\(mark); "
                + "this installer is \(version.branch)"
        }
        return nil
    }

    /// NVIDIA's download addresses for one version: the consumer (XFree86) and data-center
    /// (tesla) paths.
    public static func downloadURLs(version: DriverVersion, machine: String) -> [String] {
        let file = "NVIDIA-Linux-\(machine)-\(version.text).run"
        let consumerFolder = machine == "aarch64" ? "aarch64" : "Linux-\(machine)"
        return [
            "https://us.download.nvidia.com/XFree86/\(consumerFolder)/\(version.text)/\(file)",
            "https://us.download.nvidia.com/tesla/\(version.text)/\(file)",
        ]
    }

    /// The branches that serve each GPU, and what to install, for a host without a driver.
    static func branchAdvice(_ gpus: [MatchHost.GPU], _ catalog: TorchCatalog) -> [BranchAdvice] {
        gpus.map { gpu in
            let range = GPUBranches(gpu, catalog)
            return BranchAdvice(
                gpu: gpu.label,
                architecture: gpu.architecture,
                firstBranch: range.firstBranch,
                lastBranch: range.lastBranch,
                confirmed: range.confirmed,
                legacyBranch: range.lastFromDevice ? range.device?.legacyBranch : nil,
                firstListed: range.device?.firstListed,
                debianPackage: range.debianPackage
            )
        }
    }

    /// One GPU's advice as a sentence: the branches that serve it and what to install, named
    /// as Debian's nvidia-detect does (a legacy branch where NVIDIA's list marks one, else the
    /// current driver).
    static func sentence(_ advice: BranchAdvice) -> String {
        let arch = advice.architecture.map { " (\($0))" } ?? ""
        let mark = advice.confirmed ? "" : " (not confirmed by a source)"
        let package = advice.debianPackage.map { " (Debian: \($0))" } ?? ""
        if let legacy = advice.legacyBranch, let last = advice.lastBranch {
            let install =
                advice.debianPackage != nil
                ? "a \(last) driver\(package)"
                : "NVIDIA's \(legacy) driver (no current Debian package)"
            return "\(advice.gpu)\(arch) is served last by the \(last) legacy branch (NVIDIA's "
                + "supported-gpus.json marks it \(legacy)): install \(install)."
        }
        let range: String
        switch (advice.firstBranch, advice.lastBranch) {
        case (let first?, let last?): range = "driver branches \(first) to \(last)"
        case (let first?, nil): range = "driver branch \(first) or later"
        case (nil, let last?): range = "driver branches up to \(last)"
        case (nil, nil): range = "a driver branch the catalog does not know"
        }
        var text = "\(advice.gpu)\(arch) is served by \(range)\(mark)"
        if let listed = advice.firstListed {
            let oldest = listed == NvidiaDeviceBranches.lists.first ? ", the oldest read" : ""
            text += "; NVIDIA's supported-gpus.json lists it from \(listed)\(oldest)"
        }
        guard advice.firstListed != nil || advice.firstBranch != nil || advice.lastBranch != nil
        else { return text + "." }
        let install =
            if let last = advice.lastBranch, let first = advice.firstBranch {
                "a driver of branch \(first) to \(last)"
            } else if let last = advice.lastBranch {
                "a driver of branch \(last) or earlier"
            } else if let first = advice.firstBranch, advice.debianPackage == nil {
                "NVIDIA's current driver (branch \(first) or later)"
            } else {
                "the current driver"
            }
        return text + ": install \(install)\(package)."
    }
}
