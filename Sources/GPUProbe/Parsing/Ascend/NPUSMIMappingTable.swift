/// What `npu-smi info -m` yields: one entry per chip with its logic id.
///
/// The table is whitespace-aligned, not boxed: a header (`NPU ID  Chip ID  Chip Logic ID
/// Chip Name`, newer versions add `Chip Phy-ID` or `Slot ID`) and one row per chip. Data does
/// not line up with header offsets (the 310 sample is off by one), so columns are matched by
/// order, and the last column, the name, takes the remaining words (`Ascend 910A`).
struct NPUSMIMappingTable {
    /// Chips read from complete rows.
    var npus: [AscendNPU] = []
    /// Whether the mapping header was seen.
    var recognised = false
    /// The first line that looked like a row but could not be read.
    var incompleteLine: Int?
}

extension NPUSMIMappingTable {
    /// What a mapping column holds, from its header name.
    enum Column: Equatable {
        case npuID, chipID, chipLogicID, phyID, name, other
    }

    /// Reads the mapping table in `lines`.
    static func parse(_ lines: [NPUSMILine]) -> NPUSMIMappingTable {
        var table = NPUSMIMappingTable()
        var columns: [Column] = []
        for line in lines {
            let text = NPUSMIText.trimmed(line.bytes)
            guard let first = text.first else { continue }
            if first == 0x4E, let header = Self.header(text) {  // "N"
                columns = header
                table.recognised = true
                continue
            }
            guard !columns.isEmpty else { continue }
            let words = NPUSMIText.words(text)
            guard let lead = words.first, NPUSMIText.int(lead) != nil else { continue }
            guard words.count >= columns.count, let npu = Self.row(words, columns: columns)
            else {
                if table.incompleteLine == nil { table.incompleteLine = line.number }
                continue
            }
            // The board's MCU is listed beside the chips on some servers; it runs no work.
            if npu.name?.lowercased() == "mcu" { continue }
            table.npus.append(npu)
        }
        if table.recognised, table.npus.isEmpty, table.incompleteLine == nil {
            table.incompleteLine = 0
        }
        return table
    }

    /// The columns of a header line, or nil when `text` is not one.
    ///
    /// npu-smi pads columns with runs of spaces, and names have single spaces inside; a paste
    /// that collapsed the runs (a chat client, a web page) leaves one run of words. So the
    /// header is split at runs of two or more blanks (or a tab) first, and any part that is
    /// not one known name is read as known names in a row (`NPU ID Chip ID Chip Logic ID Chip
    /// Name`), an unknown word standing for a column of its own.
    static func header(_ text: ArraySlice<UInt8>) -> [Column]? {
        guard text.count < 400 else { return nil }
        var columns: [Column] = []
        for part in parts(text) {
            let words = part.split(separator: " ").map { $0.lowercased() }
            if let column = column(words[...]), column != .other || words.count == 1 {
                columns.append(column)
            } else {
                columns += knownNames(words)
            }
        }
        guard columns.first == .npuID, columns.contains(.chipID),
            columns.contains(.chipLogicID) || columns.contains(.name)
        else { return nil }
        return columns
    }

    /// The header's parts between runs of two or more blanks or a tab, inner blanks as one
    /// space.
    static func parts(_ text: ArraySlice<UInt8>) -> [String] {
        var names: [String] = []
        var current: [UInt8] = []
        var blanks = 0
        var tab = false
        for byte in text {
            if NPUSMIText.isBlank(byte) {
                blanks += 1
                tab = tab || byte == NPUSMIText.tab
                continue
            }
            if blanks >= 2 || tab, !current.isEmpty {
                names.append(String(decoding: current, as: UTF8.self))
                current = []
            } else if blanks > 0, !current.isEmpty {
                current.append(NPUSMIText.space)
            }
            blanks = 0
            tab = false
            current.append(byte)
        }
        if !current.isEmpty { names.append(String(decoding: current, as: UTF8.self)) }
        return names
    }

    /// The column a whole header name (lower-case words) stands for; nil for no name.
    static func column(_ words: ArraySlice<String>) -> Column? {
        switch words.joined(separator: " ") {
        case "": nil
        case "npu id", "npu": .npuID
        case "chip id": .chipID
        case "chip logic id": .chipLogicID
        case "chip phy-id", "chip phy id", "chip phyid": .phyID
        case "chip name": .name
        default: .other
        }
    }

    /// Known names read from a run of words, longest first; a word that starts none is a
    /// column of its own.
    static func knownNames(_ words: [String]) -> [Column] {
        var columns: [Column] = []
        var index = 0
        while index < words.count {
            var taken = 1
            var found = Column.other
            for length in stride(from: min(3, words.count - index), through: 2, by: -1) {
                if let column = column(words[index..<(index + length)]), column != .other {
                    taken = length
                    found = column
                    break
                }
            }
            columns.append(found)
            index += taken
        }
        return columns
    }

    /// One chip from a row's words, or nil when the ids are not numbers.
    ///
    /// Every column but the name is one word; the name (`Ascend 910B4`, `MiniD`) takes the
    /// words the others leave, wherever it stands, so the row reads the same however its
    /// spacing was changed.
    static func row(_ words: [ArraySlice<UInt8>], columns: [Column]) -> AscendNPU? {
        var npuID: Int?
        var chipID: Int?
        var npu = AscendNPU(npuID: 0, chipID: 0)
        let nameWords = columns.contains(.name) ? words.count - (columns.count - 1) : 1
        var position = 0
        for column in columns {
            let word = words[position]
            switch column {
            case .npuID: npuID = NPUSMIText.int(word)
            case .chipID: chipID = NPUSMIText.int(word)
            case .chipLogicID: npu.chipLogicID = NPUSMIText.int(word)
            case .phyID: npu.phyID = NPUSMIText.int(word)
            case .name:
                npu.name = NPUSMIText.joined(words[position..<(position + nameWords)])
                position += nameWords - 1
            case .other: break
            }
            position += 1
        }
        guard let npuID, let chipID else { return nil }
        npu.npuID = npuID
        npu.chipID = chipID
        return npu
    }
}
