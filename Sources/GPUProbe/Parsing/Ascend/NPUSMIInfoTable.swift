/// What `npu-smi info` tables yield: the banner version, complete chips, and where the text
/// looked cut.
///
/// Every product prints two rows per chip: a name row (`NPU Name | Health | Power Temp ...`)
/// and a chip row (`Chip [Device|Phy-ID] | Bus-Id | AICore Memory ...`). The header names the
/// columns of the right-hand cell, so values are matched to header names rather than to fixed
/// positions; that covers the 310 (no Hugepages, no HBM), 310P, 910, 910B and A3 layouts and
/// any width npu-smi chooses.
struct NPUSMIInfoTable {
    /// npu-smi's own version, the first of the banner's two (`npu-smi X  Version: Y`).
    var version: String?
    /// The banner's `Version:` value: the driver's.
    var driverVersion: String?
    /// Chips whose name row and chip row were both read in full.
    var npus: [AscendNPU] = []
    /// Whether a banner or header showed this is `npu-smi info` output.
    var recognised = false
    /// The first line where the table ends early or a row could not be read.
    var incompleteLine: Int?
}

extension NPUSMIInfoTable {
    /// What a column of the right-hand cell holds, from its header name.
    enum Column: Equatable {
        case power, temperature, aicore, memory, hbm, other
    }

    /// How the second number of a chip row is to be read, from the `Chip ...` header.
    enum SecondID: Equatable {
        /// `Chip Device` (310, 310P): the N of `/dev/davinciN`.
        case device
        /// `Chip Phy-ID` (A3).
        case phy
        /// `Chip` alone (910, 910B): a second number would be unexpected.
        case none
        /// No header seen (the paste starts below it).
        case unknown
    }

    /// The facts of a name row, shared by the chip rows below it (a 300I Duo card prints
    /// one name row and two chip rows).
    struct NameRow {
        var npuID: Int
        var name: String?
        var health: String?
        var powerW: Double?
        var temperatureC: Int?
    }

    /// A `used / total` pair of a right-hand cell, as printed.
    typealias Pair = (used: ArraySlice<UInt8>, total: ArraySlice<UInt8>)

    /// Reads every `npu-smi info` table in `lines`.
    static func parse(_ lines: [NPUSMILine]) -> NPUSMIInfoTable {
        var parser = Parser()
        parser.lastLine =
            lines.last { !NPUSMIText.trimmed($0.bytes).isEmpty }?.number ?? 0
        for line in lines { parser.read(line) }
        parser.finish()
        return parser.table
    }

    /// The per-line state machine behind ``parse(_:)``.
    struct Parser {
        var table = NPUSMIInfoTable()
        var nameColumns: (singles: [Column], pairs: [Column]) = ([.power, .temperature], [.other])
        var chipColumns: (singles: [Column], pairs: [Column]) = ([.aicore], [.memory, .hbm])
        var secondID = SecondID.unknown
        /// Length of the header row, which complete borders match.
        var width: Int?
        /// Length of the last complete border: a paste that retyped or shortened the borders
        /// shortens them all alike.
        var borderWidth: Int?
        /// Whether any border or `=` underline was seen; a paste can drop them all.
        var sawRule = false
        var inProcessTable = false
        var current: NameRow?
        var currentHasChip = false
        /// A chip row was read and no separator has closed its block yet.
        var blockOpen = false
        /// Number of the last line with text: where a paste that was cut ends.
        var lastLine = 0

        mutating func read(_ line: NPUSMILine) {
            let text = NPUSMIText.trimmed(line.bytes)
            guard let first = text.first else { return }
            if first == NPUSMIText.plus {
                readSeparator(text, line: line)
            } else if Self.isRetypedRule(text) {
                // `|====|====|`, `-----` or a Markdown `|---|---|`: a border a paste retyped.
                sawRule = true
                closeBlock(line: line)
            } else if first == NPUSMIText.pipe {
                readRow(text, line: line)
            }
            // Anything else is a shell prompt, a label such as `NPU:`, or a URL: not the table.
        }

