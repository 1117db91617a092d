/// The PyTorch facts the matcher decides from: releases with their torchvision and torchaudio,
/// Python ranges, and per variant the CUDA version and the GPU architectures compiled in.
///
/// It is data, not code: the repository's copy is `catalog/pytorch.json` (embedded in the
/// binary), and `gpuprobe match --catalog FILE` replaces it without a rebuild. Every entry names
/// its sources; `confirmed: false` marks what no source settled.
public struct TorchCatalog: Hashable, Sendable, Codable {
    /// The schema this build reads.
    public static let currentSchema = "gpuprobe/torch-catalog/v1"

    /// Always ``currentSchema``.
    public var schema: String
    /// The day the facts were last checked (`2026-11-23`).
    public var updated: String
    /// Source key → citation (repository, file, issue or URL), referenced by entries.
    public var sources: [String: String]
    /// Minor-version compatibility floors per CUDA major.
    public var cudaFamilies: [CUDAFamily]
    /// The CUDA version each driver branch supports natively (what nvidia-smi prints), for
    /// hosts whose report lacks it.
    public var driverBranches: [DriverBranchCUDA]
    /// Which driver branches serve which GPU architecture (legacy cut-offs, first branches).
    public var architectureBranches: [ArchitectureBranches]
    /// Release lines, any order.
    public var releases: [TorchReleaseLine]
    /// Ascend: torch_npu releases with the torch and CANN they pair with.
    public var torchNPU: [TorchNPURelease]
    /// Ascend: which CANN generations a driver package generation serves.
    public var ascendDrivers: [AscendDriverGeneration]
    /// Packages whose releases pin one torch exactly (vLLM, xformers); nil when the file has
    /// none (the field is optional within v1).
    public var torchPins: [TorchPins]?

    enum CodingKeys: String, CodingKey {
        case schema, updated, sources
        case cudaFamilies = "cuda_families"
        case driverBranches = "driver_branches"
        case architectureBranches = "architecture_branches"
        case releases
        case torchNPU = "torch_npu"
        case ascendDrivers = "ascend_drivers"
        case torchPins = "torch_pins"
    }
}

/// A package whose releases each pin one torch (`Requires-Dist: torch==2.4.0` in vLLM 0.6.3's
/// wheel): installing the package installs that torch.
public struct TorchPins: Hashable, Sendable, Codable {
    /// The PEP 503 normalized name (`vllm`).
    public var package: String
    /// Package version → the torch patch it pins (`0.6.3` → `2.4.0`).
    public var versions: [String: String]
    /// False when the pins are not read from the wheels themselves.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]
}

/// A CUDA major family and the lowest driver that runs any toolkit of it (minor-version
/// compatibility): 11 → 450.80.02, 12 → 525.60.13, 13 → 580.
public struct CUDAFamily: Hashable, Sendable, Codable {
    /// The CUDA major version.
    public var major: Int
    /// The lowest Linux driver.
    public var minDriver: String
    /// Source keys.
    public var sources: [String]

    enum CodingKeys: String, CodingKey {
        case major
        case minDriver = "min_driver"
        case sources
    }
}

/// A driver branch and the CUDA version it supports natively.
public struct DriverBranchCUDA: Hashable, Sendable, Codable {
    /// The branch (`570`).
    public var branch: Int
    /// The CUDA version nvidia-smi prints for it (`12.8`).
    public var cuda: String
    /// True when seen in real nvidia-smi output; false when derived from the toolkit table.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]
}

/// The driver branches that serve one GPU architecture.
public struct ArchitectureBranches: Hashable, Sendable, Codable {
    /// The architecture, as the host report names it (`Pascal`).
    public var architecture: String
    /// The first branch that supports it, when known.
    public var firstBranch: Int?
    /// The last branch that supports it (legacy cut-off), nil while current.
    public var lastBranch: Int?
    /// False where the branch numbers are not settled by a source.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]

    enum CodingKeys: String, CodingKey {
        case architecture
        case firstBranch = "first_branch"
        case lastBranch = "last_branch"
        case confirmed, sources
    }
}

