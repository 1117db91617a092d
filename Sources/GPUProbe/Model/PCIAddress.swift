/// A PCI function address in the canonical `dddd:bb:dd.f` form, lower-case hex.
///
/// Parses every spelling the tools print: `0000:65:00.0` (libpci, sysfs), `65:00.0` (lspci
/// without `-D`, domain 0), and nvidia-smi's eight-digit domain `00000000:65:00.0`, so that a
/// GPU's `bus_id` joins `pci_devices.address`.
public struct PCIAddress: Hashable, Comparable, Sendable, LosslessStringConvertible, Codable {
    /// PCI domain (segment); nvidia-smi prints 8 hex digits, sysfs 4 (up to 0xffff here).
    public let domain: UInt32
    /// Bus number, 0...255.
    public let bus: UInt8
    /// Device (slot) number, 0...31.
    public let device: UInt8
    /// Function number, 0...7.
    public let function: UInt8

    /// Creates an address from its parts.
    public init(domain: UInt32, bus: UInt8, device: UInt8, function: UInt8) {
        self.domain = domain
        self.bus = bus
        self.device = device
        self.function = function
    }

    /// Parses `[domain:]bus:device.function` in hex, case-insensitive; nil when malformed.
    public init?(_ description: String) {
        let text = description.trimmingASCIIWhitespace()
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        let domainText = parts.count == 3 ? parts[0] : "0"
        let busText = parts[parts.count - 2]
        let slot = parts[parts.count - 1].split(separator: ".", omittingEmptySubsequences: false)
        guard slot.count == 2,
            (1...8).contains(domainText.count), (1...2).contains(busText.count),
            (1...2).contains(slot[0].count), slot[1].count == 1,
            let domain = UInt32(domainText, radix: 16),
            let bus = UInt8(busText, radix: 16),
            let device = UInt8(slot[0], radix: 16), device < 32,
            let function = UInt8(slot[1], radix: 16), function < 8
        else { return nil }
        self.init(domain: domain, bus: bus, device: device, function: function)
    }

    /// The canonical spelling, `dddd:bb:dd.f`.
    public var description: String {
        hex(domain, width: 4) + ":" + hex(bus, width: 2) + ":" + hex(device, width: 2) + "."
            + String(function, radix: 16)
    }

    /// Orders by domain, bus, device, function: the order lspci prints.
    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.device, lhs.function)
            < (rhs.domain, rhs.bus, rhs.device, rhs.function)
    }

    /// Decodes the canonical string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = PCIAddress(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a PCI address of the form dddd:bb:dd.f"
            )
        }
        self = address
    }

    /// Encodes the canonical string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Lower-case hex of `value`, zero-padded to `width` digits.
func hex<T: BinaryInteger>(_ value: T, width: Int) -> String {
    let digits = String(value, radix: 16)
    return digits.count >= width
        ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, asciiWhitespace.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, asciiWhitespace.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

/// Space, tab, CR, LF and CRLF (one `Character` in Swift).
let asciiWhitespace: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
