/// The exact shapes catalog values must have, checked byte by byte over ASCII.
///
/// Catalog text ends up in pip commands and Dockerfiles, so nothing here accepts spaces,
/// signs, Unicode digits or anything beyond the characters a version needs.
enum CatalogShape {
    /// The machines wheels are built for, as `uname -m` prints them.
    static let machines: Set<String> = ["x86_64", "aarch64"]

    /// The numbers of a dotted decimal (`580.65.06` → `[580, 65, 6]`) with a part count in
    /// `parts` and 1–6 ASCII digits per part; nil for anything else.
    static func numbers(_ text: String, parts: ClosedRange<Int>) -> [Int]? {
        let pieces = text.utf8.split(separator: dot, omittingEmptySubsequences: false)
        guard parts.contains(pieces.count) else { return nil }
        var values: [Int] = []
        for piece in pieces {
            guard let value = number(piece) else { return nil }
            values.append(value)
        }
        return values
    }

    /// `X.Y` with 1–2 digits each (`7.5`, `12.0`), as the matcher's compute capability reads.
    static func isComputeCapability(_ text: String) -> Bool {
        let pieces = text.utf8.split(separator: dot, omittingEmptySubsequences: false)
        return pieces.count == 2 && pieces.allSatisfy { (1...2).contains($0.count) && isDigits($0) }
    }

    /// `cu` and 2–3 digits (`cu118`, `cu80`), `cpu`, or `rocm` and a dotted version
    /// (`rocm6.2.4`).
    static func isVariantName(_ name: String) -> Bool {
        if name == "cpu" { return true }
        if cudaVersion(ofVariant: name) != nil { return true }
        guard name.hasPrefix("rocm") else { return false }
        return numbers(String(name.dropFirst(4)), parts: 1...4) != nil
    }

    /// The CUDA version a `cu` variant's name stands for (`cu128` → `12.8`, `cu80` → `8.0`).
    ///
    /// The last digit is the minor version. Nil for names that are not `cu` and 2–3 digits.
    static func cudaVersion(ofVariant name: String) -> String? {
        guard name.hasPrefix("cu") else { return nil }
        let digits = name.utf8.dropFirst(2)
        guard (2...3).contains(digits.count), isDigits(digits), digits.first != zero else {
            return nil
        }
        let text = String(decoding: digits, as: UTF8.self)
        return "\(text.dropLast()).\(text.suffix(1))"
    }

    /// A CANN version: `8.0.RC2` or `9.1.0`.
    static func isCANN(_ text: String) -> Bool {
        release(text, candidate: "RC")
    }

    /// An Ascend Extension release: `26.1.0` or `6.0.rc2`.
    static func isAscendExtension(_ text: String) -> Bool {
        release(text, candidate: "rc")
    }

    /// Whether `version` is `torch` followed by nothing, `.postN`, `rcN` or `.rcN`
    /// (`2.1.0.post6`, `2.1.0.rc1` for torch `2.1.0`).
    static func isTorchNPU(_ version: String, extending torch: String) -> Bool {
        guard version.hasPrefix(torch) else { return false }
        let rest = Substring(version.dropFirst(torch.count))
        if rest.isEmpty { return true }
        for marker in [".post", ".rc", "rc"] where rest.hasPrefix(marker) {
            let digits = rest.utf8.dropFirst(marker.utf8.count)
            return (1...6).contains(digits.count) && isDigits(digits)
        }
        return false
    }

    /// A torch_npu wheel's pin of its torch: `==` and `torch` exactly, then nothing, `.*` or a
    /// local version (`==2.5.1+cpu`, `==2.14.0.*`).
    static func isExactTorchPin(_ text: String, torch: String) -> Bool {
        guard text.hasPrefix("==" + torch) else { return false }
        let rest = text.utf8.dropFirst(2 + torch.utf8.count)
        if rest.isEmpty || rest.elementsEqual(".*".utf8) { return true }
        guard rest.first == UInt8(ascii: "+"), (2...32).contains(rest.count) else { return false }
        return rest.dropFirst().allSatisfy {
            (0x61...0x7A).contains($0) || (zero...nine).contains($0) || $0 == dot
        }
    }

    /// A project name as PyPI allows it (PEP 508): ASCII letters, digits, `-`, `_`, `.`, starting
    /// with a letter or digit, 1–64 bytes.
    static func isPackageName(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...64).contains(bytes.count), let first = bytes.first, isAlphanumeric(first)
        else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == dot || $0 == dash || $0 == 0x5F }
    }

    /// A requirement without spaces or markers, as it may end up in a pip line.
    ///
    /// A project name, then optional version clauses (`numpy`, `optree>=0.13.0`,
    /// `numpy<2,>=1.26`).
    static func isRequirement(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let operators: Set<UInt8> = [0x3C, 0x3D, 0x3E, 0x21, 0x7E]
        let nameEnd = bytes.firstIndex { operators.contains($0) } ?? bytes.count
        guard bytes.count <= 128,
            isPackageName(String(decoding: bytes[..<nameEnd], as: UTF8.self))
        else { return false }
        guard nameEnd < bytes.count else { return true }
        for clause in bytes[nameEnd...].split(separator: 0x2C, omittingEmptySubsequences: false) {
            let version = clause.drop { operators.contains($0) }
            let op = clause.count - version.count
            guard (1...2).contains(op), !version.isEmpty,
                version.allSatisfy({ isAlphanumeric($0) || $0 == dot || $0 == 0x2A || $0 == 0x2B })
            else { return false }
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (zero...nine).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let pieces = text.utf8.split(separator: dash, omittingEmptySubsequences: false)
        return pieces.map(\.count) == [4, 2, 2] && pieces.allSatisfy(isDigits)
    }

    /// `X.Y.Z` or `X.Y.<candidate>N`.
    private static func release(_ text: String, candidate: String) -> Bool {
        let pieces = text.utf8.split(separator: dot, omittingEmptySubsequences: false)
        guard pieces.count == 3, number(pieces[0]) != nil, number(pieces[1]) != nil else {
            return false
        }
        let last = pieces[2]
        if number(last) != nil { return true }
        guard last.starts(with: candidate.utf8) else { return false }
        return number(last.dropFirst(candidate.utf8.count)) != nil
    }

    private static func number(_ bytes: some Collection<UInt8>) -> Int? {
        guard (1...6).contains(bytes.count), isDigits(bytes) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - zero) }
    }

    private static func isDigits(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { (zero...nine).contains($0) }
    }

    private static let dot = UInt8(ascii: ".")
    private static let dash = UInt8(ascii: "-")
    private static let zero = UInt8(ascii: "0")
    private static let nine = UInt8(ascii: "9")
}

/// Quoting of catalog values inside messages.
enum CatalogText {
    /// `'value'` with control characters and non-ASCII escaped as `\u{XX}`, cut after 60
    /// characters: a message stays one readable line whatever the file holds.
    static func quoted(_ value: String) -> String {
        var text = ""
        for scalar in value.unicodeScalars.prefix(60) {
            if (0x20..<0x7F).contains(scalar.value) {
                text.unicodeScalars.append(scalar)
            } else {
                text += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        if value.unicodeScalars.count > 60 { text += "..." }
        return "'" + text + "'"
    }
}