/// One torch minor release line (`2.7`) with its patches and wheel variants.
public struct TorchReleaseLine: Hashable, Sendable, Codable {
    /// `2.7`.
    public var minor: String
    /// Supported CPython versions, inclusive (`3.9` … `3.13`); nil when not known.
    public var python: PythonRange?
    /// Patch releases with the torchvision and torchaudio that go with each.
    public var patches: [TorchPatch]
    /// Wheel variants on download.pytorch.org.
    public var variants: [TorchVariant]
    /// False when the line itself is not settled (announced, not confirmed).
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]
    /// Anything a reader must know (`last release with cu118`).
    public var note: String?
    /// The variant a plain `pip install torch` gets from PyPI on Linux x86_64; nil when not
    /// recorded.
    public var pypiDefault: PyPIDefault?

    enum CodingKeys: String, CodingKey {
        case minor, python, patches, variants, confirmed, sources, note
        case pypiDefault = "pypi_default"
    }
}

/// Which variant PyPI's own torch wheel is: `pip install torch` with no index gets it.
public struct PyPIDefault: Hashable, Sendable, Codable {
    /// One of the release line's variants (`cu124`).
    public var variant: String
    /// False when only inferred (no release note or wheel metadata says it).
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]
    /// PyPI's own wheel per machine, read from the wheels; nil when not recorded.
    ///
    /// Optional within v1. Its GPU code can differ from the index build of the same variant:
    /// PyPI's CUDA 13 wheels carry no PTX.
    public var builds: [String: PyPIBuild]?
}

/// PyPI's torch wheel for one machine: which variant it is and the GPU code compiled in.
public struct PyPIBuild: Hashable, Sendable, Codable {
    /// `cu130`, or `cpu` where PyPI's wheel for the machine has no CUDA (aarch64 up to 2.10).
    public var variant: String
    /// Compute capabilities with SASS.
    public var sass: [String]
    /// Compute capabilities with PTX.
    public var ptx: [String]

    /// The kernel targets, as a variant's builds give them.
    public var targets: KernelTargets { KernelTargets(sass: sass, ptx: ptx) }
}

/// An inclusive range of CPython minor versions.
public struct PythonRange: Hashable, Sendable, Codable {
    /// Lowest supported (`3.9`).
    public var min: String
    /// Highest supported (`3.13`).
    public var max: String
}

/// One patch release and its companions.
public struct TorchPatch: Hashable, Sendable, Codable {
    /// `2.7.1`.
    public var torch: String
    /// `0.22.1`; nil when none is published (or the pairing is not known).
    public var torchvision: String?
    /// `2.7.1`; nil when none goes with it.
    public var torchaudio: String?
    /// Python releases inside the line's range that pip refuses the pairing on; nil when none.
    ///
    /// torchvision 0.26.0 to 0.29.2 declare `Requires-Python: !=3.14.1`. Optional within v1.
    /// Whole releases only (`3.14.1`): the range already covers minor versions.
    public var excludedPython: [String]?
    /// False when the pairing is not confirmed by a source.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]

    enum CodingKeys: String, CodingKey {
        case torch, torchvision, torchaudio
        case excludedPython = "excluded_python"
        case confirmed, sources
    }
}

/// One wheel variant (`cu128`, `cpu`, `rocm6.3`) of a release line.
public struct TorchVariant: Hashable, Sendable, Codable {
    /// The index name: `https://download.pytorch.org/whl/<name>`.
    public var name: String
    /// The CUDA version it was built with (`12.8`); nil for cpu and ROCm.
    public var cuda: String?
    /// Kernels per machine architecture (`x86_64`, `aarch64`); a missing machine means no
    /// wheels (or no known arch list) for it.
    public var builds: [String: KernelTargets]
    /// Listed on pytorch.org's install matrix; false for wheels that exist but are not
    /// advertised (cu129 for 2.12.1).
    public var advertised: Bool
    /// Whether a torchaudio wheel is on this index for the line (none on cu132 for 2.12–2.14).
    public var torchaudio: Bool
    /// Only these patches have the variant; nil means all of the line's patches.
    public var patches: [String]?
    /// False when the variant's existence or arch list is not settled.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]
}

/// The GPU code compiled into a wheel: SASS per compute capability, plus PTX.
public struct KernelTargets: Hashable, Sendable, Codable {
    /// Compute capabilities with SASS (`["7.5", "8.0", "12.0"]`).
    public var sass: [String]
    /// Compute capabilities with PTX (`["12.0"]`), JIT-compiled for newer GPUs.
    public var ptx: [String]
}

