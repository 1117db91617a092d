/// Reads `lspci -t` / `-tv` / `-tvnn` tree drawings.
///
/// pciutils `ls-tree.c` prints each root bus as `[dddd:bb]`, each device as `dd.f`, each
/// bridge's secondary bus range as `-[bb]-` or `-[bb-ss]-` with the devices of its secondary
/// bus to the right, and under `-v` the vendor-and-device name after two spaces (no class, no
/// revision). Later lines repeat nothing: `print_it()` blanks the printed part of the line
/// (keeping `|`), so a line that starts with `+-` or `\-` at some column continues the bus
/// list that was opened at that column. That makes every address exact: the domain from the
/// root label, the bus from the enclosing bracket, slot and function from `dd.f`. Bridges
/// carry no name in the tree (lspci prints the bus range instead), so they come out as
/// addresses only.
enum LspciTree {
    /// One device of the tree: its address and, under `-v`, the name lspci printed.
    struct Entry {
        var address: PCIAddress
        var name: LspciBytes.Line?
    }

    private struct Bus {
        var domain: UInt32
        var number: UInt8
    }

    /// Whether `line` is the first line of a tree: `-[dddd:bb]-` or `-+-[dddd:bb]-`.
    static func isTreeStart(_ line: LspciBytes.Line) -> Bool {
        guard line.first(where: { !LspciBytes.isBlank($0) }) == UInt8(ascii: "-") else {
            return false
        }
        let body = LspciBytes.trimmed(line)
        let label: LspciBytes.Line
        if LspciBytes.hasPrefix(body, "-[") {
            label = body.dropFirst(1)
        } else if LspciBytes.hasPrefix(body, "-+-[") {
            label = body.dropFirst(3)
        } else {
            return false
        }
        guard let close = label.firstIndex(of: LspciBytes.closeBracket) else { return false }
        return rootLabel(label[...close]) != nil
    }

    /// The devices of the tree lines in `lines`, in the order printed; lines outside the tree
    /// (a prompt, other output) are skipped, and a new tree start resets the columns.
    static func read(_ lines: [LspciPaste.Line]) -> [Entry] {
        var entries: [Entry] = []
        var busAt: [Int: Bus] = [:]
        var origin = 0
        var inTree = false
        for line in lines {
            let text = line.text
            if isTreeStart(text) {
                busAt = [:]
                origin = LspciBytes.indentation(of: text)
                inTree = true
            } else if !inTree {
                continue
            }
            if !readLine(text, origin: origin, busAt: &busAt, into: &entries) {
                inTree = false
            }
        }
        return entries
    }

