import CLibPCI
import CShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The PCI bus as libpci (pciutils) sees it.
///
/// The only Swift file that imports libpci.
/// Each call opens its own `pci_access`, scans, copies everything into Swift values and
/// releases the handle: no C pointer leaves this file. libpci's fatal errors come back as
/// ``PCIError`` instead of ending the process (see CShims).
public enum LibPCI {
    /// Where libpci reads the bus from: its access methods (pciutils `lib/init.c`).
    public enum Source: Sendable, Hashable {
        /// libpci's default: the first method that works (sysfs on Linux).
        case automatic
        /// The Linux sysfs method, rooted at `path` (`/sys/bus/pci` by default). Tests point it
        /// at empty or absent folders to see how a broken sysfs is reported.
        case sysfs(path: String)
        /// A file in `lspci -x` format, read by libpci's dump method (`PCI_ACCESS_DUMP`).
        case dump(file: String)
    }

    /// One scan: the devices in bus order and, when asked for, their raw config space.
    public struct Scan: Sendable {
        /// Every PCI function, sorted by address as lspci prints them.
        public var devices: [PCIDevice]
        /// Config-space bytes per device (64, 256 or 4096 of them, as many as readable).
        public var configSpace: [PCIAddress: [UInt8]]
        /// libpci's name for the access method that answered (`linux-sysfs`, `dump`).
        public var method: String
    }

    /// Enumerates the bus.
    ///
    /// The corresponding C calls are `pci_alloc`, `pci_init`, `pci_scan_bus`, `pci_fill_info`
    /// with identity, class, subsystem, driver and NUMA fields, and `pci_lookup_name`.
    /// - Parameters:
    ///   - source: the access method.
    ///   - readConfig: also copy each device's config space (for `gpuprobe capture`).
    /// - Returns: the devices with pci.ids names.
    /// - Throws: ``PCIError`` when libpci cannot open or read the source.
    public static func scan(_ source: Source, readConfig: Bool = false) throws(PCIError) -> Scan {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let method: Int32
        var dumpFile: String?
        var sysfsPath: String?
        switch source {
        case .automatic:
            method = Int32(PCI_ACCESS_AUTO.rawValue)
        case .sysfs(let path):
            method = Int32(PCI_ACCESS_SYS_BUS_PCI.rawValue)
            sysfsPath = path
        case .dump(let file):
            method = Int32(PCI_ACCESS_DUMP.rawValue)
            dumpFile = file
        }
        let access = withOptionalCString(dumpFile) { dump in
            withOptionalCString(sysfsPath) { sysfs in
                clibpci_open(method, dump, sysfs, &errorBuffer, errorBuffer.count)
            }
        }
        guard let access else {
            throw .libpci(operation: "pci_init", message: decode(errorBuffer), source: source)
        }
        defer { clibpci_close(access) }

        guard clibpci_scan(access, &errorBuffer, errorBuffer.count) == 0 else {
            throw .libpci(operation: "pci_scan_bus", message: decode(errorBuffer), source: source)
        }
        let methodName = pci_get_method_name(Int32(bitPattern: access.pointee.method)).map {
            String(cString: $0)
        }

        var devices: [PCIDevice] = []
        var configSpace: [PCIAddress: [UInt8]] = [:]
        var names = [CChar](repeating: 0, count: 1024)
        var node = access.pointee.devices
        while let dev = node {
            node = dev.pointee.next
            let wanted =
                PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS
                | PCI_FILL_DRIVER | PCI_FILL_NUMA_NODE
            let filled = clibpci_fill(dev, Int32(wanted), &errorBuffer, errorBuffer.count)
            guard filled >= 0 else {
                throw .libpci(
                    operation: "pci_fill_info",
                    message: decode(errorBuffer),
                    source: source
                )
            }
            // Field by field through the pointer, never a copy of the whole struct: libpci 3.7
            // allocates a shorter `struct pci_dev` than the 3.9 headers describe, and a copy
            // would read past its end.
            let address = PCIAddress(
                domain: UInt32(truncatingIfNeeded: dev.pointee.domain),
                bus: dev.pointee.bus,
                device: dev.pointee.dev,
                function: dev.pointee.func
            )
            let has = { (flag: Int32) in filled & flag != 0 }
            let vendor = UInt32(dev.pointee.vendor_id)
            let deviceID = UInt32(dev.pointee.device_id)
            let cls = UInt32(dev.pointee.device_class)
            var record = PCIDevice(address: address)
            if has(Int32(PCI_FILL_IDENT)) {
                record.vendorID = hex(vendor, width: 4)
                record.deviceID = hex(deviceID, width: 4)
                record.vendorName = lookup(&names) { clibpci_vendor_name(access, $0, $1, vendor) }
                record.deviceName = lookup(&names) {
                    clibpci_device_name(access, $0, $1, vendor, deviceID)
                }
            }
            if has(Int32(PCI_FILL_CLASS)) {
                record.classCode = hex(cls, width: 4)
                record.className = lookup(&names) { clibpci_class_name(access, $0, $1, cls) }
                    .map { stripClassCode($0, code: record.classCode ?? "") }
            }
            // libpci older than 3.8 (Ubuntu 22.04 has 3.7) has none of the next three fields;
            // `rev_id` and the subsystem IDs are not even in its struct. Read them from the
            // config header and sysfs then, as lspci 3.7 itself does.
            let header = has(Int32(PCI_FILL_CLASS_EXT)) ? nil : configHeader(dev, &errorBuffer)
            if has(Int32(PCI_FILL_CLASS_EXT)) {
                record.revision = hex(dev.pointee.rev_id, width: 2)
            } else if let header {
                record.revision = hex(header[0x08], width: 2)
            }
            // libpci reports 0xffff when the header has no subsystem (bridges without SSVID).
            if has(Int32(PCI_FILL_SUBSYS)), dev.pointee.subsys_vendor_id != 0xffff {
                record.subsystemVendorID = hex(dev.pointee.subsys_vendor_id, width: 4)
                record.subsystemDeviceID = hex(dev.pointee.subsys_id, width: 4)
            } else if !has(Int32(PCI_FILL_SUBSYS)), let header, let ids = subsystem(header) {
                record.subsystemVendorID = hex(ids.vendor, width: 4)
                record.subsystemDeviceID = hex(ids.device, width: 4)
            }
            if has(Int32(PCI_FILL_DRIVER)), let driver = clibpci_driver(dev) {
                record.kernelDriver = String(cString: driver)
            } else if !has(Int32(PCI_FILL_DRIVER)), methodName == "linux-sysfs" {
                record.kernelDriver = sysfsDriver(address, root: sysfsPath ?? "/sys/bus/pci")
            }
            if has(Int32(PCI_FILL_NUMA_NODE)), dev.pointee.numa_node >= 0 {
                record.numaNode = Int(dev.pointee.numa_node)
            }
            devices.append(record)
            if readConfig {
                configSpace[address] = readConfigSpace(dev, &errorBuffer)
            }
        }
        devices.sort { $0.address < $1.address }
        return Scan(devices: devices, configSpace: configSpace, method: methodName ?? "unknown")
    }

