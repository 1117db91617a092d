/// What `parse nvidia-smi` produces: the section the probe would fill, plus what was noticed.
public struct NvidiaSMIParseResult: Hashable, Sendable {
    /// Which output form the text was recognised as.
    public var format: NvidiaSMIFormat
    /// The parsed facts (kernelModuleVersion stays nil: nvidia-smi does not print it).
    public var section: NvidiaSection
    /// Failures and oddities, for example `driver_not_loaded`, `incomplete_output`.
    public var diagnostics: [Diagnostic]

    /// Creates a result.
    public init(format: NvidiaSMIFormat, section: NvidiaSection, diagnostics: [Diagnostic]) {
        self.format = format
        self.section = section
        self.diagnostics = diagnostics
    }
}

/// The output forms of nvidia-smi we read.
public enum NvidiaSMIFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// The default table (`nvidia-smi`).
    case table
    /// `--query-gpu=... --format=csv[,noheader][,nounits]`.
    case csv
    /// `nvidia-smi -q` (or `-a`) text.
    case query
    /// `nvidia-smi -q -x` XML.
    case xml
    /// Only a failure message (no data), for example "couldn't communicate with the NVIDIA driver".
    case failure
    /// Nothing we recognise (empty, binary, another tool's output).
    case unknown
}

/// What `parse npu-smi` produces.
public struct NPUSMIParseResult: Hashable, Sendable {
    /// Which output form the text was recognised as.
    public var format: NPUSMIFormat
    /// The parsed facts (driver version and paths stay nil: npu-smi does not print them).
    public var section: AscendSection
    /// Failures and oddities, for example `dcmi_init_failed`.
    public var diagnostics: [Diagnostic]
    /// The driver's version, from the `npu-smi X  Version: Y` banner (Y).
    ///
    /// X, before it, is the tool's own. The report uses Y when version.info was not read.
    public var bannerDriverVersion: String?

    /// Creates a result.
    public init(
        format: NPUSMIFormat,
        section: AscendSection,
        diagnostics: [Diagnostic],
        bannerDriverVersion: String? = nil
    ) {
        self.format = format
        self.section = section
        self.diagnostics = diagnostics
        self.bannerDriverVersion = bannerDriverVersion
    }
}

/// The output forms of npu-smi we read.
public enum NPUSMIFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// `npu-smi info`.
    case info
    /// `npu-smi info -m` (chip mapping).
    case mapping
    /// Only a failure message.
    case failure
    /// Nothing we recognise.
    case unknown
}
