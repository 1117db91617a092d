/// A host report from pasted tool outputs: what the packaging guide starts from, and often
/// all a person building an image has of a customer's machine.
///
/// The pastes go through the same assembly as a probe, as the tool outputs and files of a
/// host that is otherwise unknown, so every parser rule and diagnostic applies. Several pastes
/// may describe one host: an `nvidia-smi` or `npu-smi info` output, an `npu-smi info -m`
/// mapping, an lspci listing (which gives the PCI device IDs a table leaves out, and so the
/// chip) and an Ascend `version.info`. The report then says what it assumed and what it lacks:
/// - a working nvidia-smi prints the loaded kernel module's version (NVML asks the kernel
///   module, and refuses to start when the two differ), so its driver version is recorded as
///   the kernel module's;
/// - the CPU architecture is not in the pastes: it is the one given (`--arch`), else aarch64
///   where the GPU decides it (GH200, GB200, GB300, GB10 and Jetson parts have Arm CPUs),
///   else null, and the plan says that x86_64 was assumed;
/// - no OS and no kernel: null; no PCI devices unless an lspci was pasted.
public enum PastedHost {
    /// What a pasted text is.
    public enum Kind: String, Sendable, CaseIterable {
        /// Any output `parse nvidia-smi` reads, failures included.
        case nvidiaSMI = "nvidia-smi"
        /// `npu-smi info`, or its failure.
        case npuSMI = "npu-smi info"
        /// `npu-smi info -m`: chip names and logic ids.
        case npuSMIMapping = "npu-smi info -m"
        /// lspci text or hex dump with at least one device.
        case lspci
        /// `/usr/local/Ascend/driver/version.info`.
        case ascendVersionInfo = "version.info"
    }

    /// One pasted text and the name to call it by in messages (its path, or `stdin`).
    public struct Paste: Sendable {
        /// Where it came from.
        public var name: String
        /// The text, as read.
        public var bytes: [UInt8]

        /// Creates a paste.
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// Why pastes do not make a host.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text is none of the kinds read.
        case unrecognised(name: String)
        /// Two pastes of one kind: which one describes the host is not known.
        case twice(kind: Kind, first: String, second: String)
        /// `--arch` says one machine, the GPU another.
        case architecture(given: String, gpu: String)

        /// One line: what is wrong and what to do.
        public var description: String {
            switch self {
            case .unrecognised(let name):
                "'\(name)' is no host report, capture folder, nvidia-smi, npu-smi, lspci or "
                    + "version.info output that gpuprobe reads; pass the output of `gpuprobe "
                    + "probe`, or paste the tool's whole output"
            case .twice(let kind, let first, let second):
                "'\(first)' and '\(second)' are both \(kind.rawValue) outputs; pass one --host "
                    + "per kind (the newest output of the host)"
            case .architecture(let given, let gpu):
                "--arch \(given) contradicts the pasted GPU \(gpu), which sits in an aarch64 "
                    + "machine; leave --arch out or pass the right pastes"
            }
        }
    }

    /// The kind of a pasted text; nil when gpuprobe reads it as none.
    ///
    /// Tried in this order, each form's own parser deciding: nvidia-smi, npu-smi, a
    /// version.info, lspci last because its reader is the most forgiving of stray lines.
    ///
    /// - Parameter bytes: the text, as read.
    /// - Returns: the kind, or nil.
    public static func kind(of bytes: [UInt8]) -> Kind? {
        let text = String(decoding: bytes, as: UTF8.self)
        if NvidiaSMIParser.parse(text).format != .unknown { return .nvidiaSMI }
        switch NPUSMIParser.parse(text).format {
        case .info, .failure: return .npuSMI
        case .mapping: return .npuSMIMapping
        case .unknown: break
        }
        if isVersionInfo(text) { return .ascendVersionInfo }
        let lspci = LspciReader.read(text)
        if !lspci.section.pciDevices.isEmpty,
            !lspci.diagnostics.contains(where: { $0.severity == .error })
        {
            return .lspci
        }
        return nil
    }

    /// The report one pasted text describes; nil when it is none of the kinds read.
    ///
    /// - Parameter bytes: the pasted text, as read.
    /// - Returns: the report, with a `pasted` diagnostic saying what it is built from.
    public static func report(_ bytes: [UInt8]) -> HostReport? {
        try? report([Paste(name: "-", bytes: bytes)])
    }

