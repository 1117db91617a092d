/// Reads pasted or captured lspci text into PCI device records.
///
/// Used where libpci cannot run: a bug report's paste, `gpuprobe parse lspci`, a capture
/// bundle. Reads plain `lspci`, `-D`, `-nn`, `-Dnn`, `-k`/`-nnk`, `-v`/`-vv`/`-vvv`, `-n`,
/// `-vmm`/`-vm` and `-mm`, skips lines of other tools and shell prompts, and merges repeated
/// addresses (a paste of both `lspci` and `lspci -nn`). Hex dumps (`-x`, `-xxx`, `-xxxx`)
/// are refused: libpci's dump reader reads those, with the real config bytes.
public enum LspciTextParser {
    /// Parses lspci output.
    ///
    /// - Parameters:
    ///   - text: The output, complete or cut; any text is accepted.
    ///   - vendorName: pci.ids' vendor name for a lower-case vendor id (for example `10de` →
    ///     `NVIDIA Corporation`), or nil. lspci prints vendor and device as one string; with
    ///     the vendor's name the parser can split it. Without it the whole string becomes
    ///     ``PCIDevice/deviceName`` and ``PCIDevice/vendorName`` stays nil, except for lspci's
    ///     `VENDOR Device dddd` placeholder, which says the device is unknown and gives the
    ///     vendor away.
    /// - Returns: The devices in the order printed, the form recognised, and diagnostics.
    public static func parse(
        _ text: String,
        vendorName: (String) -> String? = { _ in nil }
    ) -> LspciTextParseResult {
        var state = LspciParseState()
        let bytes = Array(text.utf8)
        LspciBytes.forEachLine(in: bytes) { line, number in
            state.take(line, number: number, vendorName: vendorName)
        }
        state.endRecord()
        return state.result()
    }
}

/// What ``LspciTextParser/parse(_:vendorName:)`` produces.
public struct LspciTextParseResult: Hashable, Sendable {
    /// Which output form the text was recognised as.
    public var format: LspciFormat
    /// The devices in the order lspci printed them (bus order), one per address.
    public var devices: [PCIDevice]
    /// Oddities, for example `unrecognized_output` for a hex dump or `incomplete_output` for
    /// device lines that could not be read.
    public var diagnostics: [Diagnostic]

    /// Creates a result.
    public init(format: LspciFormat, devices: [PCIDevice], diagnostics: [Diagnostic]) {
        self.format = format
        self.devices = devices
        self.diagnostics = diagnostics
    }
}

/// The lspci output forms ``LspciTextParser`` tells apart.
///
/// One form per text; when forms are mixed the one that tells most wins: machine records
/// when they are the majority, else verbose when `-v` detail lines are present, else `nn`
/// when ids are printed.
public enum LspciFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// One line per device with ids: `lspci -nn`, `-Dnn`, `-nnk`, or numbers only (`-n`).
    case nn
    /// One line per device without ids: `lspci`, `-D`, `-k`.
    case plain
    /// `lspci -v`, `-vv` or `-vvv`: a header line and indented details per device.
    case verbose
    /// Machine-readable records: `lspci -vmm` (also `-vm` and one-line `-mm`).
    case machine
    /// No device found, or a hex dump, which this parser does not read.
    case unknown
}

/// The line-by-line state of one parse.
struct LspciParseState {
    /// Devices so far, in order of first appearance.
    private var devices: [PCIDevice] = []
    private var indexByAddress: [PCIAddress: Int] = [:]
    /// The device that indented detail lines belong to, and its header's indentation.
    private var current: (index: Int, indent: Int)?
    /// The `-vmm` record being collected.
    private var record: PCIDevice?
    private var headerLines = 0
    private var headerLinesWithIDs = 0
    private var machineRecords = 0
    private var sawVerboseDetail = false
    private var hexDumpLines = 0
    private var unreadableLines = 0
    private var firstUnreadableLine: Int?

    /// Detail lines that `-k` prints without `-v`; any other detail line means `-v`.
    private static let kernelDetailKeys = [
        "Subsystem:", "Kernel driver in use:", "Kernel modules:", "DeviceName:", "NUMA node:",
    ]

    /// Reads one line.
    mutating func take(_ raw: LspciBytes.Line, number: Int, vendorName: (String) -> String?) {
        let indent = LspciBytes.indentation(of: raw)
        let line = LspciBytes.trimmed(raw)
        if line.isEmpty {
            endRecord()
            current = nil
            return
        }
        // Dump rows are printed flush with their device's header; deeper lines are details.
        if indent <= current?.indent ?? 0, LspciBytes.isHexDumpLine(line) {
            hexDumpLines += 1
            endRecord()
            current = nil
            return
        }
        if takeMachineField(line, indent: indent) { return }
        switch LspciHeaderLine.read(line) {
        case .header(let fields):
            headerLines += 1
            if fields.idsRequested { headerLinesWithIDs += 1 }
            let names = LspciNames.split(
                fields.name,
                knownVendor: fields.vendorID.flatMap(vendorName)
            )
            let device = PCIDevice(
                address: fields.address,
                vendorID: fields.vendorID,
                deviceID: fields.deviceID,
                classCode: fields.classCode,
                className: fields.className,
                revision: fields.revision,
                vendorName: names.vendor,
                deviceName: names.device
            )
            current = (add(device), indent)
        case .machineLine(let address, let rest):
            current = nil
            if let device = LspciMachineFormat.readMachineLine(rest, address: address) {
                machineRecords += 1
                _ = add(device)
            } else {
                noteUnreadable(number)
            }
        case .unreadable:
            current = nil
            noteUnreadable(number)
        case .notHeader:
            takeDetail(line, indent: indent)
        }
    }

