/// What `gpuprobe match` decided for one host: the driver installer, the PyTorch wheels,
/// the Ascend pairing, and the reason for every choice and rejection (`gpuprobe/plan/v1`).
///
/// Like the host report it is a public contract: keys are snake_case, sorted, and absent
/// values are written as null rather than left out.
public struct Plan: Hashable, Sendable, Codable {
    /// The schema this build writes.
    public static let currentSchema = "gpuprobe/plan/v1"

    /// Always ``currentSchema``.
    public var schema: String = Plan.currentSchema
    /// The gpuprobe version that made the plan.
    public var gpuprobeVersion: String
    /// What the plan was made from.
    public var inputs: PlanInputs
    /// The host facts the decisions used.
    public var host: PlanHost
    /// The NVIDIA userspace driver installer.
    public var driver: DriverPlan
    /// The PyTorch wheels.
    public var torch: TorchPlan
    /// The Ascend pairing; nil on hosts without Ascend NPUs.
    public var ascend: AscendPlan?
    /// True when every part the host needs has a choice (the exit status is 0).
    public var complete: Bool

    enum CodingKeys: String, CodingKey {
        case schema
        case gpuprobeVersion = "gpuprobe_version"
        case inputs, host, driver, torch, ascend, complete
    }
}

/// Where the plan's inputs came from.
public struct PlanInputs: Hashable, Sendable, Codable {
    /// `live`, `stdin`, or the host JSON's path.
    public var host: String
    /// The drivers folder read.
    public var drivers: String
    /// `embedded` or the catalog file's path.
    public var catalog: String
    /// The catalog's `updated` date.
    public var catalogUpdated: String
    /// `--python`, when given.
    public var python: String?
    /// `--torch`, when given.
    public var torch: String?
    /// `--pip-index-url`, when given.
    public var pipIndexURL: String?
    /// `--cann`, when given; added within v1, so plans of earlier versions lack it.
    public var cann: String?

    /// Creates the record.
    public init(
        host: String,
        drivers: String,
        catalog: String,
        catalogUpdated: String,
        python: String? = nil,
        torch: String? = nil,
        pipIndexURL: String? = nil,
        cann: String? = nil
    ) {
        self.host = host
        self.drivers = drivers
        self.catalog = catalog
        self.catalogUpdated = catalogUpdated
        self.python = python
        self.torch = torch
        self.pipIndexURL = pipIndexURL
        self.cann = cann
    }

    enum CodingKeys: String, CodingKey {
        case host, drivers, catalog
        case catalogUpdated = "catalog_updated"
        case python, torch
        case pipIndexURL = "pip_index_url"
        case cann
    }
}

/// The host facts a plan used.
public struct PlanHost: Hashable, Sendable, Codable {
    /// `uname -m`.
    public var machine: String?
    /// The loaded kernel module's version.
    public var kernelModuleVersion: String?
    /// nvidia-smi's driver version.
    public var driverVersion: String?
    /// The CUDA version the driver supports natively.
    public var cudaVersion: String?
    /// NVIDIA GPUs.
    public var gpus: [PlanGPU]
    /// Ascend NPUs seen.
    public var ascendNPUs: Int
    /// The Ascend driver package version.
    public var ascendDriverVersion: String?

    /// Copies the matcher's host facts.
    public init(_ host: MatchHost) {
        machine = host.machine
        kernelModuleVersion = host.kernelModuleVersion?.text
        driverVersion = host.driverVersion?.text
        cudaVersion = host.cudaVersion?.description
        gpus = host.gpus.map(PlanGPU.init)
        ascendNPUs = host.ascendNPUCount
        ascendDriverVersion = host.ascendDriverVersion
    }

    enum CodingKeys: String, CodingKey {
        case machine
        case kernelModuleVersion = "kernel_module_version"
        case driverVersion = "driver_version"
        case cudaVersion = "cuda_version"
        case gpus
        case ascendNPUs = "ascend_npus"
        case ascendDriverVersion = "ascend_driver_version"
    }
}

/// One GPU as the plan names it.
public struct PlanGPU: Hashable, Sendable, Codable {
    /// PCI address.
    public var address: String?
    /// Name.
    public var name: String
    /// PCI device ID, four lower-case hex digits.
    public var deviceID: String?
    /// Architecture.
    public var architecture: String?
    /// Compute capability.
    public var computeCapability: String?

    /// Copies one GPU.
    public init(_ gpu: MatchHost.GPU) {
        address = gpu.address?.description
        name = gpu.name
        deviceID = gpu.deviceID.map { hex($0, width: 4) }
        architecture = gpu.architecture
        computeCapability = gpu.computeCapability?.description
    }

    enum CodingKeys: String, CodingKey {
        case address, name
        case deviceID = "device_id"
        case architecture
        case computeCapability = "compute_capability"
    }
}
