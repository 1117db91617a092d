/// The names NVIDIA's supported-gpus.json lists give each PCI device ID, read backwards: the
/// chip of a GPU known only by the name nvidia-smi's table or CSV prints (a paste has no
/// device ID; `-q` and a probe do).
public enum NvidiaGPUNames {
    /// The chip a GPU name stands for, with the device IDs the lists give that name.
    ///
    /// Names compare without case, runs of blanks and a leading `NVIDIA ` (R470 and older
    /// print `Tesla K80`, newer drivers `NVIDIA GeForce ...`). A name the table cut with `...`
    /// or `…` matches every listed name it begins. The answer is nil unless every matching
    /// device is a chip ``NvidiaChips`` knows and all of them share one architecture and
    /// compute capability: the name must decide it. `NVIDIA Graphics Device`, the placeholder
    /// of a board the driver cannot name, decides nothing. Chips newer than the newest list
    /// (555.58.02) are not there; their names give nil.
    ///
    /// - Parameter name: the GPU's name as printed.
    /// - Returns: the chip of the first matching device (its code name is one of several
    ///   where boards differ) and the matching device IDs, ascending.
    public static func chip(named name: String) -> (chip: NvidiaChip, deviceIDs: [UInt16])? {
        var key = normalised(name)
        var cut = false
        for ellipsis in ["...", "\u{2026}"] where key.hasSuffix(ellipsis) {
            key = String(key.dropLast(ellipsis.count)).trimmingASCIIWhitespace()
            cut = true
        }
        // A cut name of a word or two ("geforce ...") says nothing, and neither does the
        // placeholder a driver prints for a board it has no name for (one list even names a
        // device so).
        guard key.count >= (cut ? 8 : 1), !"graphics device".hasPrefix(key) else { return nil }
        let ids = Set(
            table.filter { cut ? $0.key.hasPrefix(key) : $0.key == key }.map(\.id)
        ).sorted()
        let chips = ids.map(NvidiaChips.lookup(deviceID:))
        guard let first = chips.first ?? nil, chips.allSatisfy({ $0 != nil }),
            Set(chips.map { "\($0?.architecture ?? "") \($0?.computeCapability ?? "")" }).count
                == 1
        else { return nil }
        return (first, ids)
    }

    /// Lower case, single blanks, no leading `nvidia `.
    static func normalised(_ name: String) -> String {
        var text = name.lowercased().split { $0 == " " || $0 == "\t" }.joined(separator: " ")
        if text.hasPrefix("nvidia ") { text.removeFirst("nvidia ".count) }
        return text
    }

    /// The embedded pairs, keyed by normalised name.
    static let table: [(key: String, id: UInt16)] = embeddedText.split(separator: "\n")
        .compactMap { raw in
            let line = raw.drop { $0 == " " }
            guard let tab = line.firstIndex(of: "\t"),
                let id = UInt16(line[..<tab], radix: 16)
            else { return nil }
            return (normalised(String(line[line.index(after: tab)...])), id)
        }
}
