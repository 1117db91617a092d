/// A small, forgiving XML tokenizer for `nvidia-smi -q -x` output.
///
/// FoundationXML would pull libxml2 into the binary, which must stay portable; nvidia-smi's
/// XML is simple (no namespaces, no mixed content), so a scanner that handles the prolog,
/// DOCTYPE, comments, CDATA, attributes, self-closing tags and the predefined and numeric
/// entities is enough. It never fails: malformed markup is skipped, and a document cut
/// short just ends (``truncated`` says so). Each byte is looked at a bounded number of
/// times, so scanning is linear in the input.
struct NvidiaSMIXMLScanner {
    /// One piece of the document.
    enum Token: Hashable {
        /// `<name attr="value">`; a self-closing tag is followed by its ``end(_:)``.
        case start(String, attributes: [String: String])
        /// `</name>`.
        case end(String)
        /// Character data with entities replaced, blanks kept.
        case text([UInt8])
    }

    private let bytes: [UInt8]
    private var position = 0
    private var pendingEnd: String?

    /// Whether the input ended inside a tag, comment or declaration.
    private(set) var truncated = false

    /// A scanner over UTF-8 `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next token, or nil at the end of the input.
    mutating func next() -> Token? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name)
        }
        while position < bytes.count {
            guard bytes[position] == lessThan else {
                let start = position
                while position < bytes.count, bytes[position] != lessThan { position += 1 }
                return .text(Self.decodeEntities(bytes[start..<position]))
            }
            if starts(with: "<?") {
                skip(past: "?>")
            } else if starts(with: "<!--") {
                skip(past: "-->")
            } else if starts(with: "<![CDATA[") {
                let start = position + 9
                skip(past: "]]>")
                let end = truncated ? bytes.count : position - 3
                return .text(Array(bytes[start..<max(start, end)]))
            } else if starts(with: "<!") {
                skipDeclaration()
            } else if starts(with: "</") {
                return endTag()
            } else if let token = startTag() {
                return token
            }
        }
        return nil
    }

    private func starts(with literal: StaticString) -> Bool {
        NvidiaSMIText.hasPrefix(bytes[position...], literal)
    }

    /// Moves past the next `terminator`, or to the end (marking the input truncated).
    private mutating func skip(past terminator: StaticString) {
        if let found = NvidiaSMIText.range(of: terminator, in: bytes[(position + 1)...]) {
            position = found.upperBound
        } else {
            position = bytes.count
            truncated = true
        }
    }

    /// `<!DOCTYPE ...>`, including an internal subset in `[...]` and quoted strings.
    private mutating func skipDeclaration() {
        var depth = 0
        var quote: UInt8?
        position += 2
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == doubleQuote || byte == singleQuote {
                quote = byte
            } else if byte == openBracket {
                depth += 1
            } else if byte == closeBracket {
                depth = max(0, depth - 1)
            } else if byte == greaterThan && depth == 0 {
                return
            }
        }
        truncated = true
    }

    private mutating func endTag() -> Token? {
        let start = position + 2
        var index = start
        while index < bytes.count, bytes[index] != greaterThan, bytes[index] != lessThan {
            index += 1
        }
        guard index < bytes.count else {
            position = bytes.count
            truncated = true
            return nil
        }
        position = bytes[index] == greaterThan ? index + 1 : index
        return .end(String(decoding: NvidiaSMIText.trim(bytes[start..<index]), as: UTF8.self))
    }

    /// `<name a="1" b='2'>` or `<name/>`; nil when the tag is cut off or has no name.
    private mutating func startTag() -> Token? {
        var index = position + 1
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[(position + 1)..<index], as: UTF8.self)
        var attributes: [String: String] = [:]
        var selfClosing = false
        while true {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else {
                position = bytes.count
                truncated = true
                return nil
            }
            let byte = bytes[index]
            if byte == greaterThan || byte == lessThan {
                // A stray `<` ends a broken tag so that the next tag still reads.
                index += byte == greaterThan ? 1 : 0
                break
            }
            if byte == slash {
                selfClosing = true
                index += 1
                continue
            }
            selfClosing = false
            let nameStart = index
            while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
            if index == nameStart {
                index += 1  // a byte that fits nowhere: step over it
                continue
            }
            // nvidia-smi writes one attribute (`id`); keeping only a few bounds the memory a
            // junk tag with millions of attributes could take.
            let attribute =
                attributes.count < 8
                ? String(decoding: bytes[nameStart..<index], as: UTF8.self) : ""
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == equalsSign else {
                attributes[attribute] = ""
                continue
            }
            index += 1
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { continue }
            let quote = bytes[index]
            let valueStart: Int
            if quote == doubleQuote || quote == singleQuote {
                valueStart = index + 1
                index = valueStart
                while index < bytes.count, bytes[index] != quote { index += 1 }
                attributes[attribute] = String(
                    decoding: Self.decodeEntities(bytes[valueStart..<index]),
                    as: UTF8.self
                )
                if index < bytes.count { index += 1 }
            } else {
                valueStart = index
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != greaterThan {
                    index += 1
                }
                attributes[attribute] = String(decoding: bytes[valueStart..<index], as: UTF8.self)
            }
        }
        position = index
        if name.isEmpty { return nil }
        if selfClosing { pendingEnd = name }
        return .start(name, attributes: attributes)
    }

    /// `text` with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` and `&#xH;` replaced;
    /// anything else that starts with `&` is kept as written.
    static func decodeEntities(_ text: ArraySlice<UInt8>) -> [UInt8] {
        guard text.contains(ampersand) else { return Array(text) }
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            guard byte == ampersand else {
                result.append(byte)
                index += 1
                continue
            }
            // Entities are short; looking at most 12 bytes ahead keeps this linear.
            let limit = min(text.endIndex, index + 12)
            guard let semicolon = text[index..<limit].firstIndex(of: semicolonByte),
                let replacement = entity(text[(index + 1)..<semicolon])
            else {
                result.append(byte)
                index += 1
                continue
            }
            result.append(contentsOf: replacement)
            index = semicolon + 1
        }
        return result
    }

    /// The UTF-8 bytes an entity name (between `&` and `;`) stands for.
    private static func entity(_ name: ArraySlice<UInt8>) -> [UInt8]? {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return [ampersand]
        case "lt": return [lessThan]
        case "gt": return [greaterThan]
        case "quot": return [doubleQuote]
        case "apos": return [singleQuote]
        default: break
        }
        guard name.first == 0x23 else { return nil }  // `#`
        var digits = name.dropFirst()
        var radix = 10
        if let first = digits.first, first == 0x78 || first == 0x58 {  // `x` or `X`
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8,
            let code = UInt32(String(decoding: digits, as: UTF8.self), radix: radix),
            let scalar = Unicode.Scalar(code)
        else { return nil }
        return Array(String(Character(scalar)).utf8)
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Letters, digits, `_`, `-`, `.`, `:` and any non-ASCII byte.
    private func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
            || (byte >= 0x30 && byte <= 0x3A) || byte == 0x5F || byte == 0x2D || byte == 0x2E
            || byte >= 0x80
    }

    private static var lessThan: UInt8 { 0x3C }
    private static var greaterThan: UInt8 { 0x3E }
    private static var ampersand: UInt8 { 0x26 }
    private static var semicolonByte: UInt8 { 0x3B }
    private static var doubleQuote: UInt8 { 0x22 }
    private static var singleQuote: UInt8 { 0x27 }
    private var lessThan: UInt8 { Self.lessThan }
    private var greaterThan: UInt8 { Self.greaterThan }
    private var doubleQuote: UInt8 { Self.doubleQuote }
    private var singleQuote: UInt8 { Self.singleQuote }
    private var openBracket: UInt8 { 0x5B }
    private var closeBracket: UInt8 { 0x5D }
    private var slash: UInt8 { 0x2F }
    private var equalsSign: UInt8 { 0x3D }
}
