/// Recognises the messages nvidia-smi prints instead of data when NVML cannot serve it.
enum NvidiaSMIFailures {
    /// The failure diagnostics found in `lines`, in the order printed, one per message.
    ///
    /// Lines of a table box (starting with `|` or `+`) are skipped: failures are printed on
    /// lines of their own, and skipping boxes keeps a 10 MB table cheap to scan.
    static func scan(_ lines: [NvidiaSMIText.Bytes], exitStatus: Int32?) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var mismatch: Int?
        for line in lines {
            let trimmed = NvidiaSMIText.trim(line)
            guard let first = trimmed.first, first != NvidiaSMIText.pipe,
                first != NvidiaSMIText.plus
            else { continue }
            if let version = NvidiaSMIText.after("NVML library version:", in: trimmed) {
                // Printed on the line after the mismatch message by newer drivers.
                if let row = mismatch, let value = NvidiaSMIText.string(version) {
                    found[row].context["nvml_library_version"] = value
                    found[row].message = versionMismatchMessage(library: value)
                }
                continue
            }
            guard let diagnostic = failure(in: trimmed) else { continue }
            if diagnostic.code == .versionMismatch { mismatch = found.count }
            found.append(diagnostic)
        }
        if let status = exitStatus {
            for row in found.indices { found[row].context["exit_status"] = String(status) }
        }
        return found
    }

    /// The diagnostic for one line, if it is a known failure message.
    static func failure(in line: NvidiaSMIText.Bytes) -> Diagnostic? {
        if NvidiaSMIText.contains(line, "couldn't communicate with the NVIDIA driver") {
            return error(
                .driverNotLoaded,
                "nvidia-smi could not talk to the NVIDIA kernel driver; load it (modprobe "
                    + "nvidia) or reinstall a driver built for the running kernel, and in a "
                    + "container start it with the NVIDIA runtime (--gpus all)."
            )
        }
        if NvidiaSMIText.contains(line, "Driver/library version mismatch") {
            return error(.versionMismatch, versionMismatchMessage(library: nil))
        }
        if NvidiaSMIText.contains(line, "No devices were found") {
            return error(
                .noDevices,
                "The NVIDIA driver is loaded but sees no usable GPU; check that lspci shows "
                    + "the GPU bound to the nvidia driver and that it is passed into the "
                    + "container."
            )
        }
        // Looked up only on lines that are failures, and only on line lengths nvidia-smi prints.
        var busContext: [String: String]? {
            guard line.count <= NvidiaSMIText.longestLine else { return nil }
            return NvidiaSMIText.pciAddress(in: line).map { ["bus_id": $0.description] }
        }
        if NvidiaSMIText.contains(line, "GPU is lost")
            || NvidiaSMIText.contains(line, "fallen off the bus")
        {
            let which = busContext?["bus_id"].map { "GPU \($0)" } ?? "A GPU"
            return error(
                .gpuLost,
                "\(which) has fallen off the bus; reboot the machine, and check power, "
                    + "cooling and the PCIe slot if it happens again.",
                context: busContext ?? [:]
            )
        }
        if NvidiaSMIText.contains(line, "Unknown Error"),
            NvidiaSMIText.contains(line, "Unable to determine the device handle")
                || NvidiaSMIText.contains(line, "Failed to initialize NVML")
        {
            return error(
                .unknownError,
                "NVML reported Unknown Error; in a container this usually means device access "
                    + "was lost (restart the container), otherwise check dmesg for Xid errors.",
                context: busContext ?? [:]
            )
        }
        if let reason = NvidiaSMIText.after("Failed to initialize NVML:", in: line) {
            var context: [String: String] = [:]
            if let text = NvidiaSMIText.string(reason) { context["nvml_error"] = text }
            return error(
                .toolFailed,
                "NVML could not start (\(context["nvml_error"] ?? "no reason given")); check "
                    + "the driver installation and the permissions on /dev/nvidia*.",
                context: context
            )
        }
        return nil
    }

    private static func versionMismatchMessage(library: String?) -> String {
        let which = library.map { "The NVML library (\($0))" } ?? "The NVML library"
        return which + " does not match the loaded NVIDIA kernel module; reboot, or unload "
            + "and reload the nvidia modules, so that both come from the same driver."
    }

    private static func error(
        _ code: Diagnostic.Code,
        _ message: String,
        context: [String: String] = [:]
    ) -> Diagnostic {
        Diagnostic(code, source: "nvidia", severity: .error, message: message, context: context)
    }
}
