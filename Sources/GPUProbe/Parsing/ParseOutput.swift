/// A section `gpuprobe parse` prints, with the closed list of forms its tool's output is
/// recognised as.
public protocol ParsedSection: Encodable {
    /// The recognised forms, written as `format` by their raw values.
    associatedtype Format: RawRepresentable<String>
}

extension NvidiaSection: ParsedSection {
    /// nvidia-smi's forms.
    public typealias Format = NvidiaSMIFormat
}

extension AscendSection: ParsedSection {
    /// npu-smi's forms.
    public typealias Format = NPUSMIFormat
}

/// What `gpuprobe parse` prints: a section's keys, its `format` and its own diagnostics.
public struct ParseOutput<Section: ParsedSection>: Encodable {
    /// The recognised form (`table`, `xml`, `info`...).
    public var format: Section.Format
    /// The section, whose keys are written at the top level.
    public var section: Section
    /// What the parser noticed.
    public var diagnostics: [Diagnostic]

    /// Creates an output document.
    public init(format: Section.Format, section: Section, diagnostics: [Diagnostic]) {
        self.format = format
        self.section = section
        self.diagnostics = diagnostics
    }

    private enum Keys: String, CodingKey { case format, diagnostics }

    /// Writes the section's keys, then `format` and `diagnostics` beside them.
    public func encode(to encoder: any Encoder) throws {
        try section.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(format.rawValue, forKey: .format)
        try c.encode(diagnostics, forKey: .diagnostics)
    }
}

/// The `lspci` section: the devices and the accelerators recognised among them.
public struct LspciSection: Encodable {
    /// Every device read.
    public var pciDevices: [PCIDevice]
    /// GPUs and NPUs among them.
    public var accelerators: [Accelerator]

    /// Creates a section.
    public init(pciDevices: [PCIDevice], accelerators: [Accelerator]) {
        self.pciDevices = pciDevices
        self.accelerators = accelerators
    }

    private enum CodingKeys: String, CodingKey {
        case accelerators
        case pciDevices = "pci_devices"
    }
}

extension LspciSection: ParsedSection {
    /// The forms `parse lspci` reads: the text forms ``LspciTextParser`` tells apart, and
    /// libpci's hex dump (`lspci -x`), which ``LspciReader`` reads through libpci.
    public enum Format: String, Hashable, Sendable, Codable, CaseIterable {
        /// ``LspciFormat/nn``.
        case nn
        /// ``LspciFormat/plain``.
        case plain
        /// ``LspciFormat/verbose``.
        case verbose
        /// ``LspciFormat/machine``.
        case machine
        /// ``LspciFormat/tree``.
        case tree
        /// ``LspciFormat/unknown``.
        case unknown
        /// `lspci -x`, `-xxx` or `-xxxx`: config space in hex, read by libpci's dump method.
        case dump

        /// The text parser's form.
        init(_ text: LspciFormat) {
            switch text {
            case .nn: self = .nn
            case .plain: self = .plain
            case .verbose: self = .verbose
            case .machine: self = .machine
            case .tree: self = .tree
            case .unknown: self = .unknown
            }
        }
    }
}

extension NvidiaSMIParseResult {
    /// The document `gpuprobe parse nvidia-smi` prints.
    public var output: ParseOutput<NvidiaSection> {
        ParseOutput(format: format, section: section, diagnostics: diagnostics)
    }
}

extension NPUSMIParseResult {
    /// The document `gpuprobe parse npu-smi` prints.
    public var output: ParseOutput<AscendSection> {
        ParseOutput(format: format, section: section, diagnostics: diagnostics)
    }
}
