/// The human form of a plan (`match --format text`): the decisions first, then the reasons.
public enum PlanText {
    /// Renders a plan.
    ///
    /// - Parameter plan: the plan.
    /// - Returns: lines of text ending with a newline.
    public static func render(_ plan: Plan) -> String {
        var lines: [String] = []
        let host = plan.host
        var hostLine = "host \(host.machine ?? "?")"
        if let module = host.kernelModuleVersion ?? host.driverVersion {
            hostLine += "  NVIDIA driver \(module)"
        }
        if let cuda = host.cudaVersion { hostLine += "  CUDA \(cuda)" }
        if let ascend = host.ascendDriverVersion { hostLine += "  Ascend driver \(ascend)" }
        lines.append(hostLine)
        for gpu in host.gpus {
            let cc = gpu.computeCapability.map { "  cc \($0)" } ?? ""
            lines.append(
                "  GPU \(gpu.address ?? "-")  \(gpu.name)  \(gpu.architecture ?? "?")\(cc)"
            )
        }
        if host.ascendNPUs > 0 { lines.append("  \(host.ascendNPUs) Ascend NPU(s)") }

        lines.append("")
        let driver = plan.driver
        lines.append("driver: \(driver.status.rawValue)" + (driver.chosen.map { "  \($0)" } ?? ""))
        lines += driver.explanation.map { "  " + $0 }
        for installer in driver.installers {
            let mark = installer.chosen ? "+" : "-"
            lines.append(
                "  \(mark) \(installer.fileName): \(installer.reasons.joined(separator: "; "))"
            )
        }

        lines.append("")
        let torch = plan.torch
        lines.append("pytorch: \(torch.status.rawValue)")
        if let pick = torch.pick { lines.append("  \(pick.installCommand)") }
        lines += torch.explanation.map { "  " + $0 }
        if !torch.runnersUp.isEmpty {
            lines.append("  runners-up:")
            lines += torch.runnersUp.prefix(12).map {
                "    \($0.torch)+\($0.variant): \($0.reason)"
            }
            if torch.runnersUp.count > 12 {
                lines.append("    ... \(torch.runnersUp.count - 12) more in the JSON plan")
            }
        }

        if let ascend = plan.ascend {
            lines.append("")
            var ascendLine = "ascend: driver \(ascend.driverVersion ?? "unknown")"
            if let release = ascend.driverRelease { ascendLine += " (release \(release))" }
            if let family = ascend.chipFamily { ascendLine += "  \(family)" }
            lines.append(ascendLine)
            if let choice = ascend.choice {
                lines.append(
                    "  CANN \(choice.cann)  \(choice.installCommand)"
                        + (choice.python.map { "  (Python \($0.min)-\($0.max))" } ?? "")
                )
                lines.append(
                    "  pairing: \(choice.pairing.rawValue)"
                        + (choice.confirmed ? ", confirmed" : ", unconfirmed")
                )
            }
            lines += ascend.explanation.map { "  " + $0 }
            if !ascend.runnersUp.isEmpty {
                lines.append("  runners-up:")
                lines += ascend.runnersUp.prefix(12).map {
                    "    CANN \($0.cann)"
                        + ($0.torchNPU.map { " torch_npu \($0)" } ?? "")
                        + ($0.torch.map { " torch \($0)" } ?? "") + ": \($0.reason)"
                }
                if ascend.runnersUp.count > 12 {
                    lines.append("    ... \(ascend.runnersUp.count - 12) more in the JSON plan")
                }
            } else if ascend.choice == nil {
                for release in ascend.torchNPU.prefix(8) {
                    lines.append(
                        "  torch_npu \(release.torchNPU)  torch \(release.torch)  CANN \(release.cann)"
                            + (release.confirmed ? "" : "  (unconfirmed)")
                    )
                }
            }
        }
        lines.append("")
        lines.append(
            plan.complete
                ? "plan complete"
                : "plan incomplete: a part the host needs has no choice (see above)"
        )
        return TerminalText.lines(lines)
    }
}