    /// Looks up names in pci.ids (and udev's hwdb) without touching the bus.
    ///
    /// The corresponding C call is `pci_lookup_name`.
    /// - Parameter vendorIDs: 4-hex-digit vendor IDs.
    /// - Returns: the names pci.ids knows, by ID.
    public static func vendorNames(_ vendorIDs: Set<String>) -> [String: String] {
        guard let access = clibpci_open_names() else { return [:] }
        defer { clibpci_close(access) }
        var names = [CChar](repeating: 0, count: 1024)
        var result: [String: String] = [:]
        for id in vendorIDs {
            guard let vendor = UInt32(id, radix: 16), vendor <= 0xffff else { continue }
            result[id] = lookup(&names) { clibpci_vendor_name(access, $0, $1, vendor) }
        }
        return result
    }

    /// The standard config space (256 bytes, or the 64-byte header sysfs gives everyone);
    /// nil when not even the header can be read.
    private static func configHeader(
        _ dev: UnsafeMutablePointer<pci_dev>,
        _ errorBuffer: inout [CChar]
    ) -> [UInt8]? {
        let bytes = readConfigSpace(dev, &errorBuffer, lengths: [256, 64])
        return bytes.isEmpty ? nil : bytes
    }

    /// The subsystem IDs as libpci 3.9 reports them, so that both libraries give one document:
    /// at 0x2c in a type 0 header; in a bridge's SSVID capability (ID 0x0d), and 0000 for a
    /// bridge without one (what 3.9 returns; `x58-gt218-no-driver` has two); nil for other
    /// header types and for 0xffff.
    static func subsystem(_ config: [UInt8]) -> (vendor: UInt16, device: UInt16)? {
        func word(_ at: Int) -> UInt16? {
            at + 1 < config.count ? UInt16(config[at]) | UInt16(config[at + 1]) << 8 : nil
        }
        guard config.count >= 64 else { return nil }
        var ids: (vendor: UInt16, device: UInt16)?
        switch config[0x0e] & 0x7f {
        case 0:
            if let vendor = word(0x2c), let device = word(0x2e) { ids = (vendor, device) }
        case 1:
            ids = (0, 0)
            // The capability list; 48 steps at most, as libpci walks it, so a loop ends.
            var at = config[0x06] & 0x10 != 0 ? Int(config[0x34] & 0xfc) : 0
            for _ in 0..<48 where at >= 0x40 && at + 7 < config.count {
                if config[at] == 0x0d, let vendor = word(at + 4), let device = word(at + 6) {
                    ids = (vendor, device)
                    break
                }
                at = Int(config[at + 1] & 0xfc)
            }
        default:
            break
        }
        guard let ids, ids.vendor != 0xffff else { return nil }
        return ids
    }

