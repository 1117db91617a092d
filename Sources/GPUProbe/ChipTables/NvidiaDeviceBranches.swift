/// What NVIDIA's own `supported-gpus.json` lists say about one PCI device ID.
///
/// Read from the lists of drivers 450.248.02 to 555.58.02 (NVIDIA's files, as Debian's driver
/// packages ship them). A list that names the device without `legacybranch` says that driver
/// serves it; one that names it with `legacybranch: "470.xx"` says that driver does not and the
/// 470 branch is the last that does. A list that leaves the device out says nothing: from R525
/// on NVIDIA leaves Tesla T4, V100-SXM2-16GB, A100-PCIE-40GB and P4 out although those drivers
/// run them.
public struct NvidiaDeviceBranch: Hashable, Sendable {
    /// PCI device ID.
    public var deviceID: UInt16
    /// The oldest list that names the device without `legacybranch` (`450.248.02`).
    ///
    /// Nil when none does. The oldest list read is 450.248.02, so that value means "450 or
    /// earlier".
    public var firstListed: String?
    /// The newest list that names the device without `legacybranch`.
    public var lastListed: String?
    /// `legacybranch` in the newest list that marks the device (`470.xx`, `340.xx`).
    public var legacyBranch: String?
    /// The oldest list that marks the device with ``legacyBranch``.
    public var legacySince: String?

    /// Creates a record.
    public init(
        deviceID: UInt16,
        firstListed: String? = nil,
        lastListed: String? = nil,
        legacyBranch: String? = nil,
        legacySince: String? = nil
    ) {
        self.deviceID = deviceID
        self.firstListed = firstListed
        self.lastListed = lastListed
        self.legacyBranch = legacyBranch
        self.legacySince = legacySince
    }

    /// The last branch that serves the device (`470` for `470.xx`, `173` for `173.14.xx`),
    /// when a list marks it legacy.
    public var lastBranch: Int? {
        legacyBranch.flatMap(NvidiaDeviceBranches.branchNumber)
    }

    /// The Debian package of the legacy branch that serves the device
    /// (``NvidiaDeviceBranches/debianPackage(lastBranch:)``); nil when no list marks it legacy.
    public var legacyDebianPackage: String? {
        lastBranch.flatMap(NvidiaDeviceBranches.debianPackage(lastBranch:))
    }

    /// The branch of ``firstListed`` (`450`): a branch that serves the device.
    ///
    /// It is not the first that does, since an older list may leave it out (or be one we lack).
    public var listedBranch: Int? {
        firstListed.flatMap(NvidiaDeviceBranches.branchNumber)
    }

    /// True when the oldest list read already serves the device: its first branch is that
    /// list's or earlier, and the lists cannot say which.
    public var listedInOldest: Bool {
        firstListed != nil && firstListed == NvidiaDeviceBranches.lists.first
    }
}

/// The per-device facts of `data/nvidia_device_branches.tsv`, compiled in.
///
/// Every device ID any list names has a row (1,128 IDs, about 26 KB of text): rows only
/// where a device differs from its architecture would tie this table to the catalog's
/// `architecture_branches`, which `match --catalog` can replace, and most legacy chips
/// (Tesla and Fermi architectures) have no architecture in gpuprobe's chip table at all.
public enum NvidiaDeviceBranches {
    /// The facts for one device ID, or nil when no list names it.
    public static func lookup(_ deviceID: UInt16?) -> NvidiaDeviceBranch? {
        deviceID.flatMap { table.devices[$0] }
    }

    /// The versions of the lists read, oldest first.
    public static var lists: [String] { table.lists }

    /// The Debian package that installs a driver of a GPU whose last branch is `lastBranch`,
    /// as Debian's nvidia-detect names it; nil when no supported Debian release has one.
    ///
    /// Debian 12 packages the 470 branch as `nvidia-tesla-470-driver` and Debian 11 the 390
    /// branch as `nvidia-legacy-390xx-driver` (packages.debian.org, nvidia-detect of bookworm
    /// and bullseye); 367, 340 and older are packaged by no supported release. A GPU served
    /// up to 535 or later takes `nvidia-driver`, which is 535.261.03 in Debian 12.
    public static func debianPackage(lastBranch: Int) -> String? {
        switch lastBranch {
        case 535...: "nvidia-driver"
        case 470: "nvidia-tesla-470-driver"
        case 390: "nvidia-legacy-390xx-driver"
        default: nil
        }
    }

    /// The branch number of a version or of a `legacybranch` value: `470` for `470.xx` and
    /// `470.256.02`, `173` for `173.14.xx`.
    static func branchNumber(_ text: String) -> Int? {
        guard let head = text.split(separator: ".").first, !head.isEmpty, head.count <= 4,
            head.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int(head)
    }

    /// The embedded table, read once.
    static let table: (lists: [String], devices: [UInt16: NvidiaDeviceBranch]) = {
        // The text is generated and checked by DeviceBranchTests; a bad line is a build bug.
        guard let parsed = parse(embeddedText) else {
            preconditionFailure(
                "NvidiaDeviceBranchesData.swift is malformed: rerun scripts/derive-device-branches"
            )
        }
        return parsed
    }()

    /// Reads the compact form.
    ///
    /// `L <tab> version` lines (the lists, numbered from 0), then
    /// `hex <tab> first <tab> last <tab> legacy branch <tab> legacy since`, lists by number,
    /// absent values empty. Leading blanks are ignored.
    ///
    /// - Returns: the lists and the rows by device ID; nil when a line is malformed.
    static func parse(_ text: String) -> (lists: [String], devices: [UInt16: NvidiaDeviceBranch])? {
        var lists: [String] = []
        var devices: [UInt16: NvidiaDeviceBranch] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.drop { $0 == " " }
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(
                String.init
            )
            if fields.first == "L" {
                guard fields.count == 2, devices.isEmpty else { return nil }
                lists.append(fields[1])
                continue
            }
            guard fields.count == 5, let id = UInt16(fields[0], radix: 16) else { return nil }
            func list(_ field: String) -> String?? {
                if field.isEmpty { return .some(nil) }
                guard let index = Int(field), lists.indices.contains(index) else { return nil }
                return .some(lists[index])
            }
            guard let first = list(fields[1]), let last = list(fields[2]),
                let since = list(fields[4]), devices[id] == nil
            else { return nil }
            devices[id] = NvidiaDeviceBranch(
                deviceID: id,
                firstListed: first,
                lastListed: last,
                legacyBranch: fields[3].isEmpty ? nil : fields[3],
                legacySince: since
            )
        }
        return lists.isEmpty ? nil : (lists, devices)
    }
}
