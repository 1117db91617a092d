/// A host report from a pasted `nvidia-smi` or `npu-smi info` output: what the packaging guide
/// starts from, and often all a person building an image has of a customer's machine.
///
/// The paste goes through the same assembly as a probe, as the one tool output of a host
/// whose files and PCI bus are unknown, so every parser rule and diagnostic applies. The
/// report then says what it assumed and what it lacks:
/// - a working nvidia-smi prints the loaded kernel module's version (NVML asks the kernel
///   module, and refuses to start when the two differ), so its driver version is recorded as
///   the kernel module's;
/// - the CPU architecture is not in the paste: it is aarch64 only where the GPU decides it
///   (GH200, GB200, GB300, GB10 and Jetson parts have Arm CPUs), else null, and the plan says
///   that x86_64 was assumed;
/// - no PCI devices, no OS, no kernel: empty or null.
public enum PastedHost {
    /// The report the pasted text describes; nil when it is no nvidia-smi or npu-smi output
    /// that gpuprobe reads.
    ///
    /// - Parameter bytes: the pasted text, as read.
    /// - Returns: the report, with a `pasted` diagnostic saying what it is built from.
    public static func report(_ bytes: [UInt8]) -> HostReport? {
        let text = String(decoding: bytes, as: UTF8.self)
        var tools = [
            "nvidia-smi": ToolRun(arguments: [], path: nil, outcome: .notFound),
            "npu-smi": ToolRun(arguments: [], path: nil, outcome: .notFound),
        ]
        let tool: String
        if NvidiaSMIParser.parse(text).format != .unknown {
            tool = "nvidia-smi"
        } else if NPUSMIParser.parse(text).format != .unknown {
            tool = "npu-smi"
        } else {
            return nil
        }
        tools[tool] = ToolRun(arguments: [], path: tool, outcome: .pasted, stdout: bytes)
        let snapshot = HostSnapshot(
            uname: Uname(sysname: "", nodename: "", release: "", machine: ""),
            files: Dictionary(
                uniqueKeysWithValues: HostSnapshot.filesOfInterest.map { ($0, FileContent.missing) }
            ),
            tools: tools,
            pci: .failure(.notCaptured(reason: "pasted"))
        )
        var report = HostReportBuilder.build(snapshot)
        report.diagnostics.removeAll { $0.code == .pciUnavailable }
        var lacks = "no PCI devices, no OS and no kernel facts"
        if var nvidia = report.nvidia, nvidia.kernelModuleVersion == nil,
            let driver = nvidia.driverVersion
        {
            nvidia.kernelModuleVersion = driver
            report.nvidia = nvidia
            lacks +=
                "; the kernel module version is nvidia-smi's driver version, which NVML "
                + "reads from the loaded module"
        }
        if let arm = armGPU(report) {
            report.host.architecture = "aarch64"
            lacks += "; the machine is aarch64 because \(arm) has an Arm CPU"
        } else {
            lacks += "; the machine's architecture is not in the paste (x86_64 is assumed)"
        }
        report.diagnostics.insert(
            Diagnostic(
                .pasted,
                source: "host",
                severity: .info,
                message: "built from a pasted \(tool) output: \(lacks); run `gpuprobe probe` on "
                    + "the host for a full report",
                context: ["tool": tool]
            ),
            at: 0
        )
        return report
    }

    /// The first GPU whose name says the host is an Arm machine (Grace superchips, GB10,
    /// Jetson modules), when there is one.
    static func armGPU(_ report: HostReport) -> String? {
        let markers = ["GH200", "GB200", "GB300", "GB10", "Jetson", "Orin", "Thor"]
        for gpu in report.nvidia?.gpus ?? [] {
            guard let name = gpu.name else { continue }
            let words = name.split { !$0.isLetter && !$0.isNumber }
            if words.contains(where: { word in markers.contains { $0 == word } }) { return name }
        }
        return nil
    }
}
