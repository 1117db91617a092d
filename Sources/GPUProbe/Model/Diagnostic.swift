/// Something the probe or a parser noticed that a person should know, with what to do.
///
/// `code` is stable and machine-readable (see ``Diagnostic/Code``); `message` is one sentence
/// for a person that says what happened and what to do about it.
public struct Diagnostic: Hashable, Sendable, Codable {
    /// A stable identifier of what happened; an open set, like C error codes.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        /// The snake_case identifier written to JSON.
        public let rawValue: String
        /// Wraps a raw code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Wraps a raw code from a literal.
        public init(stringLiteral value: String) { self.rawValue = value }
        /// The raw code.
        public var description: String { rawValue }

        /// Nothing of this kind is on the host (not a problem).
        public static let notPresent: Code = "not_present"
        /// The tool is not installed (nvidia-smi or npu-smi not found).
        public static let notInstalled: Code = "not_installed"
        /// nvidia-smi could not talk to the kernel module.
        public static let driverNotLoaded: Code = "driver_not_loaded"
        /// NVML userspace library and kernel module versions differ.
        public static let versionMismatch: Code = "version_mismatch"
        /// The driver is loaded but found no usable GPU.
        public static let noDevices: Code = "no_devices"
        /// A GPU has fallen off the bus.
        public static let gpuLost: Code = "gpu_lost"
        /// NVML reported "Unknown Error" (often lost device permissions in a container).
        public static let unknownError: Code = "unknown_error"
        /// A tool did not finish within the timeout and was killed.
        public static let timeout: Code = "timeout"
        /// npu-smi could not initialise DCMI (the device is often held by another container).
        public static let dcmiInitFailed: Code = "dcmi_init_failed"
        /// A tool exited non-zero with output we do not recognise.
        public static let toolFailed: Code = "tool_failed"
        /// The text was recognised but ends early or has rows we could not read.
        public static let incompleteOutput: Code = "incomplete_output"
        /// The text is in no format we know.
        public static let unrecognizedOutput: Code = "unrecognized_output"
        /// libpci could not enumerate the PCI bus.
        public static let pciUnavailable: Code = "pci_unavailable"
        /// A file the probe needs exists but could not be read.
        public static let unreadable: Code = "unreadable"
        /// Two sources disagree (for example nvidia-smi's driver and the kernel module).
        public static let inconsistent: Code = "inconsistent"
        /// The report was built from a pasted tool output, not by probing the host.
        public static let pasted: Code = "pasted"
        /// A value was inferred rather than read (a compute capability from a GPU's name).
        public static let inferred: Code = "inferred"
    }

    /// How much the finding matters.
    public enum Severity: String, Hashable, Sendable, Codable, CaseIterable {
        /// A fact, not a problem ("no NVIDIA GPU on this host").
        case info
        /// Part of the report may be missing or stale.
        case warning
        /// The accelerator cannot be used as it is.
        case error
    }

    /// Which part of the host a diagnostic concerns; a closed set, the schema's list
    /// (`Schemas/host-v1.schema.json`), unlike ``Code``.
    public enum Source: String, Hashable, Sendable, Codable, CaseIterable {
        /// The NVIDIA driver and its tools (nvidia-smi, the kernel module).
        case nvidia
        /// Ascend NPUs and their tools (npu-smi, the driver's files).
        case ascend
        /// The PCI bus (libpci, pasted lspci).
        case pci
        /// The host as a whole (a report built from pasted output).
        case host
    }

    /// What happened, machine-readable.
    public var code: Code
    /// Which part of the host it concerns.
    public var source: Source
    /// How much it matters.
    public var severity: Severity
    /// One sentence: what happened and what to do.
    public var message: String
    /// Facts that go with the code, for example `nvml_library_version`, `ret`, `bus_id`.
    public var context: [String: String]

    /// Creates a diagnostic.
    public init(
        _ code: Code,
        source: Source,
        severity: Severity,
        message: String,
        context: [String: String] = [:]
    ) {
        self.code = code
        self.source = source
        self.severity = severity
        self.message = Self.sentence(message)
        self.context = context
    }

    /// Messages read as sentences wherever they were written: a closing period, and a capital
    /// first letter unless the message starts with a name such as `nvidia-smi` (error
    /// descriptions reused here are lower-case clauses).
    static func sentence(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        let firstWord = text.prefix { $0 != " " }
        let isPlainWord =
            !firstWord.isEmpty && firstWord.allSatisfy { $0.isLowercase && $0.isLetter }
        let capitalised =
            isPlainWord ? firstWord.uppercased().prefix(1) + text.dropFirst() : text[...]
        return capitalised.hasSuffix(".") ? String(capitalised) : capitalised + "."
    }
}