    /// Handles `-vmm` field lines; returns whether the line was one.
    private mutating func takeMachineField(_ line: LspciBytes.Line, indent: Int) -> Bool {
        guard let field = LspciMachineFormat.field(line) else {
            endRecord()
            return false
        }
        // Inside a -v device block a `Key: value` line is a detail, not a record.
        let insideDetails = current.map { indent > $0.indent } ?? false
        if !insideDetails, let device = LspciMachineFormat.start(key: field.key, value: field.value)
        {
            endRecord()
            current = nil
            record = device
            return true
        }
        guard var device = record else { return false }
        LspciMachineFormat.apply(key: field.key, value: field.value, to: &device)
        record = device
        return true
    }

    /// Adds the `-vmm` record in progress, if any.
    mutating func endRecord() {
        guard let device = record else { return }
        record = nil
        machineRecords += 1
        _ = add(device)
    }

    /// Reads an indented line under a device header (`-k`, `-v`).
    private mutating func takeDetail(_ line: LspciBytes.Line, indent: Int) {
        guard let (index, headerIndent) = current else { return }
        let knownKey = Self.kernelDetailKeys.first { LspciBytes.hasPrefix(line, $0) }
        // A line no deeper than the header is another tool's text (a pasted prompt or a
        // message), unless it is a `-k` line whose indentation a paste lost.
        guard indent > headerIndent || knownKey != nil else {
            current = nil
            return
        }
        let value = LspciBytes.trimmed(line.dropFirst(knownKey?.utf8.count ?? 0))
        switch knownKey {
        case "Kernel driver in use:"?:
            if devices[index].kernelDriver == nil, !value.isEmpty {
                devices[index].kernelDriver = LspciBytes.string(value)
            }
        case "Subsystem:"?:
            if devices[index].subsystemVendorID == nil,
                let ids = LspciBytes.splitTrailingIDPair(value)
            {
                devices[index].subsystemVendorID = ids.vendor
                devices[index].subsystemDeviceID = ids.device
            }
        case "NUMA node:"?:
            if devices[index].numaNode == nil, let node = Int(LspciBytes.string(value)),
                node >= 0
            {
                devices[index].numaNode = node
            }
        case .some:
            break
        case .none:
            sawVerboseDetail = true
        }
    }

    /// Adds `device`, or fills the gaps of an earlier record of the same address; returns its
    /// index.
    private mutating func add(_ device: PCIDevice) -> Int {
        guard let index = indexByAddress[device.address] else {
            indexByAddress[device.address] = devices.count
            devices.append(device)
            return devices.count - 1
        }
        var merged = devices[index]
        merged.vendorID = merged.vendorID ?? device.vendorID
        merged.deviceID = merged.deviceID ?? device.deviceID
        merged.subsystemVendorID = merged.subsystemVendorID ?? device.subsystemVendorID
        merged.subsystemDeviceID = merged.subsystemDeviceID ?? device.subsystemDeviceID
        merged.classCode = merged.classCode ?? device.classCode
        merged.className = merged.className ?? device.className
        merged.revision = merged.revision ?? device.revision
        merged.vendorName = merged.vendorName ?? device.vendorName
        merged.deviceName = merged.deviceName ?? device.deviceName
        merged.kernelDriver = merged.kernelDriver ?? device.kernelDriver
        merged.numaNode = merged.numaNode ?? device.numaNode
        devices[index] = merged
        return index
    }

    private mutating func noteUnreadable(_ number: Int) {
        unreadableLines += 1
        if firstUnreadableLine == nil { firstUnreadableLine = number }
    }

    /// The result once every line has been read.
    func result() -> LspciTextParseResult {
        if hexDumpLines > 0 {
            let diagnostic = Diagnostic(
                .unrecognizedOutput,
                source: "pci",
                severity: .warning,
                message: "This is an lspci hex dump (-x, -xxx or -xxxx); read it with the "
                    + "libpci dump reader, which decodes the config bytes, not the text parser.",
                context: ["hex_dump_lines": String(hexDumpLines)]
            )
            return LspciTextParseResult(format: .unknown, devices: [], diagnostics: [diagnostic])
        }
        var diagnostics: [Diagnostic] = []
        if unreadableLines > 0 {
            diagnostics.append(
                Diagnostic(
                    .incompleteOutput,
                    source: "pci",
                    severity: .warning,
                    message: "\(unreadableLines) line(s) start with a PCI address but could not "
                        + "be read as lspci output; the text may be cut or edited, so paste it "
                        + "again whole.",
                    context: [
                        "lines": String(unreadableLines),
                        "first_line": firstUnreadableLine.map(String.init) ?? "",
                    ]
                )
            )
        }
        guard !devices.isEmpty else {
            diagnostics.append(
                Diagnostic(
                    .unrecognizedOutput,
                    source: "pci",
                    severity: .warning,
                    message: "No lspci device line was found; paste the output of "
                        + "`lspci -nnk` or `lspci -vmm -nn`."
                )
            )
            return LspciTextParseResult(format: .unknown, devices: [], diagnostics: diagnostics)
        }
        let format: LspciFormat
        if machineRecords > headerLines {
            format = .machine
        } else if sawVerboseDetail {
            format = .verbose
        } else if headerLinesWithIDs > 0 {
            format = .nn
        } else {
            format = .plain
        }
        return LspciTextParseResult(format: format, devices: devices, diagnostics: diagnostics)
    }
}
