/// The PyTorch part of a plan: the wheels to install and why the others lost.
public struct TorchPlan: Hashable, Sendable, Codable {
    /// How the choice turned out.
    public enum Status: String, Hashable, Sendable, Codable {
        /// CUDA wheels that run on the host driver and carry kernels for its GPUs.
        case cuda
        /// CPU wheels: the host has no NVIDIA GPU.
        case cpu
        /// No wheel fits (a pinned `--torch` that cannot run, a Python no release supports,
        /// GPUs without a driver); the explanation says what to change.
        case none
        /// An Ascend host: torch_npu, in the ascend part, decides the torch version.
        case ascend
    }

    /// How the choice turned out.
    public var status: Status
    /// The pick.
    public var pick: TorchPick?
    /// Sentences a person reads: the decision, its warnings and what to change.
    public var explanation: [String]
    /// The candidates that lost, newest first, each with the reason.
    public var runnersUp: [TorchCandidate]

    /// Creates the record.
    public init(
        status: Status,
        pick: TorchPick? = nil,
        explanation: [String] = [],
        runnersUp: [TorchCandidate] = []
    ) {
        self.status = status
        self.pick = pick
        self.explanation = explanation
        self.runnersUp = runnersUp
    }

    enum CodingKeys: String, CodingKey {
        case status, pick, explanation
        case runnersUp = "runners_up"
    }

    /// Writes every key, nulls included.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(pick, forKey: .pick)
        try c.encode(explanation, forKey: .explanation)
        try c.encode(runnersUp, forKey: .runnersUp)
    }
}

/// The wheels to install.
public struct TorchPick: Hashable, Sendable, Codable {
    /// `2.4.0`.
    public var torch: String
    /// `0.19.0`.
    public var torchvision: String?
    /// `2.4.0`; nil when none exists for this variant.
    public var torchaudio: String?
    /// `cu124`, `cpu`.
    public var variant: String
    /// `12.4`; nil for cpu.
    public var cuda: String?
    /// The pip index the wheels come from.
    public var indexURL: String
    /// `torch==2.4.0`, `torchvision==0.19.0`, `torchaudio==2.4.0`.
    public var packages: [String]
    /// The whole pip command line.
    public var installCommand: String
    /// True when the wheel's CUDA is newer than the driver's and runs only through CUDA
    /// minor-version compatibility (limited feature set, no PTX JIT).
    public var minorVersionCompatibility: Bool
    /// GPUs the wheel has kernels for.
    public var gpusCovered: [String]
    /// GPUs it has no kernels for (mixed hosts).
    public var gpusLeftOut: [String]
    /// False when a fact behind the pick is marked unconfirmed in the catalog.
    public var confirmed: Bool

    /// Creates the record.
    public init(
        torch: String,
        torchvision: String?,
        torchaudio: String?,
        variant: String,
        cuda: String?,
        indexURL: String,
        minorVersionCompatibility: Bool = false,
        gpusCovered: [String] = [],
        gpusLeftOut: [String] = [],
        confirmed: Bool = true
    ) {
        self.torch = torch
        self.torchvision = torchvision
        self.torchaudio = torchaudio
        self.variant = variant
        self.cuda = cuda
        self.indexURL = indexURL
        packages =
            ["torch==\(torch)"] + (torchvision.map { ["torchvision==\($0)"] } ?? [])
            + (torchaudio.map { ["torchaudio==\($0)"] } ?? [])
        installCommand = (["pip", "install"] + packages + ["--index-url", indexURL]).joined(
            separator: " "
        )
        self.minorVersionCompatibility = minorVersionCompatibility
        self.gpusCovered = gpusCovered
        self.gpusLeftOut = gpusLeftOut
        self.confirmed = confirmed
    }

    enum CodingKeys: String, CodingKey {
        case torch, torchvision, torchaudio, variant, cuda
        case indexURL = "index_url"
        case packages
        case installCommand = "install_command"
        case minorVersionCompatibility = "minor_version_compatibility"
        case gpusCovered = "gpus_covered"
        case gpusLeftOut = "gpus_left_out"
        case confirmed
    }

    /// Writes every key, nulls included.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(torch, forKey: .torch)
        try c.encode(torchvision, forKey: .torchvision)
        try c.encode(torchaudio, forKey: .torchaudio)
        try c.encode(variant, forKey: .variant)
        try c.encode(cuda, forKey: .cuda)
        try c.encode(indexURL, forKey: .indexURL)
        try c.encode(packages, forKey: .packages)
        try c.encode(installCommand, forKey: .installCommand)
        try c.encode(minorVersionCompatibility, forKey: .minorVersionCompatibility)
        try c.encode(gpusCovered, forKey: .gpusCovered)
        try c.encode(gpusLeftOut, forKey: .gpusLeftOut)
        try c.encode(confirmed, forKey: .confirmed)
    }
}

/// A candidate that lost, and why (`2.15.0+cu132: needs driver >= 580, host has 535.171.04`).
public struct TorchCandidate: Hashable, Sendable, Codable {
    /// `2.15.0`.
    public var torch: String
    /// `cu132`.
    public var variant: String
    /// Why it lost.
    public var reason: String

    /// Creates the record.
    public init(torch: String, variant: String, reason: String) {
        self.torch = torch
        self.variant = variant
        self.reason = reason
    }
}

/// The Ascend part of a plan: the host's driver package and the torch_npu releases for it.
public struct AscendPlan: Hashable, Sendable, Codable {
    /// The driver package version from version.info.
    public var driverVersion: String?
    /// NPUs seen.
    public var npus: Int
    /// The CANN versions the catalog pairs with this driver generation.
    public var cann: [String]
    /// torch_npu releases for those CANN versions, newest first.
    public var torchNPU: [TorchNPUChoice]
    /// Sentences a person reads.
    public var explanation: [String]

    /// Creates the record.
    public init(
        driverVersion: String?,
        npus: Int,
        cann: [String] = [],
        torchNPU: [TorchNPUChoice] = [],
        explanation: [String] = []
    ) {
        self.driverVersion = driverVersion
        self.npus = npus
        self.cann = cann
        self.torchNPU = torchNPU
        self.explanation = explanation
    }

    enum CodingKeys: String, CodingKey {
        case driverVersion = "driver_version"
        case npus, cann
        case torchNPU = "torch_npu"
        case explanation
    }

    /// Writes every key, nulls included.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(driverVersion, forKey: .driverVersion)
        try c.encode(npus, forKey: .npus)
        try c.encode(cann, forKey: .cann)
        try c.encode(torchNPU, forKey: .torchNPU)
        try c.encode(explanation, forKey: .explanation)
    }
}

/// One torch_npu release offered for an Ascend host.
public struct TorchNPUChoice: Hashable, Sendable, Codable {
    /// `2.9.0.post6`.
    public var torchNPU: String
    /// `2.9.0`.
    public var torch: String
    /// `9.1.0`.
    public var cann: String
    /// False when the catalog marks the pairing unconfirmed.
    public var confirmed: Bool

    /// Creates the record.
    public init(torchNPU: String, torch: String, cann: String, confirmed: Bool) {
        self.torchNPU = torchNPU
        self.torch = torch
        self.cann = cann
        self.confirmed = confirmed
    }

    enum CodingKeys: String, CodingKey {
        case torchNPU = "torch_npu"
        case torch, cann, confirmed
    }
}
