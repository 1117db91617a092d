/// Builds the `ascend` section: npu-smi, version.info, ascend_install.info and vnpu.cfg.
enum AscendAssembly {
    static func build(_ snapshot: HostSnapshot, accelerators: [Accelerator]) -> Assembled<
        AscendSection
    > {
        let onBus = accelerators.filter { $0.kind == .ascendNPU }
        let versionText = snapshot.text(Paths.ascendVersionInfo)
        let installText = snapshot.text(Paths.ascendInstallInfo)
        let run = snapshot.tools["npu-smi"]
        var diagnostics: [Diagnostic] = []
        var parsed: NPUSMIParseResult?

        switch run?.outcome {
        case nil:
            break
        case .notFound:
            if !onBus.isEmpty || versionText != nil {
                diagnostics.append(
                    Diagnostic(
                        .notInstalled,
                        source: "ascend",
                        severity: .error,
                        message: (onBus.isEmpty
                            ? "the Ascend driver is installed"
                            : "\(onBus.count) Ascend NPU(s) are on the PCI bus")
                            + " but npu-smi was found neither on PATH nor in /usr/local/bin or "
                            + "/usr/local/sbin; install the Ascend driver package (npu-smi comes with it)"
                    )
                )
            }
        case .timedOut(let seconds):
            diagnostics.append(
                Diagnostic(
                    .timeout,
                    source: "ascend",
                    severity: .error,
                    message: "npu-smi did not answer within \(format(seconds)) s and was killed; "
                        + "check the driver with `dmesg` and the device manager process, or raise --timeout"
                )
            )
            if let run, !run.stdout.isEmpty { parsed = parse(run) }
        case .failedToStart(let reason):
            diagnostics.append(toolFailed("npu-smi could not be started (\(reason))"))
        case .signaled(let signal):
            diagnostics.append(toolFailed("npu-smi was killed by signal \(signal)"))
        case .exited(let status):
            if let run {
                let result = parse(run)
                parsed = result
                if status != 0, !result.diagnostics.contains(where: { $0.severity == .error }) {
                    diagnostics.append(toolFailed("npu-smi info exited with status \(status)"))
                }
            }
        }
        diagnostics += parsed?.diagnostics ?? []

        let smiFound = run.map { $0.outcome != .notFound } ?? false
        guard !onBus.isEmpty || versionText != nil || installText != nil || smiFound else {
            return Assembled(
                section: nil,
                diagnostics: [
                    Diagnostic(
                        .notPresent,
                        source: "ascend",
                        severity: .info,
                        message: "no Ascend NPU on the PCI bus, no Ascend driver and no npu-smi"
                    )
                ]
            )
        }
        var section = parsed?.section ?? AscendSection()
        section.npuSMIPath = smiFound ? run?.path : nil
        section.driverVersion = versionText.flatMap { AscendVersionInfo.driverVersion(from: $0) }
        section.installInfo = installText.map { text in
            Dictionary(
                KeyValueFile.parse(text).map { ($0.key, $0.value) },
                uniquingKeysWith: { _, last in last }
            )
        }
        section.vnpuConfigPresent = snapshot.exists(Paths.vnpuConfig)
        return Assembled(section: section, diagnostics: diagnostics)
    }

    private static func parse(_ run: ToolRun) -> NPUSMIParseResult {
        let out = NPUSMIParser.parse(String(decoding: run.stdout, as: UTF8.self))
        guard out.format == .unknown, !run.stderr.isEmpty else { return out }
        let both = NPUSMIParser.parse(
            String(decoding: run.stderr + [0x0a] + run.stdout, as: UTF8.self)
        )
        return both.format == .unknown ? out : both
    }

    private static func toolFailed(_ what: String) -> Diagnostic {
        Diagnostic(
            .toolFailed,
            source: "ascend",
            severity: .error,
            message: what + "; run `npu-smi info` by hand to see the whole message"
        )
    }
}