        mutating func finish() {
            if current != nil, !currentHasChip, !inProcessTable { markIncomplete(0) }
            // Without any border the end of the last chip cannot be told from a cut.
            if blockOpen, sawRule { markIncomplete(0) }
            if table.recognised, table.npus.isEmpty { markIncomplete(0) }
        }

        /// Remembers the first cut line; `0` stands for "at the end of the text".
        mutating func markIncomplete(_ number: Int) {
            if table.incompleteLine == nil { table.incompleteLine = number }
        }

        mutating func readSeparator(_ text: ArraySlice<UInt8>, line: NPUSMILine) {
            let isRule = text.allSatisfy { $0 == NPUSMIText.plus || $0 == 0x2D || $0 == 0x3D }
            guard isRule else {
                // A border cut after some dashes and closed by a stray bar, as pastes end.
                if table.recognised, !inProcessTable { markIncomplete(line.number) }
                return
            }
            // A border cut exactly at a `+` shows only by being shorter than the borders above
            // it (than the header when it is the first). That test is kept to the last line,
            // where cuts are, so a version whose borders and header differ in width cannot
            // raise a warning on every border.
            sawRule = true
            let short = line.number == lastLine && text.count < (borderWidth ?? width ?? 0)
            let complete = text.last == NPUSMIText.plus && !short
            if !complete, table.recognised, !inProcessTable { markIncomplete(line.number) }
            if complete, line.number != lastLine { borderWidth = text.count }
            closeBlock(line: line)
        }

        /// A border ends the chip block above it.
        mutating func closeBlock(line: NPUSMILine) {
            if current != nil, !currentHasChip, !inProcessTable { markIncomplete(line.number) }
            current = nil
            currentHasChip = false
            blockOpen = false
        }

        mutating func readRow(_ text: ArraySlice<UInt8>, line: NPUSMILine) {
            let closed = text.count > 1 && text.last == NPUSMIText.pipe
            let inner = closed ? text.dropFirst().dropLast() : text.dropFirst()
            // Only the first cell is split up front: most lines are settled by it, and a
            // 10 MB line of junk is then scanned once, not cut into millions of words.
            let firstBar = inner.firstIndex(of: NPUSMIText.pipe)
            let left = NPUSMIText.words(inner[..<(firstBar ?? inner.endIndex)])
            guard let lead = left.first else {
                // `| ` and nothing more: a row cut right after its opening bar.
                if !closed, table.recognised, !inProcessTable { markIncomplete(line.number) }
                return
            }
            let second = left.count >= 2 ? left[1] : []
            if NPUSMIText.equals(lead, "npu-smi") {
                readBanner(left, closed: closed || line.terminated)
                return
            }
            if NPUSMIText.equals(lead, "NPU"), NPUSMIText.equals(second, "Name") {
                table.recognised = true
                inProcessTable = false
                width = closed ? text.count : nil
                let cells = NPUSMIText.cells(text)
                if closed, cells.count >= 3 { nameColumns = Self.columns(cells[2]) }
                return
            }
            if NPUSMIText.equals(lead, "Chip"), left.count <= 2, firstBar != nil {
                table.recognised = true
                secondID = Self.secondID(left.count == 2 ? NPUSMIText.string(second) : nil)
                let cells = NPUSMIText.cells(text)
                if closed, cells.count >= 3 { chipColumns = Self.columns(cells[2]) }
                return
            }
            if NPUSMIText.equals(lead, "NPU"), NPUSMIText.equals(second, "Chip") {
                // The process table: its rows (`0 0 | 1234 | python | 3000`) are not chips.
                inProcessTable = true
                return
            }
            guard !inProcessTable else { return }
            guard closed else {
                // A row without its closing bar was cut inside, wherever the cut fell.
                if table.recognised { markIncomplete(line.number) }
                return
            }
            guard NPUSMIText.int(lead) != nil else { return }
            let cells = NPUSMIText.cells(text)
            guard cells.count >= 3 else {
                markIncomplete(line.number)
                return
            }
            let middle = NPUSMIText.words(cells[1])
            if Self.isChipRow(left: left, middle: middle) {
                readChipRow(left: left, middle: middle, right: cells[2], line: line)
            } else if left.count >= 2, let health = middle.first?.first, Self.isLetter(health) {
                readNameRow(left: left, middle: middle, right: cells[2], line: line)
            } else {
                markIncomplete(line.number)
            }
        }

