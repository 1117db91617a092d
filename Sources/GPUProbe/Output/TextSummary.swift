/// The short human summary of `--format text`: one line per accelerator, the driver and CUDA
/// lines, then each diagnostic with what to do.
public enum TextSummary {
    /// Summarises a host report.
    ///
    /// - Parameter report: the report.
    /// - Returns: lines of text ending with a newline.
    public static func render(_ report: HostReport) -> String {
        var lines: [String] = []
        let host = report.host
        var hostLine = "host \(host.hostname ?? "?")  \(host.architecture ?? "?")"
        if let os = host.os?.prettyName ?? host.os?.id { hostLine += "  \(os)" }
        if let kernel = host.kernel { hostLine += "  kernel \(kernel)" }
        if host.container {
            hostLine += "  (container\(host.containerRuntime.map { ": " + $0 } ?? ""))"
        }
        if host.wsl { hostLine += "  (WSL)" }
        lines.append(hostLine)

        if let nvidia = report.nvidia {
            for gpu in nvidia.gpus { lines.append(line(gpu)) }
            var driver = "NVIDIA driver \(nvidia.driverVersion ?? "unknown")"
            driver += ", kernel module \(nvidia.kernelModuleVersion ?? "unknown")"
            driver += ", CUDA \(nvidia.cudaVersion ?? "unknown")"
            lines.append(driver)
        }
        if let ascend = report.ascend {
            for npu in ascend.npus { lines.append(line(npu)) }
            lines.append(
                "Ascend driver \(ascend.driverVersion ?? "unknown"), npu-smi "
                    + "\(ascend.npuSMIVersion ?? "unknown")"
                    + (ascend.npuSMIPath.map { " at \($0)" } ?? "")
            )
        }
        for card in report.accelerators where card.kind == .amdGPU || card.kind == .intelGPU {
            let vendor = card.kind == .amdGPU ? "AMD" : "Intel"
            lines.append("\(vendor) display \(card.address)  \(card.name ?? card.deviceID)")
        }
        if report.accelerators.isEmpty {
            lines.append("no GPU or NPU on the PCI bus (\(report.pciDevices.count) PCI devices)")
        }
        lines += render(report.diagnostics)
        return TerminalText.lines(lines)
    }

    /// The diagnostics block: `severity source code: message`, one per line.
    ///
    /// - Parameter diagnostics: what to list.
    /// - Returns: the lines (none when there is nothing to say).
    public static func render(_ diagnostics: [Diagnostic]) -> [String] {
        guard !diagnostics.isEmpty else { return [] }
        return ["diagnostics:"]
            + diagnostics.map { "  \($0.severity.rawValue) \($0.source) \($0.code): \($0.message)" }
    }

    static func line(_ gpu: NvidiaGPU) -> String {
        var parts = ["GPU \(gpu.index.map(String.init) ?? "-")"]
        if let bus = gpu.busID { parts.append(bus.description) }
        parts.append(gpu.name ?? "unknown GPU")
        if let arch = gpu.architecture { parts.append(arch) }
        if let cc = gpu.computeCapability { parts.append("CC \(cc)") }
        if let total = gpu.memoryTotalMiB { parts.append("\(total) MiB") }
        if let mig = gpu.migMode { parts.append("MIG \(mig)") }
        return parts.joined(separator: "  ")
    }

    static func line(_ npu: AscendNPU) -> String {
        var parts = ["NPU \(npu.npuID)/\(npu.chipID)"]
        if let bus = npu.busID { parts.append(bus.description) }
        parts.append(npu.name ?? "unknown NPU")
        if let health = npu.health { parts.append(health) }
        if let used = npu.hbmUsedMB, let total = npu.hbmTotalMB {
            parts.append("HBM \(used)/\(total) MB")
        } else if let used = npu.memoryUsedMB, let total = npu.memoryTotalMB {
            parts.append("memory \(used)/\(total) MB")
        }
        return parts.joined(separator: "  ")
    }
}

/// The `--format text` rendering of `gpuprobe parse`.
public enum ParseSummary {
    /// Summarises an nvidia-smi section.
    public static func render(_ output: ParseOutput<NvidiaSection>) -> String {
        var lines = ["nvidia-smi (\(output.format))"]
        lines += output.section.gpus.map(TextSummary.line)
        lines.append(
            "NVIDIA driver \(output.section.driverVersion ?? "unknown"), CUDA \(output.section.cudaVersion ?? "unknown")"
        )
        return TerminalText.lines(lines + TextSummary.render(output.diagnostics))
    }

    /// Summarises an npu-smi section.
    public static func render(_ output: ParseOutput<AscendSection>) -> String {
        var lines = ["npu-smi (\(output.format))"]
        lines += output.section.npus.map(TextSummary.line)
        lines.append("npu-smi \(output.section.npuSMIVersion ?? "unknown")")
        return TerminalText.lines(lines + TextSummary.render(output.diagnostics))
    }

    /// Summarises an lspci section.
    public static func render(_ output: ParseOutput<LspciSection>) -> String {
        var lines = ["lspci (\(output.format)): \(output.section.pciDevices.count) devices"]
        for card in output.section.accelerators {
            var parts = [card.kind.rawValue, card.address.description, card.name ?? card.deviceID]
            if let arch = card.architecture { parts.append(arch) }
            if let cc = card.computeCapability { parts.append("CC \(cc)") }
            lines.append(parts.joined(separator: "  "))
        }
        return TerminalText.lines(lines + TextSummary.render(output.diagnostics))
    }
}
