/// Turns a raw ``HostSnapshot`` into the ``HostReport``: a pure function, so live probes,
/// replays of captured bundles and tests all go through the same code.
public enum HostReportBuilder {
    /// Builds the report.
    ///
    /// - Parameter snapshot: what was read from the host.
    /// - Returns: the `gpuprobe/host/v1` document.
    public static func build(_ snapshot: HostSnapshot) -> HostReport {
        var diagnostics: [Diagnostic] = []
        var devices: [PCIDevice] = []
        switch snapshot.pci {
        case .success(let scan):
            devices = scan.devices
        case .failure(let error):
            diagnostics.append(
                Diagnostic(
                    .pciUnavailable,
                    source: .pci,
                    severity: .error,
                    message: error.description
                )
            )
        }
        let accelerators = AcceleratorClassifier.classify(devices)
        let nvidia = NvidiaAssembly.build(snapshot, accelerators: accelerators)
        let ascend = AscendAssembly.build(snapshot, accelerators: accelerators)
        diagnostics += nvidia.diagnostics + ascend.diagnostics
        return HostReport(
            host: HostInfoReader.read(snapshot),
            pciDevices: devices,
            accelerators: accelerators,
            nvidia: nvidia.section,
            ascend: ascend.section,
            diagnostics: diagnostics
        )
    }
}

/// Host identity from uname, os-release and container/WSL markers.
enum HostInfoReader {
    static func read(_ snapshot: HostSnapshot) -> HostInfo {
        let osText = snapshot.text(Paths.osRelease) ?? snapshot.text(Paths.osReleaseFallback)
        let runtime = containerRuntime(snapshot)
        let release = snapshot.uname.release
        let procVersion = snapshot.text(Paths.procVersion) ?? ""
        let wsl =
            release.lowercased().containsText("microsoft") || release.containsText("WSL")
            || procVersion.lowercased().containsText("microsoft")
        return HostInfo(
            hostname: nonEmpty(snapshot.uname.nodename),
            architecture: nonEmpty(snapshot.uname.machine),
            kernel: nonEmpty(release),
            os: osText.map(OSRelease.parse),
            container: runtime != nil,
            containerRuntime: runtime.flatMap { $0.isEmpty ? nil : $0 },
            wsl: wsl
        )
    }

    /// The runtime a marker names; "" when a marker says "container" without naming one.
    private static func containerRuntime(_ snapshot: HostSnapshot) -> String? {
        if snapshot.exists(Paths.dockerEnv) { return "docker" }
        if snapshot.exists(Paths.containerEnv) { return "podman" }
        let cgroup = snapshot.text(Paths.initCgroup) ?? ""
        for (marker, runtime) in [
            ("kubepods", "kubernetes"), ("docker", "docker"), ("libpod", "podman"),
            ("lxc", "lxc"), ("containerd", "containerd"),
        ] where cgroup.containsText(marker) {
            return runtime
        }
        return nil
    }

    private static func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}

/// A section with the diagnostics found while building it.
struct Assembled<Section> {
    var section: Section?
    var diagnostics: [Diagnostic]
}