        mutating func readBanner(_ words: [ArraySlice<UInt8>], closed: Bool) {
            table.recognised = true
            guard closed, table.version == nil else { return }
            // `npu-smi 24.1.0.1    Version: 24.1.0.1`: the tool's version, then the driver's;
            // equal on every host we have seen, but a tool from another package can differ.
            let names = words.prefix(8).map(NPUSMIText.string)
            let marker = names.firstIndex(of: "Version:")
            if let marker, marker + 1 < names.count { table.driverVersion = names[marker + 1] }
            if names.count >= 2, marker != 1, let first = names[1].first, first.isNumber {
                table.version = names[1]
            } else {
                table.version = table.driverVersion
            }
        }

        mutating func readNameRow(
            left: [ArraySlice<UInt8>],
            middle: [ArraySlice<UInt8>],
            right: ArraySlice<UInt8>,
            line: NPUSMILine
        ) {
            if current != nil, !currentHasChip { markIncomplete(line.number) }
            guard let npuID = NPUSMIText.int(left[0]) else { return }
            var row = NameRow(
                npuID: npuID,
                name: NPUSMIText.joined(left[1...]),
                health: NPUSMIText.joined(middle[...])
            )
            let (singles, _) = Self.metrics(right)
            for (column, value) in zip(nameColumns.singles, singles) {
                switch column {
                case .power: row.powerW = NPUSMIText.double(value)
                case .temperature: row.temperatureC = NPUSMIText.int(value)
                default: break
                }
            }
            current = row
            currentHasChip = false
        }

        mutating func readChipRow(
            left: [ArraySlice<UInt8>],
            middle: [ArraySlice<UInt8>],
            right: ArraySlice<UInt8>,
            line: NPUSMILine
        ) {
            guard let row = current, let chipID = NPUSMIText.int(left[0]) else {
                // A chip row whose name row is above the cut or missing.
                markIncomplete(line.number)
                return
            }
            var npu = AscendNPU(
                npuID: row.npuID,
                chipID: chipID,
                name: row.name,
                health: row.health,
                powerW: row.powerW,
                temperatureC: row.temperatureC,
                busID: middle.first.flatMap { PCIAddress(NPUSMIText.string($0)) }
            )
            if left.count >= 2, let second = NPUSMIText.int(left[1]) {
                switch secondID {
                case .device: npu.deviceID = second
                case .phy: npu.phyID = second
                case .none: break
                case .unknown:
                    // Without a header, only the 310 family prints a device id here.
                    if row.name?.hasPrefix("310") == true {
                        npu.deviceID = second
                    } else {
                        npu.phyID = second
                    }
                }
            }
            let (singles, pairs) = Self.metrics(right)
            for (column, value) in zip(chipColumns.singles, singles) where column == .aicore {
                npu.aicorePercent = NPUSMIText.int(value)
            }
            for (column, pair) in zip(chipColumns.pairs, pairs) {
                switch column {
                case .memory:
                    npu.memoryUsedMB = NPUSMIText.int(pair.used)
                    npu.memoryTotalMB = NPUSMIText.int(pair.total)
                case .hbm:
                    npu.hbmUsedMB = NPUSMIText.int(pair.used)
                    npu.hbmTotalMB = NPUSMIText.int(pair.total)
                default: break
                }
            }
            // A name row followed by a chip row is npu-smi's alone, even in a paste that
            // starts below the header.
            table.recognised = true
            table.npus.append(npu)
            currentHasChip = true
            blockOpen = true
        }

