/// Reads the loaded NVIDIA kernel module's version: the version a container's userspace
/// driver must equal exactly.
public enum KernelModuleVersion {
    /// The version from `/proc/driver/nvidia/version`, else from `/sys/module/nvidia/version`.
    ///
    /// The proc banner reads `NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu ...`
    /// or, for the open modules, `NVRM version: NVIDIA UNIX Open Kernel Module for x86_64
    /// 570.124.06  Release Build ...`: the first version-shaped word after `Kernel Module`.
    /// - Parameters:
    ///   - proc: the text of `/proc/driver/nvidia/version`, if read.
    ///   - sys: the text of `/sys/module/nvidia/version`, if read.
    /// - Returns: the version exactly as written, or nil when neither holds one.
    public static func parse(proc: String?, sys: String?) -> String? {
        if let proc {
            for line in proc.split(whereSeparator: \.isNewline)
            where line.hasPrefix("NVRM version:") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard let module = words.indices.first(where: { words[$0] == "Module" }) else {
                    continue
                }
                if let version = words[module...].first(where: { isVersion($0) }) {
                    return String(version)
                }
            }
        }
        if let sys {
            let word = sys.trimmingASCIIWhitespace()
            if isVersion(word[...]) { return word }
        }
        return nil
    }

    /// Digits separated by single dots, two to four parts (`550.135`, `535.171.04`): the shape
    /// ``DriverVersion`` accepts.
    static func isVersion(_ word: Substring) -> Bool { DriverVersion(String(word)) != nil }
}