    /// Reads one tree line; false when it is not one (the tree ended).
    private static func readLine(
        _ text: LspciBytes.Line,
        origin: Int,
        busAt: inout [Int: Bus],
        into entries: inout [Entry]
    ) -> Bool {
        let isFiller: (UInt8) -> Bool = { $0 == LspciBytes.space || $0 == UInt8(ascii: "|") }
        let start = text.firstIndex { !isFiller($0) } ?? text.endIndex
        guard start < text.endIndex else { return false }
        var index = start
        var bus: Bus?
        var readAny = false
        let dash = UInt8(ascii: "-")
        while index < text.endIndex {
            let byte = text[index]
            if byte == dash, index + 1 < text.endIndex, text[index + 1] == LspciBytes.openBracket {
                // `-[dddd:bb]-` (a root) or `-[bb]-` / `-[bb-ss]-` (a bridge's buses).
                guard let close = text[index...].firstIndex(of: LspciBytes.closeBracket) else {
                    return readAny
                }
                let label = text[(index + 1)...close]
                // After a root label one `-` leads to its bus list; after a bridge's range
                // two do (the range's own and the bridge's).
                var dashes = 0
                if let root = rootLabel(label) {
                    bus = root
                    dashes = 1
                } else if let current = bus, let secondary = busRange(label) {
                    bus = Bus(domain: current.domain, number: secondary)
                    dashes = 2
                } else {
                    return readAny
                }
                index = close + 1
                while dashes > 0, index < text.endIndex, text[index] == dash {
                    index += 1
                    dashes -= 1
                }
                continue
            }
            let isEntry =
                index + 1 < text.endIndex && text[index + 1] == dash
                && (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "\\") || byte == dash)
            if isEntry {
                let column = index - text.startIndex - origin
                if index == start {
                    bus = busAt[column] ?? bus
                } else if let current = bus {
                    busAt[column] = current
                }
                index += 2
                if index < text.endIndex, text[index] == LspciBytes.openBracket {
                    guard let close = text[index...].firstIndex(of: LspciBytes.closeBracket),
                        let root = rootLabel(text[index...close])
                    else { return readAny }
                    bus = root
                    index = close + 1
                    if index < text.endIndex, text[index] == dash { index += 1 }
                    continue
                }
                guard let current = bus, index + 4 <= text.endIndex,
                    let slot = deviceFunction(text[index..<(index + 4)])
                else { return readAny }
                var entry = Entry(
                    address: PCIAddress(
                        domain: current.domain,
                        bus: current.number,
                        device: slot.device,
                        function: slot.function
                    )
                )
                index += 4
                readAny = true
                if LspciBytes.hasPrefix(text[index...], "  ") {
                    let name = LspciBytes.trimmed(text[index...])
                    entry.name = name.isEmpty ? nil : name
                    entries.append(entry)
                    return true
                }
                entries.append(entry)
                continue
            }
            if byte == dash, index == start || bus != nil {
                index += 1
                continue
            }
            return readAny
        }
        return readAny
    }

    /// `[dddd:bb]`: a root bus with its domain.
    private static func rootLabel(_ label: LspciBytes.Line) -> Bus? {
        guard label.count >= 9, label.first == LspciBytes.openBracket,
            label.last == LspciBytes.closeBracket
        else { return nil }
        let inner = label.dropFirst().dropLast()
        guard let colon = inner.firstIndex(of: LspciBytes.colon) else { return nil }
        let domain = inner[inner.startIndex..<colon]
        let number = inner[(colon + 1)...]
        guard (4...8).contains(domain.count), domain.allSatisfy(LspciBytes.isHexDigit),
            LspciBytes.isHex(number, count: 2),
            let domainValue = UInt32(LspciBytes.string(domain), radix: 16),
            let busValue = UInt8(LspciBytes.string(number), radix: 16)
        else { return nil }
        return Bus(domain: domainValue, number: busValue)
    }

    /// `[bb]` or `[bb-ss]`: the secondary bus (the first number), whose devices follow.
    private static func busRange(_ label: LspciBytes.Line) -> UInt8? {
        guard label.first == LspciBytes.openBracket, label.last == LspciBytes.closeBracket
        else { return nil }
        let inner = label.dropFirst().dropLast()
        let first = inner.prefix(2)
        guard LspciBytes.isHex(first, count: 2),
            inner.count == 2
                || (inner.count == 5 && inner[inner.startIndex + 2] == UInt8(ascii: "-")
                    && LspciBytes.isHex(inner.suffix(2), count: 2))
        else { return nil }
        return UInt8(LspciBytes.string(first), radix: 16)
    }

    /// `dd.f`.
    private static func deviceFunction(
        _ text: LspciBytes.Line
    ) -> (device: UInt8, function: UInt8)? {
        guard LspciBytes.isHex(text.prefix(2), count: 2),
            text[text.startIndex + 2] == UInt8(ascii: "."),
            let device = UInt8(LspciBytes.string(text.prefix(2)), radix: 16), device < 32,
            let function = UInt8(LspciBytes.string(text.suffix(1)), radix: 16), function < 8
        else { return nil }
        return (device, function)
    }
}
