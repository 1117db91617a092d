/// Reads one lspci device header line: `[dddd:]bb:dd.f CLASS: VENDOR DEVICE [ids] (rev xx)`.
///
/// This is the first line of every device in plain, `-D`, `-nn`, `-k` and `-v...` output. The
/// grammar comes from pciutils `show_terse()` and `lib/names.c`: class, `: `, the
/// vendor-and-device name (with ` [vvvv:dddd]` under `-nn`), then ` (rev xx)`, then under
/// `-v` ` (prog-if xx [name])`.
enum LspciHeaderLine {
    /// What a header line says.
    struct Fields {
        var address: PCIAddress
        var classCode: String?
        var className: String?
        var vendorID: String?
        var deviceID: String?
        var revision: String?
        /// Whether lspci was asked for ids (`-nn`, `-n`); plain lspci prints them only for a
        /// vendor pci.ids lacks.
        var idsRequested = false
        /// The vendor and device name as lspci joined them, ids and suffixes removed.
        var name: LspciBytes.Line
    }

    /// The result of looking at a line.
    enum Outcome {
        /// Not an lspci device line (prompt, other tool, detail line).
        case notHeader
        /// Starts with a PCI address but the rest cannot be read (cut, edited).
        case unreadable
        /// A `-mm` line: address followed by quoted fields.
        case machineLine(PCIAddress, rest: LspciBytes.Line)
        /// A device header.
        case header(Fields)
    }

    /// Classifies and reads `line` (indentation already removed).
    static func read(_ line: LspciBytes.Line) -> Outcome {
        guard let address = leadingAddress(of: line) else { return .notHeader }
        let rest = LspciBytes.trimmed(line[address.end...])
        if rest.first == LspciBytes.quote {
            return .machineLine(address.value, rest: rest)
        }
        guard let separator = LspciBytes.firstIndex(of: ": ", in: rest) else {
            return .unreadable
        }
        let classPart = LspciBytes.trimmed(rest[rest.startIndex..<separator])
        // Class names are short; a long "class" is some other text that starts with a
        // number that happens to look like an address.
        guard !classPart.isEmpty, classPart.count <= 80 else { return .unreadable }
        var fields = Fields(address: address.value, name: [])
        (fields.classCode, fields.className) = readClass(classPart)
        readName(LspciBytes.trimmed(rest[(separator + 2)...]), into: &fields)
        return .header(fields)
    }

    /// The address at the start of `line` and where it ends, when the first word is one.
    ///
    /// `lspci -P`/`-PP` prefix the path (`00:01.0/01:00.0`); the device is the last element.
    static func leadingAddress(
        of line: LspciBytes.Line
    ) -> (value: PCIAddress, end: Int)? {
        let word = line.prefix { !LspciBytes.isBlank($0) }
        guard word.endIndex < line.endIndex, let first = word.first,
            LspciBytes.isHexDigit(first)
        else { return nil }
        let last = word.lastIndex(of: LspciBytes.slash).map { word[($0 + 1)...] } ?? word
        // `dddddddd:bb:dd.f` is the longest spelling; checking length first keeps a huge
        // first word from being handed to the address parser.
        guard (7...16).contains(last.count),
            let address = PCIAddress(LspciBytes.string(last))
        else { return nil }
        return (address, word.endIndex)
    }

    /// Reads the class: `3D controller [0302]`, `Generic system peripheral [0807]` (lspci
    /// prints the number even without `-nn` when pci.ids knows only the base class),
    /// `Class [ffff]` / `Class ffff` (unknown), `0302` (`-n`), or a plain name.
    static func readClass(_ text: LspciBytes.Line) -> (code: String?, name: String?) {
        if let split = LspciBytes.splitTrailingID(text, digits: 4) {
            let name = LspciBytes.string(split.head)
            return (split.id, name.isEmpty || name == "Class" ? nil : name)
        }
        if LspciBytes.isHex(text, count: 4) {
            return (LspciBytes.lowercasedHex(text), nil)
        }
        if LspciBytes.hasPrefix(text, "Class "), LspciBytes.isHex(text.dropFirst(6), count: 4) {
            return (LspciBytes.lowercasedHex(text.dropFirst(6)), nil)
        }
        return (nil, LspciBytes.string(text))
    }

    /// Takes ` (prog-if ...)`, ` (rev xx)` and ` [vvvv:dddd]` off the end of the name, in the
    /// reverse of the order lspci appends them.
    static func readName(_ text: LspciBytes.Line, into fields: inout Fields) {
        var name = text
        if name.last == LspciBytes.closeParen,
            let progIf = LspciBytes.lastIndex(of: " (prog-if ", in: name)
                ?? (LspciBytes.hasPrefix(name, "(prog-if ") ? name.startIndex : nil)
        {
            name = LspciBytes.trimmed(name[name.startIndex..<progIf])
        }
        if let revision = trailingRevision(name) {
            fields.revision = revision.value
            name = revision.head
        }
        if let ids = LspciBytes.splitTrailingIDPair(name) {
            fields.vendorID = ids.vendor
            fields.deviceID = ids.device
            fields.idsRequested = true
            name = ids.head
        } else if let pair = LspciBytes.idPair(name) {
            // `lspci -n`: numbers only.
            (fields.vendorID, fields.deviceID) = pair
            fields.idsRequested = true
            name = name[name.endIndex...]
        } else if LspciBytes.hasPrefix(name, "Device "),
            let pair = LspciBytes.idPair(name.dropFirst(7))
        {
            // Neither vendor nor device in pci.ids: lspci prints `Device vvvv:dddd`.
            (fields.vendorID, fields.deviceID) = pair
            name = name.prefix(6)
        }
        fields.name = name
    }

    /// Splits ` (rev xx)` off the end.
    private static func trailingRevision(
        _ text: LspciBytes.Line
    ) -> (head: LspciBytes.Line, value: String)? {
        let suffixLength = 8  // "(rev xx)"
        guard text.count >= suffixLength, text.last == LspciBytes.closeParen else { return nil }
        let start = text.endIndex - suffixLength
        let value = text[(start + 5)..<(start + 7)]
        guard text[start..<(start + 5)].elementsEqual("(rev ".utf8),
            LspciBytes.isHex(value, count: 2)
        else { return nil }
        return (LspciBytes.trimmed(text[text.startIndex..<start]), LspciBytes.lowercasedHex(value))
    }
}
