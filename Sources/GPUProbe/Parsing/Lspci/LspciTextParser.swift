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
        var lines: [LspciPaste.Line] = []
        LspciBytes.forEachLine(in: bytes) { line, number in
            lines.append(LspciPaste.Line(text: line, number: number))
        }
        let paste = LspciPaste.prepare(lines)
        if paste.lines.contains(where: { LspciTree.isTreeStart($0.text) }) {
            for entry in LspciTree.read(paste.lines) {
                state.takeTreeEntry(entry, vendorName: vendorName)
            }
        }
        for line in paste.lines {
            state.take(line.text, number: line.number, vendorName: vendorName)
        }
        state.endRecord()
        return state.result(paste: paste.notes)
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
    /// The tree drawing of `lspci -t`, `-tv` or `-tvnn`: addresses and, under `-v`, names;
    /// no class or revision.
    case tree
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
    private var treeEntries = 0
    /// What was read from names rather than numbers, for the diagnostics.
    private var vendorsFromNames: [String: (id: String, count: Int)] = [:]
    private var devicesFromNames = 0
    private var classesFromNames: [String: String] = [:]

    /// Detail lines that `-k` prints without `-v`; any other detail line means `-v`.
    static let kernelDetailKeys = [
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
            current = (add(device(from: fields, vendorName: vendorName)), indent)
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

    /// Adds a device of an `lspci -t` tree.
    mutating func takeTreeEntry(_ entry: LspciTree.Entry, vendorName: (String) -> String?) {
        treeEntries += 1
        var fields = LspciHeaderLine.Fields(address: entry.address, name: [])
        if let name = entry.name {
            LspciHeaderLine.readName(name, into: &fields)
            if fields.idsRequested { headerLinesWithIDs += 1 }
        }
        _ = add(device(from: fields, vendorName: vendorName))
    }

    /// The device a header line (or tree entry) describes, its ids read from names where
    /// lspci printed none, noting what was read that way.
    private mutating func device(
        from fields: LspciHeaderLine.Fields,
        vendorName: (String) -> String?
    ) -> PCIDevice {
        let ids = LspciDerivedIDs(fields)
        if let name = ids.vendorFromName, let id = ids.vendorID {
            vendorsFromNames[name, default: (id, 0)].count += 1
        }
        if ids.deviceFromName { devicesFromNames += 1 }
        if ids.classFromName, let name = fields.className, let code = ids.classCode {
            classesFromNames[name] = code
        }
        let names = LspciNames.split(
            fields.name,
            knownVendor: ids.vendorID.flatMap(vendorName) ?? ids.vendorFromName
        )
        return PCIDevice(
            address: fields.address,
            vendorID: ids.vendorID,
            deviceID: ids.deviceID,
            classCode: ids.classCode,
            className: fields.className,
            revision: fields.revision,
            vendorName: names.vendor,
            deviceName: names.device
        )
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
    func result(paste: LspciPaste.Notes = LspciPaste.Notes()) -> LspciTextParseResult {
        if hexDumpLines > 0 {
            let diagnostic = Diagnostic(
                .unrecognizedOutput,
                source: .pci,
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
                    source: .pci,
                    severity: .warning,
                    message: "Line \(firstUnreadableLine ?? 0)"
                        + (unreadableLines > 1
                            ? " and \(unreadableLines - 1) more start" : " starts")
                        + " with a PCI address but could not be read as lspci output; "
                        + "the text may be cut or edited, so paste it again whole.",
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
                    source: .pci,
                    severity: .warning,
                    message: "No lspci device line was found; paste the output of "
                        + "`lspci -nnk` or `lspci -vmm -nn`."
                )
            )
            return LspciTextParseResult(format: .unknown, devices: [], diagnostics: diagnostics)
        }
        diagnostics += assumptions(paste: paste)
        let format: LspciFormat
        if treeEntries > headerLines + machineRecords {
            format = .tree
        } else if machineRecords > headerLines {
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

    /// Info diagnostics saying what was read from names or undone from the paste.
    private func assumptions(paste: LspciPaste.Notes) -> [Diagnostic] {
        var notes: [Diagnostic] = []
        func note(_ message: String, _ context: [String: String]) {
            notes.append(
                Diagnostic(
                    .assumed,
                    source: .pci,
                    severity: .info,
                    message: message,
                    context: context
                )
            )
        }
        for (name, vendor) in vendorsFromNames.sorted(by: { $0.key < $1.key }) {
            note(
                "Vendor id \(vendor.id) read from the name '\(name)' on \(vendor.count) device "
                    + "line(s) that print no ids; `lspci -nn` prints them",
                ["vendor_id": vendor.id, "vendor_name": name, "devices": String(vendor.count)]
            )
        }
        if devicesFromNames > 0 {
            note(
                "Device id read from lspci's `Device dddd` placeholder (pci.ids on that host "
                    + "had no name for it) on \(devicesFromNames) device line(s)",
                ["devices": String(devicesFromNames)]
            )
        }
        if !classesFromNames.isEmpty {
            let pairs = classesFromNames.sorted { $0.key < $1.key }
            note(
                "Class codes read from lspci's class names through pci.ids' class list: "
                    + pairs.map { "'\($0.key)' = \($0.value)" }.joined(separator: ", "),
                ["classes": pairs.map { "\($0.value)=\($0.key)" }.joined(separator: ";")]
            )
        }
        if treeEntries > 0 {
            note(
                "Read \(treeEntries) device(s) from an `lspci -t` tree: addresses from its bus "
                    + "numbers, names only under -tv; the tree prints no class or revision",
                ["devices": String(treeEntries)]
            )
        }
        for (kind, count) in paste.prefixes.sorted(by: { $0.key < $1.key }) {
            note(
                "Took the prefix '\(kind)' off \(count) line(s) before reading them as lspci "
                    + "output",
                ["prefix": kind, "lines": String(count)]
            )
        }
        if paste.joined > 0, let first = paste.firstJoined {
            note(
                "Joined \(paste.joined) device line(s) wrapped onto the next line, the first at "
                    + "line \(first)",
                ["lines": String(paste.joined), "first_line": String(first)]
            )
        }
        return notes
    }
}

extension Diagnostic.Code {
    /// A parser read a value from a name or undid a paste artefact instead of reading it as
    /// printed (info: says what was assumed).
    static let assumed: Diagnostic.Code = "assumed"
}
