/// The exec form of `RUN`, `SHELL`, `CMD`, `COPY`: a JSON array of strings.
///
/// A few lines instead of JSONDecoder keep the Dockerfile reader free of Foundation; the
/// builder treats text that is not such an array as the shell form, and so does this.
enum JSONStringArray {
    /// The strings of `text` (`["/bin/bash", "-c"]`), or nil when it is not exactly a JSON
    /// array of strings (surrounding blanks allowed).
    static func parse(_ text: Substring) -> [String]? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipBlanks() {
            while index < scalars.count, " \t\r\n".unicodeScalars.contains(scalars[index]) {
                index += 1
            }
        }
        skipBlanks()
        guard index < scalars.count, scalars[index] == "[" else { return nil }
        index += 1
        var result: [String] = []
        skipBlanks()
        if index < scalars.count, scalars[index] == "]" {
            index += 1
            skipBlanks()
            return index == scalars.count ? result : nil
        }
        while true {
            skipBlanks()
            guard index < scalars.count, scalars[index] == "\"",
                let string = readString(scalars, &index)
            else { return nil }
            result.append(string)
            skipBlanks()
            guard index < scalars.count else { return nil }
            if scalars[index] == "," {
                index += 1
                continue
            }
            guard scalars[index] == "]" else { return nil }
            index += 1
            skipBlanks()
            return index == scalars.count ? result : nil
        }
    }

    /// Reads one JSON string starting at the opening quote; nil when malformed.
    private static func readString(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String? {
        index += 1
        var out = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\"":
                return String(out)
            case "\\":
                guard index < scalars.count else { return nil }
                let escaped = scalars[index]
                index += 1
                switch escaped {
                case "\"", "\\", "/": out.append(escaped)
                case "b": out.append("\u{8}")
                case "f": out.append("\u{C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    guard let unit = hex4(scalars, &index) else { return nil }
                    if (0xD800..<0xDC00).contains(unit) {
                        guard index + 1 < scalars.count, scalars[index] == "\\",
                            scalars[index + 1] == "u"
                        else { return nil }
                        index += 2
                        guard let low = hex4(scalars, &index), (0xDC00..<0xE000).contains(low),
                            let combined = Unicode.Scalar(
                                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            )
                        else { return nil }
                        out.append(combined)
                    } else {
                        guard let single = Unicode.Scalar(unit) else { return nil }
                        out.append(single)
                    }
                default: return nil
                }
            default:
                guard scalar.value >= 0x20 else { return nil }
                out.append(scalar)
            }
        }
        return nil
    }

    private static func hex4(_ scalars: [Unicode.Scalar], _ index: inout Int) -> UInt32? {
        guard index + 4 <= scalars.count else { return nil }
        var value: UInt32 = 0
        for scalar in scalars[index..<index + 4] {
            guard let digit = hexValue(scalar) else { return nil }
            value = value * 16 + digit
        }
        index += 4
        return value
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: scalar.value - 0x30
        case 0x41...0x46: scalar.value - 0x41 + 10
        case 0x61...0x66: scalar.value - 0x61 + 10
        default: nil
        }
    }
}