    /// The report several pasted texts describe together.
    ///
    /// - Parameters:
    ///   - pastes: at most one of each ``Kind``.
    ///   - architecture: the machine (`x86_64`, `aarch64`) when the user said it.
    /// - Returns: the report, with a `pasted` diagnostic first saying what it is built from.
    /// - Throws: ``Failure`` for a text of no kind, two of one kind, or an `architecture`
    ///   that contradicts the GPU.
    public static func report(
        _ pastes: [Paste],
        architecture: String? = nil
    ) throws(Failure) -> HostReport {
        var byKind: [Kind: Paste] = [:]
        for paste in pastes {
            guard let kind = kind(of: paste.bytes) else {
                throw .unrecognised(name: paste.name)
            }
            if let first = byKind[kind] {
                throw .twice(kind: kind, first: first.name, second: paste.name)
            }
            byKind[kind] = paste
        }
        var report = HostReportBuilder.build(snapshot(byKind))
        if let info = report.ascend, byKind[.npuSMI] != nil, let mapping = byKind[.npuSMIMapping] {
            let text = String(decoding: mapping.bytes, as: UTF8.self)
            report.ascend = NPUSMIParser.merge(
                info: info,
                mapping: NPUSMIParser.parse(text).section
            )
        }
        if byKind[.lspci] == nil {
            report.diagnostics.removeAll { $0.code == .pciUnavailable }
        }

        let kinds = Kind.allCases.filter { byKind[$0] != nil }
        var lacks =
            byKind[.lspci] == nil
            ? "no PCI devices, no OS and no kernel facts" : "no OS and no kernel facts"
        if var nvidia = report.nvidia, nvidia.kernelModuleVersion == nil,
            let driver = nvidia.driverVersion
        {
            nvidia.kernelModuleVersion = driver
            report.nvidia = nvidia
            lacks +=
                "; the kernel module version is nvidia-smi's driver version, which NVML "
                + "reads from the loaded module"
        }
        let arm = armGPU(report)
        if let architecture {
            if let arm, architecture != "aarch64" {
                throw .architecture(given: architecture, gpu: arm)
            }
            report.host.architecture = architecture
            lacks += "; the machine is \(architecture) as --arch says"
        } else if let arm {
            report.host.architecture = "aarch64"
            lacks += "; the machine is aarch64 because \(arm) has an Arm CPU"
        } else {
            lacks +=
                "; the machine's architecture is not in the paste (x86_64 is assumed; "
                + "--arch says otherwise)"
        }
        let names = kinds.map(\.rawValue)
        let what =
            names.count == 1
            ? "a pasted \(names[0]) output"
            : "pasted " + names.dropLast().joined(separator: ", ") + " and \(names.last ?? "")"
                + " outputs"
        report.diagnostics.insert(
            Diagnostic(
                .pasted,
                source: .host,
                severity: .info,
                message: "built from \(what): \(lacks); run `gpuprobe probe` on the host for a "
                    + "full report",
                context: ["tool": names.joined(separator: ",")]
            ),
            at: 0
        )
        return report
    }

    /// The snapshot the pastes stand for: tools not pasted were not run (nil), not missing,
    /// so nothing is claimed about them.
    private static func snapshot(_ byKind: [Kind: Paste]) -> HostSnapshot {
        var tools: [String: ToolRun] = [:]
        func pasted(_ paste: Paste, _ tool: String) -> ToolRun {
            ToolRun(arguments: [], path: tool, outcome: .pasted, stdout: paste.bytes)
        }
        if let paste = byKind[.nvidiaSMI] { tools["nvidia-smi"] = pasted(paste, "nvidia-smi") }
        if let paste = byKind[.npuSMI] ?? byKind[.npuSMIMapping] {
            tools["npu-smi"] = pasted(paste, "npu-smi")
        }
        var files = Dictionary(
            uniqueKeysWithValues: HostSnapshot.filesOfInterest.map { ($0, FileContent.missing) }
        )
        if let paste = byKind[.ascendVersionInfo] {
            files[Paths.ascendVersionInfo] = .content(paste.bytes)
        }
        var pci: Result<LibPCI.Scan, PCIError> = .failure(.notCaptured(reason: "pasted"))
        if let paste = byKind[.lspci] {
            let read = LspciReader.read(String(decoding: paste.bytes, as: UTF8.self))
            pci = .success(
                LibPCI.Scan(devices: read.section.pciDevices, configSpace: [:], method: "pasted")
            )
        }
        return HostSnapshot(
            uname: Uname(sysname: "", nodename: "", release: "", machine: ""),
            files: files,
            tools: tools,
            pci: pci
        )
    }

    /// A version.info names the driver's `Version` (or `package_version`) and nothing an
    /// os-release or another key=value file would.
    static func isVersionInfo(_ text: String) -> Bool {
        let values = KeyValueFile.dictionary(text)
        guard AscendVersionInfo.driverVersion(from: text) != nil else { return false }
        return values["ID"] == nil && values["NAME"] == nil
    }

    /// The kinds a report was built from, read back from its `pasted` diagnostic; nil for a
    /// probed host.
    public static func kinds(of report: HostReport) -> [Kind]? {
        guard let pasted = report.diagnostics.first(where: { $0.code == .pasted }) else {
            return nil
        }
        return (pasted.context["tool"] ?? "").split(separator: ",").compactMap {
            Kind(rawValue: String($0))
        }
    }

    /// The first GPU whose name says the host is an Arm machine (Grace superchips, GB10,
    /// Jetson modules), when there is one.
    static func armGPU(_ report: HostReport) -> String? {
        let markers = ["GH200", "GB200", "GB300", "GB10", "Jetson", "Orin", "Thor"]
        for gpu in report.nvidia?.gpus ?? [] {
            guard let name = gpu.name else { continue }
            let words = name.split { !$0.isLetter && !$0.isNumber }
            if words.contains(where: { word in markers.contains { $0 == word } }) { return name }
        }
        return nil
    }
}
