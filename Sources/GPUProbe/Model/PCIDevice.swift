/// One PCI function as libpci (or a pasted lspci) describes it.
///
/// IDs are lower-case hex strings as lspci prints them (`10de`, `0302`). A field is nil only
/// when the source cannot know it: plain `lspci` prints no IDs, and sysfs has no NUMA node on
/// single-node machines (pciutils `show_machine` prints these fields only when known).
public struct PCIDevice: Hashable, Sendable, Codable {
    /// Bus address, `dddd:bb:dd.f`.
    public var address: PCIAddress
    /// Vendor ID, 4 hex digits.
    public var vendorID: String?
    /// Device ID, 4 hex digits.
    public var deviceID: String?
    /// Subsystem vendor ID, 4 hex digits.
    public var subsystemVendorID: String?
    /// Subsystem device ID, 4 hex digits.
    public var subsystemDeviceID: String?
    /// Class and subclass, 4 hex digits (`0300` VGA, `0302` 3D controller, `1200` accelerator).
    public var classCode: String?
    /// Class name from pci.ids (`3D controller`).
    public var className: String?
    /// Revision, 2 hex digits.
    public var revision: String?
    /// Vendor name from pci.ids, or nil when pci.ids does not know the vendor.
    public var vendorName: String?
    /// Device name from pci.ids, or nil when pci.ids does not know the device.
    public var deviceName: String?
    /// The kernel driver bound to the device (`nvidia`, `nouveau`, `vfio-pci`).
    public var kernelDriver: String?
    /// NUMA node, where the kernel reports one.
    public var numaNode: Int?

    /// Creates a device record; everything but the address may be unknown.
    public init(
        address: PCIAddress,
        vendorID: String? = nil,
        deviceID: String? = nil,
        subsystemVendorID: String? = nil,
        subsystemDeviceID: String? = nil,
        classCode: String? = nil,
        className: String? = nil,
        revision: String? = nil,
        vendorName: String? = nil,
        deviceName: String? = nil,
        kernelDriver: String? = nil,
        numaNode: Int? = nil
    ) {
        self.address = address
        self.vendorID = vendorID
        self.deviceID = deviceID
        self.subsystemVendorID = subsystemVendorID
        self.subsystemDeviceID = subsystemDeviceID
        self.classCode = classCode
        self.className = className
        self.revision = revision
        self.vendorName = vendorName
        self.deviceName = deviceName
        self.kernelDriver = kernelDriver
        self.numaNode = numaNode
    }

    enum CodingKeys: String, CodingKey {
        case address
        case vendorID = "vendor_id"
        case deviceID = "device_id"
        case subsystemVendorID = "subsystem_vendor_id"
        case subsystemDeviceID = "subsystem_device_id"
        case classCode = "class"
        case className = "class_name"
        case revision
        case vendorName = "vendor_name"
        case deviceName = "device_name"
        case kernelDriver = "kernel_driver"
        case numaNode = "numa_node"
    }
}

extension PCIDevice {
    /// An NVIDIA display function (vendor 10de, class 03xx), device ID known or not: a pasted
    /// plain lspci names the vendor and class without IDs, and the GPU is still there.
    public var isNvidiaDisplay: Bool {
        vendorID?.lowercased() == "10de" && classCode?.hasPrefix("03") == true
    }
}
