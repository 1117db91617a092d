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

/// The Ascend part of a plan: the host's driver, the CANN it supports and the torch +
/// torch_npu for that CANN.
public struct AscendPlan: Hashable, Sendable, Codable {
    /// The driver package version from version.info (or npu-smi's banner).
    public var driverVersion: String?
    /// The driver release it belongs to (`24.1.rc2` for `24.1.rc2.2`); nil when the version
    /// is unknown or unreadable.
    public var driverRelease: String?
    /// The chip family the pairings were looked up for (`910B`, `310P`, `A3`, `310B`).
    public var chipFamily: String?
    /// NPUs seen.
    public var npus: Int
    /// The CANN versions the catalog pairs with or declares compatible with this driver,
    /// best first (the chosen one first).
    public var cann: [String]
    /// torch_npu releases for those CANN versions, newest first.
    public var torchNPU: [TorchNPUChoice]
    /// The CANN, torch and torch_npu to install; nil when none fits.
    public var choice: AscendChoice?
    /// The CANN versions and torch_npu releases that lost, each with the reason.
    public var runnersUp: [AscendCandidate]
    /// Sentences a person reads.
    public var explanation: [String]

    /// Creates the record.
    public init(
        driverVersion: String?,
        npus: Int,
        cann: [String] = [],
        torchNPU: [TorchNPUChoice] = [],
        explanation: [String] = [],
        driverRelease: String? = nil,
        chipFamily: String? = nil,
        choice: AscendChoice? = nil,
        runnersUp: [AscendCandidate] = []
    ) {
        self.driverVersion = driverVersion
        self.npus = npus
        self.cann = cann
        self.torchNPU = torchNPU
        self.explanation = explanation
        self.driverRelease = driverRelease
        self.chipFamily = chipFamily
        self.choice = choice
        self.runnersUp = runnersUp
    }

    enum CodingKeys: String, CodingKey {
        case driverVersion = "driver_version"
        case driverRelease = "driver_release"
        case chipFamily = "chip_family"
        case npus, cann
        case torchNPU = "torch_npu"
        case choice
        case runnersUp = "runners_up"
        case explanation
    }

    /// Reads a plan; plans written before the choice was added have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        driverVersion = try c.decodeIfPresent(String.self, forKey: .driverVersion)
        driverRelease = try c.decodeIfPresent(String.self, forKey: .driverRelease)
        chipFamily = try c.decodeIfPresent(String.self, forKey: .chipFamily)
        npus = try c.decode(Int.self, forKey: .npus)
        cann = try c.decode([String].self, forKey: .cann)
        torchNPU = try c.decode([TorchNPUChoice].self, forKey: .torchNPU)
        choice = try c.decodeIfPresent(AscendChoice.self, forKey: .choice)
        runnersUp = try c.decodeIfPresent([AscendCandidate].self, forKey: .runnersUp) ?? []
        explanation = try c.decode([String].self, forKey: .explanation)
    }
}

/// The CANN, torch and torch_npu chosen for an Ascend host.
public struct AscendChoice: Hashable, Sendable, Codable {
    /// What ties the CANN to the host's driver.
    public enum Pairing: String, Hashable, Sendable, Codable {
        /// Huawei's own table names this driver for this CANN (a release's pairing).
        case paired
        /// Huawei's compatibility matrix says this CANN runs on this driver.
        case compatible
        /// Only a downstream project's install guide pairs them.
        case secondary
        /// No source names this driver release; an older release of the same `X.Y` is
        /// paired with the CANN (newer drivers commonly run older CANN, but no table says so).
        case inferred
        /// `--cann` asked for it, and no source pairs it with this driver.
        case pinned
    }

