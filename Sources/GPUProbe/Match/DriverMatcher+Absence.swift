extension DriverMatcher {
    /// Why an absent chip is no rejection, in NVIDIA's own lists' terms.
    ///
    /// Tesla P4 (`0x1BB3`), V100-SXM2-16GB (`0x1DF5`), T4 (`0x1EB8`) and A100-PCIE-40GB
    /// (`0x20B1`) are in the supported-gpus.json of 450.248.02, 460.106.00 and 470.256.02 and
    /// absent from that of 525.147.05, 535.261.03, 550.54.15, 550.163.01 and 555.58.02, yet
    /// those drivers run them (nvidia-smi shows 8× V100-SXM2-16GB on 550.127.05; Debian's
    /// nvidia-detect recommends 535 and 550 for T4 and A100-PCIE-40GB).
    static let absenceCause =
        "NVIDIA's lists from R525 leave out some data-centre GPUs that the driver runs "
        + "(Tesla T4, V100-SXM2-16GB, A100-PCIE-40GB, P4)"

    /// The host's GPUs that `installer`'s supported-gpus.json does not name, one per device
    /// ID, with how many of the host's GPUs share it.
    static func absentGPUs(
        _ installer: DriverInstaller,
        host: MatchHost
    ) -> [(gpu: MatchHost.GPU, count: Int)] {
        var absent: [(gpu: MatchHost.GPU, count: Int)] = []
        for gpu in host.gpus {
            guard let device = gpu.deviceID,
                installer.support(
                    deviceID: device,
                    subsystemVendorID: gpu.subsystemVendorID,
                    subsystemDeviceID: gpu.subsystemDeviceID
                ) == .notListed
            else { continue }
            if let index = absent.firstIndex(where: { $0.gpu.deviceID == device }) {
                absent[index].count += 1
            } else {
                absent.append((gpu, 1))
            }
        }
        return absent
    }

    /// `Tesla T4 (0000:01:00.0) (device 0x1EB8)`, or `Tesla V100-SXM2-16GB ×8 (device 0x1DF5)`
    /// when several GPUs share the device ID.
    static func absentLabel(_ gpu: MatchHost.GPU, count: Int) -> String {
        let who = count == 1 ? gpu.label : "\(gpu.name) ×\(count)"
        return "\(who) (device \(deviceText(gpu.deviceID ?? 0)))"
    }

    /// `0x1EB8`, as supported-gpus.json writes a device ID.
    static func deviceText(_ id: UInt16) -> String {
        "0x" + hex(id, width: 4).uppercased()
    }

    /// Whether the catalog has driver branches for the GPU's architecture, so that a list
    /// leaving the GPU out is judged by them rather than by nothing.
    static func branchesKnown(_ gpu: MatchHost.GPU, _ catalog: TorchCatalog) -> Bool {
        catalog.branches(for: gpu.architecture) != nil
    }

    /// Notes for an installer that was not rejected although its list leaves out a host GPU.
    ///
    /// These are not reasons against the installer: they say that its list was silent, so
    /// that a reader of the verdict knows what the choice rests on.
    static func absenceNotes(
        _ installer: DriverInstaller,
        host: MatchHost,
        catalog: TorchCatalog
    ) -> [String] {
        absentGPUs(installer, host: host).map { gpu, count in
            let label = absentLabel(gpu, count: count)
            if branchesKnown(gpu, catalog) {
                return "not in this installer's supported-gpus.json: \(label); \(absenceCause), "
                    + "so the catalog's driver branches for \(gpu.architecture ?? "the GPU") "
                    + "decide, and they admit this installer"
            }
            return "not in this installer's supported-gpus.json: \(label), whose architecture "
                + "gpuprobe does not know, so it may be newer than this driver; not rejected, as "
                + absenceCause
        }
    }

    /// One line per device ID that the chosen installer's list leaves out, so the user knows
    /// the choice rests on the branch range (or, for a chip gpuprobe does not know, on the
    /// host's driver), not on the list.
    ///
    /// A chip whose architecture is unknown and which the list leaves out is probably newer
    /// than the installer, but not certainly (the list also leaves out chips the driver
    /// runs). The exact installer is kept: the host runs that very version, and no other
    /// installer can work with its kernel module anyway. A lower one gets a caution, as it
    /// is already a stopgap.
    static func absenceExplanation(
        _ installer: DriverInstaller,
        host: MatchHost,
        target: DriverVersion,
        exact: Bool,
        catalog: TorchCatalog
    ) -> [String] {
        let file = installer.fileName
        let version = installer.version ?? target.text
        return absentGPUs(installer, host: host).map { gpu, count in
            let label = absentLabel(gpu, count: count)
            if branchesKnown(gpu, catalog) {
                return "\(label) is not in \(file)'s supported-gpus.json: \(absenceCause), so "
                    + "the choice rests on the catalog's driver branches for "
                    + "\(gpu.architecture ?? "the GPU"), not on the list."
            }
            if exact {
                return "\(label) is not in \(file)'s supported-gpus.json and gpuprobe does not "
                    + "know its architecture: the choice rests on the host running driver "
                    + "\(target.text) with it; if nvidia-smi on the host does not show this GPU, "
                    + "the chip is newer than \(target.text) and the host needs a newer driver."
            }
            return "\(label) is not in \(file)'s supported-gpus.json and gpuprobe does not know "
                + "its architecture: the chip may be newer than \(version), which then cannot "
                + "drive it; the exact \(target.text) is the one to use."
        }
    }
}
