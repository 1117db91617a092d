/// The `docker run` arguments that give a container the host's accelerators
/// (schema `gpuprobe/run-flags/v1`).
public struct RunFlags: Hashable, Sendable, Codable {
    /// The schema of this document.
    public static let currentSchema = "gpuprobe/run-flags/v1"

    /// One accelerator handed to the container.
    public struct Device: Hashable, Sendable, Codable {
        /// Whose accelerator it is; the schema's `kind` list.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            /// An NVIDIA GPU, handed over with `--gpus device=N`.
            case nvidia
            /// An Ascend NPU chip, handed over as `/dev/davinciN`.
            case ascend
        }

        /// Where a device's number came from; the schema's `index_source` list.
        public enum IndexSource: String, Hashable, Sendable, Codable, CaseIterable {
            /// nvidia-smi's GPU index.
            case nvidiaSMI = "nvidia-smi"
            /// npu-smi info -m's Chip Logic ID.
            case chipLogicID = "chip_logic_id"
            /// npu-smi info's Device column.
            case deviceID = "device_id"
            /// The device's place in the listing, when the report has no number: a guess the
            /// notes point out.
            case position
        }

        /// Whose accelerator it is.
        public var kind: Kind
        /// The number `--gpus device=` or `/dev/davinciN` uses.
        public var index: Int
        /// What the host calls it (`NVIDIA RTX A6000`, `310P3 NPU 5 chip 0`).
        public var name: String
        /// Where `index` came from.
        public var indexSource: IndexSource

        enum CodingKeys: String, CodingKey {
            case kind, index, name
            case indexSource = "index_source"
        }
    }

    /// Always ``currentSchema``.
    public var schema: String = RunFlags.currentSchema
    /// The arguments, one per element, unquoted (for an exec-style caller).
    public var arguments: [String]
    /// The same arguments as one POSIX shell line.
    public var shellLine: String
    /// The accelerators the arguments hand over.
    public var devices: [Device]
    /// Commands to run inside the container to see that the accelerators work.
    public var checkCommands: [String]
    /// What the reader should know (guessed numbering, no driver on the host).
    public var notes: [String]
    /// For Ascend chips, the form for hosts with Ascend's container runtime
    /// (ascend-docker-runtime), which adds the device nodes and driver mounts itself; nil
    /// without Ascend chips (optional within v1).
    public var ascendRuntime: RuntimeForm?

    /// The arguments for a host whose Docker has a vendor runtime registered.
    public struct RuntimeForm: Hashable, Sendable, Codable {
        /// The runtime's name in Docker's configuration (`ascend`).
        public var runtime: String
        /// The arguments, unquoted.
        public var arguments: [String]
        /// The same as one POSIX shell line.
        public var shellLine: String

        enum CodingKeys: String, CodingKey {
            case runtime, arguments
            case shellLine = "shell_line"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, arguments
        case shellLine = "shell_line"
        case devices
        case checkCommands = "check_commands"
        case notes
        case ascendRuntime = "ascend_runtime"
    }

    /// Writes every key, but `ascend_runtime` only for Ascend chips: the schema has it absent
    /// otherwise (an object when present, never `null`), where gpuprobe's encoder would write
    /// a nil as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(arguments, forKey: .arguments)
        try c.encode(shellLine, forKey: .shellLine)
        try c.encode(devices, forKey: .devices)
        try c.encode(checkCommands, forKey: .checkCommands)
        try c.encode(notes, forKey: .notes)
        if let ascendRuntime { try c.encode(ascendRuntime, forKey: .ascendRuntime) }
    }
}

/// Which accelerators `--devices` asks for.
public enum DeviceSelection: Hashable, Sendable {
    /// Every accelerator of the host (the default).
    case all
    /// These indices: NVIDIA GPU indices, or Ascend davinci numbers.
    case indices([Int])

    /// Parses `all` or a comma-separated list of indices (`0`, `0,1`).
    public init?(_ text: String) {
        if text == "all" {
            self = .all
            return
        }
        var seen: [Int] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard (1...4).contains(piece.count), piece.utf8.allSatisfy({ (48...57).contains($0) }),
                let value = Int(piece), !seen.contains(value)
            else { return nil }
            seen.append(value)
        }
        guard !seen.isEmpty, seen.count <= 64 else { return nil }
        self = .indices(seen)
    }
}
