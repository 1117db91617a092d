/// Recognises the messages printed instead of nvidia-smi's data: NVML's failures, and the
/// shell's, the container runtime's or Windows' "no such command".
///
/// Messages are recognised by their words, not their exact bytes, because people paste them:
/// case, curly apostrophes (`couldn’t`), indentation and runs of blanks do not matter, and a
/// message a chat or mail client wrapped over several lines is read as one.
enum NvidiaSMIFailures {
    /// The failure diagnostics found in `lines`, in the order printed, one per message.
    ///
    /// Lines of a table box (starting with `|` or `+`) are skipped: failures are printed on
    /// lines of their own, and skipping boxes keeps a 10 MB table cheap to scan.
    static func scan(_ lines: [NvidiaSMIText.Bytes], exitStatus: Int32?) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var mismatch: Int?
        for line in messageLines(lines) {
            if let version = line.after("nvml library version:") {
                // Printed on the line after the mismatch message by newer drivers.
                if let row = mismatch, let value = NvidiaSMIText.string(version) {
                    found[row].context["nvml_library_version"] = value
                    found[row].message = versionMismatchMessage(library: value)
                }
                continue
            }
            guard let diagnostic = failure(in: line) else { continue }
            if diagnostic.code == .versionMismatch { mismatch = found.count }
            found.append(diagnostic)
        }
        if let status = exitStatus {
            for row in found.indices { found[row].context["exit_status"] = String(status) }
        }
        return found
    }

    /// One line of text outside table boxes, as a message is read: blanks collapsed, curly
    /// quotes straight, and a lower-cased copy to look words up in.
    struct MessageLine {
        /// The line, trimmed, blanks collapsed to one space, quotes made ASCII.
        var text: [UInt8]
        /// `text` in ASCII lower case: the same length, so offsets carry over.
        var folded: [UInt8]

        init(_ bytes: NvidiaSMIText.Bytes) {
            text = Self.normalized(bytes)
            folded = text.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        }

        /// Whether `needle` (lower case) occurs.
        func contains(_ needle: StaticString) -> Bool {
            NvidiaSMIText.range(of: needle, in: folded[...]) != nil
        }

        /// The text after the first `label` (lower case), as printed.
        func after(_ label: StaticString) -> NvidiaSMIText.Bytes? {
            NvidiaSMIText.range(of: label, in: folded[...]).map { text[$0.upperBound...] }
        }

        /// This line with `next` after it, one space between.
        func joined(_ next: MessageLine) -> MessageLine {
            var line = self
            line.text += [NvidiaSMIText.space] + next.text
            line.folded += [NvidiaSMIText.space] + next.folded
            return line
        }

        /// Straight quotes for typographic ones (U+2018, U+2019, U+201B, U+2032 and the
        /// backtick → `'`; U+201C, U+201D → `"`), no-break spaces and tabs as spaces, runs of
        /// blanks as one, no blanks at either end.
        static func normalized(_ bytes: NvidiaSMIText.Bytes) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var index = bytes.startIndex
            func blank() {
                if let last = out.last, last != NvidiaSMIText.space {
                    out.append(NvidiaSMIText.space)
                }
            }
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == 0xE2, index + 2 < bytes.endIndex, bytes[index + 1] == 0x80 {
                    switch bytes[index + 2] {
                    case 0x98, 0x99, 0x9B, 0xB2:
                        out.append(0x27)
                        index += 3
                        continue
                    case 0x9C, 0x9D:
                        out.append(0x22)
                        index += 3
                        continue
                    default: break
                    }
                }
                if byte == 0xC2, index + 1 < bytes.endIndex, bytes[index + 1] == 0xA0 {
                    blank()
                    index += 2
                    continue
                }
                switch byte {
                case NvidiaSMIText.space, NvidiaSMIText.tab, 0x0D, 0x0A: blank()
                case 0x60: out.append(0x27)
                default: out.append(byte)
                }
                index += 1
            }
            if out.last == NvidiaSMIText.space { out.removeLast() }
            return out
        }
    }

    /// Words that begin a message (lower case, quotes straight): where a pasted line ends
    /// inside one of them, or right after a label whose reason follows, the next line is
    /// the rest of the same message.
    static let phrases: [[UInt8]] = [
        "couldn't communicate with the nvidia driver",
        "could not communicate with the nvidia driver",
        "driver/library version mismatch", "no devices were found", "gpu is lost",
        "fallen off the bus", "unable to determine the device handle for gpu",
        "unable to detect the device handle for gpu", "failed to initialize nvml:", "unknown error",
        "nvml library version:", "couldn't find libnvidia-ml.so", "could not find libnvidia-ml.so",
        "command not found", "nvidia-smi: not found", "not found, but can be installed",
        "executable file not found in $path", "is not recognized as", "unknown command",
    ].map { Array($0.utf8) }

    /// The lines outside table boxes, with each wrapped message joined into one line.
    ///
    /// A line is joined to the one before when the two together hold a phrase neither holds
    /// alone (the client wrapped at a space inside it), or when the one before ends with a
    /// colon (`Failed to initialize NVML:`, `bash: nvidia-smi:`) or with `device handle for
    /// GPU`, whose rest was wrapped. Lines are never joined across an empty line or a table
    /// row, and a joined line is only looked at for failures: the parsers read the lines as
    /// they are.
    static func messageLines(_ lines: [NvidiaSMIText.Bytes]) -> [MessageLine] {
        var result: [MessageLine] = []
        var current: MessageLine?
        for raw in lines {
            let trimmed = NvidiaSMIText.trim(raw)
            guard let first = trimmed.first, first != NvidiaSMIText.pipe,
                first != NvidiaSMIText.plus
            else {
                if let line = current { result.append(line) }
                current = nil
                continue
            }
            let line = MessageLine(trimmed)
            if let previous = current, continues(previous.folded, with: line.folded) {
                current = previous.joined(line)
            } else {
                if let previous = current { result.append(previous) }
                current = line
            }
        }
        if let line = current { result.append(line) }
        return result
    }

    /// Whether `next` carries on a message that `line` (both folded) leaves unfinished.
    static func continues(_ line: [UInt8], with next: [UInt8]) -> Bool {
        guard !line.isEmpty, !next.isEmpty else { return false }
        if line.last == NvidiaSMIText.colon || line.ends(with: Array("device handle for gpu".utf8))
        {
            return true
        }
        for phrase in phrases {
            // Split the phrase at each of its spaces: the line ends with the part before,
            // the next line starts with the part after (or is all of the next line a
            // beginning of it, when the client wrapped it narrower still).
            for split in phrase.indices where phrase[split] == NvidiaSMIText.space {
                let head = phrase[..<split]
                let tail = phrase[(split + 1)...]
                guard line.ends(with: head) else { continue }
                if next.starts(with: tail) || tail.starts(with: next) { return true }
            }
        }
        return false
    }

    /// The diagnostic for one message line, if it is a known failure message.
    static func failure(in line: MessageLine) -> Diagnostic? {
        if line.contains("couldn't communicate with the nvidia driver")
            || line.contains("could not communicate with the nvidia driver")
        {
            return error(
                .driverNotLoaded,
                "nvidia-smi could not talk to the NVIDIA kernel driver; load it (modprobe "
                    + "nvidia) or reinstall a driver built for the running kernel, and in a "
                    + "container start it with the NVIDIA runtime (--gpus all)."
            )
        }
        if line.contains("driver/library version mismatch") {
            return error(.versionMismatch, versionMismatchMessage(library: nil))
        }
        if line.contains("no devices were found") {
            return error(
                .noDevices,
                "The NVIDIA driver is loaded but sees no usable GPU; check that lspci shows "
                    + "the GPU bound to the nvidia driver and that it is passed into the "
                    + "container."
            )
        }
        if let missing = userspaceMissing(line) { return missing }
        // Looked up only on lines that are failures, and only on line lengths nvidia-smi prints.
        var busContext: [String: String]? {
            guard line.text.count <= NvidiaSMIText.longestLine else { return nil }
            return NvidiaSMIText.pciAddress(in: line.text[...]).map { ["bus_id": $0.description] }
        }
        if line.contains("gpu is lost") || line.contains("fallen off the bus") {
            let which = busContext?["bus_id"].map { "GPU \($0)" } ?? "A GPU"
            return error(
                .gpuLost,
                "\(which) has fallen off the bus; reboot the machine, and check power, "
                    + "cooling and the PCIe slot if it happens again.",
                context: busContext ?? [:]
            )
        }
        if line.contains("unknown error"),
            line.contains("unable to determine the device handle")
                || line.contains("unable to detect the device handle")
                || line.contains("failed to initialize nvml")
        {
            return error(
                .unknownError,
                "NVML reported Unknown Error; in a container this usually means device access "
                    + "was lost (restart the container), otherwise check dmesg for Xid errors.",
                context: busContext ?? [:]
            )
        }
        if let reason = line.after("failed to initialize nvml:") {
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

    /// nvidia-smi itself, or the NVML library it loads, is not there: the userspace driver is
    /// not installed (or, in a container, not mounted in).
    ///
    /// Real nvidia-smi without libnvidia-ml.so prints "NVIDIA-SMI couldn't find
    /// libnvidia-ml.so library in your system" and exits 12 (every release from 340 to 555).
    /// Without nvidia-smi the message is the caller's: bash's `nvidia-smi: command not
    /// found`, dash's `nvidia-smi: not found`, zsh's `command not found: nvidia-smi`, fish's
    /// `Unknown command: nvidia-smi`, Ubuntu's handler's `Command 'nvidia-smi' not found, but
    /// can be installed with:`, runc's `exec: "nvidia-smi": executable file not found in
    /// $PATH`, cmd.exe's and PowerShell's `'nvidia-smi' is not recognized as ...`.
    static func userspaceMissing(_ line: MessageLine) -> Diagnostic? {
        if line.contains("couldn't find libnvidia-ml.so")
            || line.contains("could not find libnvidia-ml.so")
        {
            return error(
                .notInstalled,
                "nvidia-smi is there but NVML (libnvidia-ml.so, part of the NVIDIA userspace "
                    + "driver) is not: install the userspace driver of the same version as the "
                    + "loaded kernel module, or in a container start it with the NVIDIA runtime "
                    + "(--gpus all), which mounts it.",
                context: ["missing": "libnvidia-ml.so"]
            )
        }
        guard line.contains("nvidia-smi") else { return nil }
        if line.contains("executable file not found in $path") {
            return error(
                .notInstalled,
                "nvidia-smi is not in the container: start it with the NVIDIA runtime "
                    + "(docker run --gpus all, or --runtime=nvidia), which mounts nvidia-smi and "
                    + "the driver's libraries from the host.",
                context: ["missing": "nvidia-smi"]
            )
        }
        let notFound =
            line.contains("command not found") || line.contains("nvidia-smi: not found")
            || line.contains("not found, but can be installed")
            || line.contains("unknown command: nvidia-smi")
            || line.contains("is not recognized as") || line.contains("no such file or directory")
        guard notFound else { return nil }
        return error(
            .notInstalled,
            "nvidia-smi was not found on this machine: the NVIDIA userspace driver is not "
                + "installed (or not on PATH); install the driver whose version equals the "
                + "kernel module's, then run nvidia-smi again.",
            context: ["missing": "nvidia-smi"]
        )
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
        Diagnostic(code, source: .nvidia, severity: .error, message: message, context: context)
    }
}

extension Array where Element == UInt8 {
    /// Whether the array ends with `suffix`.
    fileprivate func ends<S: Collection<UInt8>>(with suffix: S) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