        /// A chip row starts with one or two numbers and has a bus id (or `NA`, or a mask)
        /// where a name row has its health word.
        static func isChipRow(left: [ArraySlice<UInt8>], middle: [ArraySlice<UInt8>]) -> Bool {
            guard (1...2).contains(left.count), left.allSatisfy({ NPUSMIText.int($0) != nil }),
                let bus = middle.first
            else { return false }
            return bus.contains(0x3A) || NPUSMIText.equals(bus, "NA")
                || NPUSMIText.equals(bus, "N/A") || NPUSMIText.equals(bus, "-")
        }

        /// A line of only `-`, `=`, `|`, `+`, `:` and blanks, with at least three dashes or
        /// equals signs, that does not start with `+`.
        static func isRetypedRule(_ text: ArraySlice<UInt8>) -> Bool {
            var dashes = 0
            for byte in text {
                switch byte {
                case 0x2D, 0x3D: dashes += 1
                case NPUSMIText.pipe, NPUSMIText.plus, 0x3A: continue
                default: if !NPUSMIText.isBlank(byte) { return false }
                }
            }
            return dashes >= 3
        }

        static func isLetter(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }

        static func secondID(_ name: String?) -> SecondID {
            switch name?.lowercased() {
            case nil: .none
            case "device": .device
            case "phy-id", "phyid", "phy_id": .phy
            default: .none
            }
        }

        /// Column kinds of a header's right-hand cell, single values and pairs apart.
        static func columns(_ cell: ArraySlice<UInt8>) -> (singles: [Column], pairs: [Column]) {
            var singles: [Column] = []
            var pairs: [Column] = []
            for word in NPUSMIText.words(cell) {
                let name = NPUSMIText.string(word).lowercased()
                if name.containsText("usage") {
                    if name.hasPrefix("memory") {
                        pairs.append(.memory)
                    } else if name.hasPrefix("hbm") {
                        pairs.append(.hbm)
                    } else {
                        pairs.append(.other)
                    }
                } else if name.hasPrefix("power") {
                    singles.append(.power)
                } else if name.hasPrefix("temp") {
                    singles.append(.temperature)
                } else if name.hasPrefix("aicore") {
                    singles.append(.aicore)
                } else {
                    singles.append(.other)
                }
            }
            return (singles, pairs)
        }

        /// Splits a right-hand cell into single values and `used / total` pairs, whatever the
        /// spacing around the slash (`0    / 0`, `26838/ 32768`).
        static func metrics(_ cell: ArraySlice<UInt8>) -> (
            singles: [ArraySlice<UInt8>], pairs: [Pair]
        ) {
            var tokens: [ArraySlice<UInt8>] = []
            for word in NPUSMIText.words(cell) {
                var start = word.startIndex
                for index in word.indices where word[index] == NPUSMIText.slash {
                    if start < index { tokens.append(word[start..<index]) }
                    tokens.append(word[index...index])
                    start = index + 1
                }
                if start < word.endIndex { tokens.append(word[start...]) }
            }
            var singles: [ArraySlice<UInt8>] = []
            var pairs: [Pair] = []
            var index = 0
            while index < tokens.count {
                let token = tokens[index]
                if isSlash(token) {
                    index += 1
                } else if index + 1 < tokens.count, isSlash(tokens[index + 1]) {
                    let total = index + 2 < tokens.count ? tokens[index + 2] : []
                    pairs.append((token, total))
                    index += 3
                } else {
                    singles.append(token)
                    index += 1
                }
            }
            return (singles, pairs)
        }

        static func isSlash(_ token: ArraySlice<UInt8>) -> Bool {
            token.count == 1 && token.first == NPUSMIText.slash
        }
    }
}
