/// Builds the `ascend` section: npu-smi, version.info, ascend_install.info and vnpu.cfg.
enum AscendAssembly {
    static func build(_ snapshot: HostSnapshot, accelerators: [Accelerator]) -> Assembled<
        AscendSection
    > {
        let onBus = accelerators.filter { $0.kind == .ascendNPU }
        let versionText = snapshot.text(Paths.ascendVersionInfo)
        let installText = snapshot.text(Paths.ascendInstallInfo)
        let run = snapshot.tools["npu-smi"]
        let reading = ToolReader.read(
            run,
            name: "npu-smi",
            source: .ascend,
            hungAdvice: "check the driver with `dmesg` and the device manager process",
            parse: { text, _ in NPUSMIParser.parse(text) }
        )
        var diagnostics: [Diagnostic] = []
        if run?.outcome == .notFound, !onBus.isEmpty || versionText != nil {
            diagnostics.append(
                Diagnostic(
                    .notInstalled,
                    source: .ascend,
                    severity: .error,
                    message: (onBus.isEmpty
                        ? "the Ascend driver is installed"
                        : "\(onBus.count) Ascend NPU(s) are on the PCI bus")
                        + " but npu-smi was found neither on PATH nor in /usr/local/bin or "
                        + "/usr/local/sbin; install the Ascend driver package (npu-smi comes with it)"
                )
            )
        }
        diagnostics += reading.diagnostics

        let smiFound = run.map { $0.outcome != .notFound } ?? false
        guard !onBus.isEmpty || versionText != nil || installText != nil || smiFound else {
            return Assembled(
                section: nil,
                diagnostics: [
                    Diagnostic(
                        .notPresent,
                        source: .ascend,
                        severity: .info,
                        message: "no Ascend NPU on the PCI bus, no Ascend driver and no npu-smi"
                    )
                ]
            )
        }
        var section = reading.result?.section ?? AscendSection()
        section.npuSMIPath = smiFound ? run?.path : nil
        section.driverVersion = versionText.flatMap { AscendVersionInfo.driverVersion(from: $0) }
        if section.driverVersion == nil, let banner = reading.result?.bannerDriverVersion {
            section.driverVersion = banner
            diagnostics.append(
                Diagnostic(
                    .unreadable,
                    source: .ascend,
                    severity: .info,
                    message: "the Ascend driver version \(banner) is npu-smi's banner "
                        + "(`Version:`), as \(Paths.ascendVersionInfo) was not read; that file "
                        + "gives the exact package version",
                    context: ["path": Paths.ascendVersionInfo, "driver_version_from": "npu-smi"]
                )
            )
        }
        section.installInfo = installText.map(KeyValueFile.dictionary)
        section.vnpuConfigPresent = snapshot.exists(Paths.vnpuConfig)
        return Assembled(section: section, diagnostics: diagnostics)
    }
}
