/// The driver branches that serve one GPU: NVIDIA's per-device lists first, then the catalog's
/// range for the GPU's architecture.
///
/// The lists decide where they speak: a `legacybranch` mark is the device's last branch (GRID
/// K2 ends at 367 although Kepler ends at 470), and a list that serves the device overrules an
/// architecture range that would exclude that list's branch. A list that leaves the device out
/// decides nothing, so the lists never raise a first branch.
struct GPUBranches: Hashable, Sendable {
    /// What NVIDIA's lists say about the device, when any list names it.
    var device: NvidiaDeviceBranch?
    /// The first branch that serves the GPU, when known.
    var firstBranch: Int?
    /// The last branch that serves the GPU; nil while current branches do.
    var lastBranch: Int?
    /// Whether a source settles ``firstBranch`` / ``lastBranch`` (the lists always do).
    var firstConfirmed = false
    var lastConfirmed = false

    /// True when the last branch comes from a `legacybranch` mark on the device.
    var lastFromDevice: Bool { device?.lastBranch != nil && device?.lastBranch == lastBranch }

    /// Both numbers settled, for the plan's `confirmed`.
    var confirmed: Bool {
        (firstBranch == nil || firstConfirmed) && (lastBranch == nil || lastConfirmed)
    }

    init(_ gpu: MatchHost.GPU, _ catalog: TorchCatalog) {
        let range = catalog.branches(for: gpu.architecture)
        let device = NvidiaDeviceBranches.lookup(gpu.deviceID)
        self.device = device
        let newestServing = device?.lastListed.flatMap(NvidiaDeviceBranches.branchNumber)
        if let last = device?.lastBranch {
            lastBranch = last
            lastConfirmed = true
        } else if let last = range?.lastBranch, newestServing.map({ $0 <= last }) ?? true {
            lastBranch = last
            lastConfirmed = range?.confirmed ?? false
        }
        if let first = range?.firstBranch, device?.listedBranch.map({ $0 >= first }) ?? true {
            firstBranch = first
            firstConfirmed = range?.confirmed ?? false
        }
    }

    /// The package Debian's nvidia-detect recommends for this GPU, when Debian has one.
    ///
    /// Only for a device one of NVIDIA's lists names: with a last branch, that branch's
    /// package (``NvidiaDeviceBranches/debianPackage(lastBranch:)``: a Kepler GT 640, which
    /// ends at 470 without a `legacybranch` mark, gets `nvidia-tesla-470-driver`), else
    /// `nvidia-driver` when a list, each from a Debian driver package, serves it. A GPU no
    /// list names (an RTX 5090, newer than 555) may need a newer driver than Debian's.
    var debianPackage: String? {
        guard let device else { return nil }
        if let last = lastBranch { return NvidiaDeviceBranches.debianPackage(lastBranch: last) }
        return device.firstListed != nil ? "nvidia-driver" : nil
    }
}