    /// `8.1.RC1`.
    public var cann: String
    /// `2.5.1`.
    public var torch: String
    /// `2.5.1` (torch_npu's own version).
    public var torchNPU: String
    /// The CPython releases the torch_npu wheels support, when the catalog knows.
    public var python: PythonRange?
    /// What ties the CANN to the driver.
    public var pairing: Pairing
    /// True when Huawei's tables settle both the driver ↔ CANN and the torch_npu ↔ CANN pair.
    public var confirmed: Bool
    /// Catalog source keys for the driver ↔ CANN pairing and the torch_npu row.
    public var sources: [String]
    /// The pip requirements (`torch==2.5.1`, `torch-npu==2.5.1`, `pyyaml`, `setuptools<82`).
    public var packages: [String]
    /// The index pip needs beside PyPI: PyTorch's CPU index, where the `+cpu` torch that
    /// x86_64 torch_npu wheels require lives.
    public var extraIndexURL: String
    /// `pip install` with the packages and the extra index.
    public var installCommand: String

    /// Creates the record; `packages` and `installCommand` follow from torch and torch_npu.
    public init(
        cann: String,
        torch: String,
        torchNPU: String,
        python: PythonRange?,
        pairing: Pairing,
        confirmed: Bool,
        sources: [String]
    ) {
        self.cann = cann
        self.torch = torch
        self.torchNPU = torchNPU
        self.python = python
        self.pairing = pairing
        self.confirmed = confirmed
        self.sources = sources
        // Catalog-validated versions (digits, dots, postN/rcN): safe in a shell line.
        // pyyaml and setuptools: torch_npu's README (the long description of its wheels on
        // PyPI) has them installed before torch_npu; its wheels up to 2.13 do not declare
        // them. setuptools below 82: 82.0.0 (2026-02-08) is the first whose wheel has no
        // pkg_resources, which torch_npu's torchair (`torch.compile` on the NPU) imports.
        // The CPU index as an extra index: x86_64 torch_npu wheels up to 2.11 require
        // `torch==X+cpu` (their METADATA's Requires-Dist), which only it has, so pip cannot
        // resolve them from PyPI alone. It changes nothing where PyPI's torch already fits
        // (aarch64, torch_npu 2.12 and later): pip takes the highest version across indexes,
        // and what the CPU index adds is the CPU build, the one torch_npu wants.
        packages = ["torch==\(torch)", "torch-npu==\(torchNPU)", "pyyaml", "setuptools<82"]
        extraIndexURL = TorchNPUWheel.cpuIndexURL
        installCommand = (["pip", "install"] + packages + ["--extra-index-url", extraIndexURL])
            .map(ShellWord.quote).joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case cann, torch
        case torchNPU = "torch_npu"
        case python, pairing, confirmed, sources, packages
        case extraIndexURL = "extra_index_url"
        case installCommand = "install_command"
    }

    /// Reads a choice; plans written before the extra index was added have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cann = try c.decode(String.self, forKey: .cann)
        torch = try c.decode(String.self, forKey: .torch)
        torchNPU = try c.decode(String.self, forKey: .torchNPU)
        python = try c.decodeIfPresent(PythonRange.self, forKey: .python)
        pairing = try c.decode(Pairing.self, forKey: .pairing)
        confirmed = try c.decode(Bool.self, forKey: .confirmed)
        sources = try c.decode([String].self, forKey: .sources)
        packages = try c.decode([String].self, forKey: .packages)
        extraIndexURL =
            try c.decodeIfPresent(String.self, forKey: .extraIndexURL) ?? TorchNPUWheel.cpuIndexURL
        installCommand = try c.decode(String.self, forKey: .installCommand)
    }
}

/// A CANN version or torch_npu release that lost, and why.
public struct AscendCandidate: Hashable, Sendable, Codable {
    /// `9.1.1`.
    public var cann: String
    /// The torch_npu release, or nil when the reason is about the CANN itself.
    public var torchNPU: String?
    /// Its torch, with ``torchNPU``.
    public var torch: String?
    /// Why it lost.
    public var reason: String

    /// Creates the record.
    public init(cann: String, torchNPU: String? = nil, torch: String? = nil, reason: String) {
        self.cann = cann
        self.torchNPU = torchNPU
        self.torch = torch
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case cann
        case torchNPU = "torch_npu"
        case torch, reason
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
