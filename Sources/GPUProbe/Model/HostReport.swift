/// The probe's one document about a host: the `gpuprobe/host/v1` JSON contract.
///
/// Other tools (the matcher, Dockerfile emitters, fleet generators) read this document, so
/// fields are only ever added within v1; renaming or removing one means a new schema version.
/// See `Schemas/host-v1.schema.json`.
public struct HostReport: Hashable, Sendable, Codable {
    /// The schema identifier this build writes.
    public static let currentSchema = "gpuprobe/host/v1"

    /// `gpuprobe/host/v1`.
    public var schema: String
    /// The machine.
    public var host: HostInfo
    /// Every PCI function, in bus order.
    public var pciDevices: [PCIDevice]
    /// GPUs and NPUs recognised from the PCI bus.
    public var accelerators: [Accelerator]
    /// NVIDIA driver and GPUs; nil when the host has no trace of NVIDIA (no GPU, no module,
    /// no nvidia-smi).
    public var nvidia: NvidiaSection?
    /// Ascend driver and NPUs; nil when the host has no trace of Ascend.
    public var ascend: AscendSection?
    /// What was missing, broken or odd, each with what to do.
    public var diagnostics: [Diagnostic]

    /// Creates a report.
    public init(
        schema: String = HostReport.currentSchema,
        host: HostInfo,
        pciDevices: [PCIDevice],
        accelerators: [Accelerator],
        nvidia: NvidiaSection?,
        ascend: AscendSection?,
        diagnostics: [Diagnostic]
    ) {
        self.schema = schema
        self.host = host
        self.pciDevices = pciDevices
        self.accelerators = accelerators
        self.nvidia = nvidia
        self.ascend = ascend
        self.diagnostics = diagnostics
    }

    enum CodingKeys: String, CodingKey {
        case schema, host, accelerators, nvidia, ascend, diagnostics
        case pciDevices = "pci_devices"
    }
}
