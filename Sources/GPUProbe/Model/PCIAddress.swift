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

    /// Decodes the form documents hold, as the host schema allows it: 4 to 8 lower-case hex
    /// digits of domain, then `bb:dd.f`; the other spellings ``init(_:)`` reads are tool
    /// output, not JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard Self.isDocumentForm(text), let address = PCIAddress(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "\(JSONValue.shown(text)) is not a PCI address of the form dddd:bb:dd.f "
                    + "(lower-case hex, device 00 to 1f, function 0 to 7)"
            )
        }
        self = address
    }

    /// Whether `text` is `^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$`.
    static func isDocumentForm(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (12...16).contains(bytes.count) else { return false }
        let domain = bytes.count - 8
        func isHex(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        return bytes[..<domain].allSatisfy(isHex)
            && bytes[domain] == UInt8(ascii: ":") && isHex(bytes[domain + 1])
            && isHex(bytes[domain + 2]) && bytes[domain + 3] == UInt8(ascii: ":")
            && isHex(bytes[domain + 4]) && isHex(bytes[domain + 5])
            && bytes[domain + 6] == UInt8(ascii: ".")
            && (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[domain + 7])
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
