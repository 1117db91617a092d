/// The driver part of a plan: which `.run` goes into the image, and why every other one
/// does not.
public struct DriverPlan: Hashable, Sendable, Codable {
    /// How the choice turned out.
    public enum Status: String, Hashable, Sendable, Codable {
        /// An installer equal to the host kernel module: userspace and kernel agree.
        case exact
        /// The highest installer below the host kernel module: NVML will refuse to start
        /// until the exact version replaces it.
        case mismatch
        /// No installer in the folder fits; the download address of the exact one is given.
        case none
        /// The host has NVIDIA GPUs but no driver loaded, so there is nothing to match.
        case hostDriverMissing = "host_driver_missing"
        /// The report shows NVIDIA software but neither GPUs nor a driver version (a broken
        /// driver, a report without PCI data); its diagnostics say why.
        case hostUnknown = "host_unknown"
        /// No driver belongs in the image: the host has no NVIDIA GPU, or its GPUs run under
        /// the Windows driver, which WSL 2 lends to containers.
        case notNeeded = "not_needed"
    }

    /// How the choice turned out.
    public var status: Status
    /// The version the image must carry (the host kernel module's).
    public var hostVersion: String?
    /// The chosen installer's file name.
    public var chosen: String?
    /// The chosen installer's version.
    public var chosenVersion: String?
    /// Where NVIDIA publishes the exact version, when the folder lacks it.
    public var downloadURLs: [String]
    /// Sentences a person reads: the decision and its consequence.
    public var explanation: [String]
    /// Every installer in the folder, chosen or rejected, with its reasons.
    public var installers: [InstallerVerdict]
    /// For hosts without a driver: the branches that serve each GPU.
    public var branchAdvice: [BranchAdvice]

    /// Creates the record.
    public init(
        status: Status,
        hostVersion: String? = nil,
        chosen: String? = nil,
        chosenVersion: String? = nil,
        downloadURLs: [String] = [],
        explanation: [String] = [],
        installers: [InstallerVerdict] = [],
        branchAdvice: [BranchAdvice] = []
    ) {
        self.status = status
        self.hostVersion = hostVersion
        self.chosen = chosen
        self.chosenVersion = chosenVersion
        self.downloadURLs = downloadURLs
        self.explanation = explanation
        self.installers = installers
        self.branchAdvice = branchAdvice
    }

    enum CodingKeys: String, CodingKey {
        case status
        case hostVersion = "host_version"
        case chosen
        case chosenVersion = "chosen_version"
        case downloadURLs = "download_urls"
        case explanation, installers
        case branchAdvice = "branch_advice"
    }
}

/// One installer file and what the matcher made of it.
public struct InstallerVerdict: Hashable, Sendable, Codable {
    /// The file name.
    public var fileName: String
    /// `version_string`, when read.
    public var version: String?
    /// `TARGET_ARCH`, when read.
    public var architecture: String?
    /// The name's variant suffix.
    public var variant: String?
    /// SHA-256 of the file.
    public var sha256: String?
    /// True for the one that goes into the image.
    public var chosen: Bool
    /// Why it was chosen or rejected, one sentence each.
    public var reasons: [String]

    /// Creates the record.
    public init(_ installer: DriverInstaller, chosen: Bool = false, reasons: [String] = []) {
        fileName = installer.fileName
        version = installer.version
        architecture = installer.architecture
        variant = installer.variant
        sha256 = installer.sha256
        self.chosen = chosen
        self.reasons = reasons
    }

    enum CodingKeys: String, CodingKey {
        case fileName = "file_name"
        case version, architecture, variant, sha256, chosen, reasons
    }
}

/// The driver branches that serve one GPU, for a host that has none installed.
public struct BranchAdvice: Hashable, Sendable, Codable {
    /// The GPU, as `name (address)`.
    public var gpu: String
    /// Its architecture, when known.
    public var architecture: String?
    /// The first branch that supports it, when known.
    public var firstBranch: Int?
    /// The last branch that supports it; nil while current branches do.
    public var lastBranch: Int?
    /// False when the catalog marks these numbers unconfirmed.
    public var confirmed: Bool
    /// `legacybranch` (`470.xx`) when NVIDIA's supported-gpus.json marks the device: that
    /// branch is the last that serves it, and ``lastBranch`` is its number.
    public var legacyBranch: String?
    /// The oldest of NVIDIA's lists read (450.248.02 to 555.58.02) that serves the device;
    /// `450.248.02`, the oldest, means "450 or earlier".
    public var firstListed: String?
    /// The Debian package that installs a driver serving it (`nvidia-driver`,
    /// `nvidia-tesla-470-driver`), as Debian's nvidia-detect would name it; nil when no
    /// supported Debian release packages one.
    public var debianPackage: String?

    /// Creates the record.
    public init(
        gpu: String,
        architecture: String?,
        firstBranch: Int?,
        lastBranch: Int?,
        confirmed: Bool,
        legacyBranch: String? = nil,
        firstListed: String? = nil,
        debianPackage: String? = nil
    ) {
        self.gpu = gpu
        self.architecture = architecture
        self.firstBranch = firstBranch
        self.lastBranch = lastBranch
        self.confirmed = confirmed
        self.legacyBranch = legacyBranch
        self.firstListed = firstListed
        self.debianPackage = debianPackage
    }

    enum CodingKeys: String, CodingKey {
        case gpu, architecture
        case firstBranch = "first_branch"
        case lastBranch = "last_branch"
        case confirmed
        case legacyBranch = "legacy_branch"
        case firstListed = "first_listed"
        case debianPackage = "debian_package"
    }

    /// Reads a record; the device keys are optional, as plans written before them lack them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gpu = try c.decode(String.self, forKey: .gpu)
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture)
        firstBranch = try c.decodeIfPresent(Int.self, forKey: .firstBranch)
        lastBranch = try c.decodeIfPresent(Int.self, forKey: .lastBranch)
        confirmed = try c.decode(Bool.self, forKey: .confirmed)
        legacyBranch = try c.decodeIfPresent(String.self, forKey: .legacyBranch)
        firstListed = try c.decodeIfPresent(String.self, forKey: .firstListed)
        debianPackage = try c.decodeIfPresent(String.self, forKey: .debianPackage)
    }
}