/// One torch_npu release.
public struct TorchNPURelease: Hashable, Sendable, Codable {
    /// `2.9.0.post6`.
    public var torchNPU: String
    /// The torch it pairs with (`2.9.0`).
    public var torch: String
    /// The CANN version it was released for (`9.1.0`, `8.0.RC2`).
    public var cann: String
    /// The Ascend Extension release (`26.1.0`), when known.
    public var ascendExtension: String?
    /// The CPython releases its wheels support, when a source gives them (optional within v1).
    public var python: PythonRange?
    /// Its Linux wheels on PyPI per machine (`x86_64`, `aarch64`), as their METADATA declares
    /// them; empty when PyPI has none (1.11.x, 2.0.1, 2.1.0.post4); nil when not read (optional
    /// within v1).
    public var wheels: [String: TorchNPUWheel]?
    /// False when the pairing is not confirmed.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]

    enum CodingKeys: String, CodingKey {
        case torchNPU = "torch_npu"
        case torch, cann
        case ascendExtension = "ascend_extension"
        case python, wheels, confirmed, sources
    }

    /// Whether PyPI has a Linux wheel of it; nil when not known.
    public var onPyPI: Bool? { wheels.map { !$0.isEmpty } }

    /// The torch its PyPI wheel for `machine` requires (`==2.5.1+cpu`); nil when the wheel
    /// declares none or is not known.
    public func torchRequirement(machine: String) -> String? {
        wheels?[machine]?.torch
    }

    /// Whether the wheel for `machine` requires a torch build PyPI does not have: a local
    /// version (`==2.5.1+cpu`, which only `https://download.pytorch.org/whl/cpu` serves).
    public func requiresIndexBuild(machine: String) -> Bool {
        torchRequirement(machine: machine)?.contains("+" as Character) ?? false
    }
}

/// What one torch_npu wheel on PyPI declares (`Requires-Dist` in its `*.dist-info/METADATA`).
///
/// The x86_64 wheels of torch_npu 2.1.0.post6 to 2.11.0.post2 require `torch==X+cpu`, a build
/// that exists only on `https://download.pytorch.org/whl/cpu`; their aarch64 wheels, and both from
/// 2.12.0, require plain `torch==X`.
public struct TorchNPUWheel: Hashable, Sendable, Codable {
    /// PyTorch's CPU index, the one home of the `+cpu` builds these wheels may require.
    public static let cpuIndexURL = "https://download.pytorch.org/whl/cpu"

    /// The torch specifier (`==2.5.1+cpu`, `==2.12.0`, `==2.14.0.*`); nil when the wheel
    /// declares no torch requirement (2.1.0, 2.2.0).
    public var torch: String?
    /// Its other unconditional requirements (`numpy`, `pyyaml`), when it has any.
    public var requires: [String]?
    /// Its extras and what each adds (`pyyaml` → `["pyyaml"]`), when it declares any.
    public var extras: [String: [String]]?
}

/// An Ascend driver (HDK) release, or a family of releases, and the CANN versions a source
/// pairs with it or declares compatible with it.
public struct AscendDriverGeneration: Hashable, Sendable, Codable {
    /// How a source relates the driver and the CANN versions.
    public enum Relation: String, Hashable, Sendable, Codable {
        /// The source names this driver for that CANN (a release's own pairing, the driver an
        /// install guide downloads with it): a tested pair, not a minimum.
        case paired
        /// A compatibility matrix says that CANN runs on this driver.
        case compatible
    }

    /// The driver release as version.info writes it, lower case (`24.1.rc2`, `25.5.1`), or a
    /// family `X.Y` (`25.5`): Ascend's `25.5.X`, every numbered release of 25.5 but not its
    /// release candidates, which the sources name one by one (`26.0.RC1`).
    public var driverPrefix: String
    /// The chip families the source gives it for (`910B`, `310P`, `A3`, `310B`); nil when the
    /// source names no product (optional within v1).
    public var chips: [String]?
    /// Paired or declared compatible; nil reads as paired (optional within v1).
    public var relation: Relation?
    /// CANN versions, newest first.
    public var cann: [String]
    /// True when Huawei's own table (CANN release notes, Ascend's quick-install data) says
    /// it; false for a downstream project's install guide or a withdrawn revision.
    public var confirmed: Bool
    /// Source keys.
    public var sources: [String]
    /// What a reader should know (the firmware, a beta left out); optional within v1.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case driverPrefix = "driver_prefix"
        case chips, relation, cann, confirmed, sources, note
    }
}
