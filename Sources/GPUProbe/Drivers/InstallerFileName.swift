/// The parts of an NVIDIA installer's file name, `NVIDIA-Linux-<arch>-<version>[-<variant>].run`.
///
/// NVIDIA names its packages `NVIDIA-Linux-x86_64-550.135.run`, `NVIDIA-Linux-aarch64-570.86.15.run`,
/// `NVIDIA-Linux-x86_64-470.256.02-no-compat32.run`, `NVIDIA-Linux-x86_64-535.129.03-grid.run`
/// or `NVIDIA-Linux-x86_64-535.129.03-vgpu-kvm.run`; older ARM packages carry a dash in the
/// architecture (`NVIDIA-Linux-armv7l-gnueabihf-390.157.run`). The version is the first
/// dash-separated part that parses as a ``DriverVersion``: what comes before it is the
/// architecture, what comes after it the variant.
public struct InstallerFileName: Hashable, Sendable {
    /// The architecture part (`x86_64`, `aarch64`, `armv7l-gnueabihf`).
    public var architecture: String
    /// The version part.
    public var version: DriverVersion
    /// The variant suffix (`no-compat32`, `grid`, `vgpu-kvm`), nil for the plain package.
    public var variant: String?

    /// The naming pattern, for messages.
    public static let pattern = "NVIDIA-Linux-<arch>-<version>[-<variant>].run"

    /// Parses a file name (no folder); nil when it does not follow ``pattern``.
    public init?(_ fileName: String) {
        let prefix = "NVIDIA-Linux-"
        let suffix = ".run"
        guard fileName.utf8.count <= 255, fileName.hasPrefix(prefix), fileName.hasSuffix(suffix)
        else { return nil }
        let middle = fileName.dropFirst(prefix.count).dropLast(suffix.count)
        let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
        guard
            parts.allSatisfy({ part in
                !part.isEmpty && part.utf8.allSatisfy { HeaderText.isWordByte($0) || $0 == 0x2E }
            }),
            let at = parts.indices.dropFirst().first(where: {
                DriverVersion(String(parts[$0])) != nil
            }),
            let version = DriverVersion(String(parts[at])),
            !parts[..<at].contains(where: { $0.contains(".") })
        else { return nil }
        self.architecture = parts[..<at].joined(separator: "-")
        self.version = version
        let rest = parts[(at + 1)...]
        guard !rest.contains(where: { $0.contains(".") }) else { return nil }
        self.variant = rest.isEmpty ? nil : rest.joined(separator: "-")
    }

    /// Why this name and the installer's header disagree, or nil when they agree.
    ///
    /// The versions must be the same text. The architectures agree when equal, or when the name
    /// only adds an ABI after a dash (`armv7l-gnueabihf` for `TARGET_ARCH="armv7l"`).
    /// - Parameters:
    ///   - header: the installer's header.
    ///   - fileName: the file name, for the message.
    /// - Returns: a sentence naming both values, or nil.
    public func disagreement(with header: RunHeader, fileName: String) -> String? {
        var differences: [String] = []
        if version != header.version {
            differences.append("version \(version) but its header says \(header.version)")
        }
        if let arch = header.targetArchitecture, architecture != arch,
            !architecture.hasPrefix(arch + "-")
        {
            differences.append("architecture \(architecture) but its header says \(arch)")
        }
        guard !differences.isEmpty else { return nil }
        return "the file name '\(fileName)' says " + differences.joined(separator: ", and ")
            + "; the file was renamed or is not what its name says: download it again from NVIDIA"
    }
}