    /// The name of the driver bound to `address`: the last component of sysfs's `driver` link.
    private static func sysfsDriver(_ address: PCIAddress, root: String) -> String? {
        var target = [CChar](repeating: 0, count: 4096)
        let length = readlink("\(root)/devices/\(address)/driver", &target, target.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let name = path.split(separator: "/").last, !name.isEmpty else { return nil }
        return String(name)
    }

    /// Reads as much config space as the kernel lets us, the first of `lengths` that reads:
    /// 4096 bytes (extended, root), 256 (root), or the 64-byte header that sysfs gives
    /// everyone; empty when none does.
    private static func readConfigSpace(
        _ dev: UnsafeMutablePointer<pci_dev>,
        _ errorBuffer: inout [CChar],
        lengths: [Int] = [4096, 256, 64]
    ) -> [UInt8] {
        for length in lengths {
            var bytes = [UInt8](repeating: 0, count: length)
            let ok = clibpci_read_config(
                dev,
                0,
                &bytes,
                Int32(length),
                &errorBuffer,
                errorBuffer.count
            )
            if ok == 1 { return bytes }
        }
        return []
    }

    private static func lookup(
        _ buffer: inout [CChar],
        _ call: (UnsafeMutablePointer<CChar>, Int32) -> UnsafePointer<CChar>?
    ) -> String? {
        let count = Int32(buffer.count)
        return buffer.withUnsafeMutableBufferPointer { raw -> String? in
            guard let base = raw.baseAddress, let result = call(base, count) else { return nil }
            return String(cString: result)
        }
    }

    /// libpci appends `[0807]` when pci.ids knows the base class but not the subclass; the
    /// code is already in `class`, so the name stays a name (`Generic system peripheral`, as in
    /// Fixtures/lspci/gpud_lspci_vvv_dell_h100.txt, whose lines read `... [0807]`).
    private static func stripClassCode(_ name: String, code: String) -> String {
        let suffix = " [" + code + "]"
        return name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
    }

    private static func decode(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? "no reason given" : text
    }

    private static func withOptionalCString<R>(
        _ string: String?,
        _ body: (UnsafePointer<CChar>?) -> R
    ) -> R {
        guard let string else { return body(nil) }
        return string.withCString { body($0) }
    }
}

/// Why libpci could not enumerate the bus.
public enum PCIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A libpci call failed; `message` is libpci's own text.
    case libpci(operation: String, message: String, source: LibPCI.Source)
    /// A replayed capture holds no usable PCI data; `reason` says why.
    case notCaptured(reason: String)

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case .notCaptured(let reason):
            return "the capture holds no PCI data (\(reason)); capture the host again with "
                + "`gpuprobe capture` to include it"
        case .libpci(let operation, let message, let source):
            switch source {
            case .dump(let file):
                return
                    "libpci could not read the dump '\(file)' (\(operation): \(message)); "
                    + "pass a file in `lspci -x` format"
            case .sysfs(let path):
                return
                    "libpci could not read PCI devices from '\(path)' (\(operation): \(message)); "
                    + "check that sysfs is mounted"
            case .automatic:
                return
                    "libpci could not enumerate the PCI bus (\(operation): \(message)); "
                    + "check that /sys is mounted (in a container, mount it read-only)"
            }
        }
    }
}
