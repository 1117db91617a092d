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
    static func header(_ text: ArraySlice<UInt8>) -> [Column]? {
        // Columns are two or more blanks apart; names have single spaces inside.
        guard text.count < 400 else { return nil }
        var names: [String] = []
        var current: [UInt8] = []
        var blanks = 0
        for byte in text {
            if NPUSMIText.isBlank(byte) {
                blanks += 1
                continue
            }
            if blanks >= 2 || (blanks == 1 && byte == 0x09), !current.isEmpty {
                names.append(String(decoding: current, as: UTF8.self))
                current = []
            } else if blanks > 0, !current.isEmpty {
                current.append(NPUSMIText.space)
            }
            blanks = 0
            current.append(byte)
        }
        if !current.isEmpty { names.append(String(decoding: current, as: UTF8.self)) }
        let columns = names.map { name -> Column in
            switch name.lowercased() {
            case "npu id", "npu": .npuID
            case "chip id": .chipID
            case "chip logic id": .chipLogicID
            case "chip phy-id", "chip phy id", "chip phyid": .phyID
            case "chip name": .name
            default: .other
            }
        }
        guard columns.first == .npuID, columns.contains(.chipID),
            columns.contains(.chipLogicID) || columns.contains(.name)
        else { return nil }
        return columns
    }

    /// One chip from a row's words, or nil when the ids are not numbers.
    static func row(_ words: [ArraySlice<UInt8>], columns: [Column]) -> AscendNPU? {
        var npuID: Int?
        var chipID: Int?
        var npu = AscendNPU(npuID: 0, chipID: 0)
        for (index, column) in columns.enumerated() {
            let isLast = index == columns.count - 1
            let word = words[index]
            switch column {
            case .npuID: npuID = NPUSMIText.int(word)
            case .chipID: chipID = NPUSMIText.int(word)
            case .chipLogicID: npu.chipLogicID = NPUSMIText.int(word)
            case .phyID: npu.phyID = NPUSMIText.int(word)
            case .name:
                npu.name =
                    isLast ? NPUSMIText.joined(words[index...]) : NPUSMIText.string(word)
            case .other: break
            }
        }
        guard let npuID, let chipID else { return nil }
        npu.npuID = npuID
        npu.chipID = chipID
        return npu
    }
}
