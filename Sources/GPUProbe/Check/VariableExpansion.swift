/// Text after variable expansion, and the names that had no known value.
struct Expanded: Hashable, Sendable {
    /// The text, quotes removed.
    var text: String
    /// Variables used but not known (no default, no `ARG` value, set by the base image or at
    /// build time); their expansion counted as empty.
    var unresolved: [String] = []
}

/// The variables in effect at a point of the build.
///
/// A value may be known only in part: `ENV PATH=/opt/conda/bin:$PATH` knows its own folder but
/// not the base image's `PATH`. Such a value expands to its known part and still counts as
/// unresolved, so checks that read a folder list see the folders while nothing takes the
/// value as complete.
struct Variables: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// Values, the known part for partial ones.
    private(set) var values: [String: String]
    /// Names whose value is known only in part.
    private(set) var partial: Set<String> = []

    init(_ values: [String: String] = [:], partial: Set<String> = []) {
        self.values = values
        self.partial = partial
    }

    init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// A value, wholly known when set through here.
    subscript(name: String) -> String? {
        get { values[name] }
        set {
            values[name] = newValue
            partial.remove(name)
        }
    }

    /// Sets a value known only in part.
    mutating func setPartial(_ name: String, _ value: String) {
        values[name] = value
        partial.insert(name)
    }
}

/// How many bytes variable values may still add to expanded text during one check.
///
/// `ENV B=$A$A`, `ENV C=$B$B`... doubles the text with each line; past the budget, values are
/// left unresolved, so a hostile Dockerfile costs bounded time and memory.
final class ExpansionBudget {
    /// Bytes left.
    var remaining: Int

    /// A budget of `bytes` (64 MiB by default, far above what a real Dockerfile expands to).
    init(bytes: Int = 64 << 20) {
        remaining = bytes
    }

    /// Takes `value` from the budget; false (and nothing taken) when it does not fit.
    func spend(_ value: String) -> Bool {
        let count = value.utf8.count
        guard count <= remaining else { return false }
        remaining -= count
        return true
    }
}

/// `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`: the
/// forms the builder's and the shell's expansions share.
///
/// Other operators (`${NAME#x}`, `${NAME/x/y}`, `${#NAME}`) are not worked out: their text
/// is left unresolved rather than guessed.
enum VariableExpansion {
    /// How far `${a:-${b:-...}}` is followed; deeper text counts as unresolved, so hostile
    /// nesting costs linear time and bounded stack.
    static let maximumDepth = 8

    /// One expansion starting at the `$` at `start`.
    struct Result {
        /// The value (empty for an unknown variable).
        var value: [UInt8]
        /// Unknown variables met.
        var unresolved: [String]
        /// The index just after the expansion.
        var next: Int
    }

    static func isNameStart(_ byte: UInt8) -> Bool {
        byte == 0x5F || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func isNameByte(_ byte: UInt8) -> Bool { isNameStart(byte) || ASCIIBytes.isDigit(byte) }

    /// Expands the `$` form at `start` (`bytes[start] == "$"`), reading no further than `end`.
    ///
    /// - Parameters:
    ///   - bytes: the text.
    ///   - start: the index of the `$`.
    ///   - end: where the word ends.
    ///   - variables: known values.
    ///   - budget: what expansions may still add.
    ///   - depth: the nesting level (0 at the top).
    ///   - word: expands the `word` of `${NAME:-word}` with the caller's quoting rules.
    /// - Returns: nil when the `$` is literal (not followed by a name or a brace).
    static func expand(
        _ bytes: [UInt8],
        at start: Int,
        end: Int,
        variables: Variables,
        budget: ExpansionBudget,
        depth: Int,
        word: (Range<Int>, Int) -> (bytes: [UInt8], unresolved: [String])
    ) -> Result? {
        var partial: [String] = []
        // A known value the budget cannot pay for counts as unknown; a partial one expands
        // to its known part and is reported.
        func lookup(_ name: String) -> String? {
            guard let value = variables[name], budget.spend(value) else { return nil }
            if variables.partial.contains(name) { partial.append(name) }
            return value
        }
        guard
            var result = expandKnown(
                bytes,
                at: start,
                end: end,
                variables: variables,
                depth: depth,
                lookup: lookup,
                word: word
            )
        else { return nil }
        result.unresolved += partial
        return result
    }

    private static func expandKnown(
        _ bytes: [UInt8],
        at start: Int,
        end: Int,
        variables: Variables,
        depth: Int,
        lookup: (String) -> String?,
        word: (Range<Int>, Int) -> (bytes: [UInt8], unresolved: [String])
    ) -> Result? {
        let index = start + 1
        guard index < end else { return nil }
        if isNameStart(bytes[index]) {
            var stop = index
            while stop < end, isNameByte(bytes[stop]) { stop += 1 }
            let name = String(decoding: bytes[index..<stop], as: UTF8.self)
            if let value = lookup(name) {
                return Result(value: Array(value.utf8), unresolved: [], next: stop)
            }
            return Result(value: [], unresolved: [name], next: stop)
        }
        guard bytes[index] == UInt8(ascii: "{") else { return nil }
        guard let close = matchingBrace(bytes, from: index + 1, end: end) else {
            // `${` never closed: the rest of the word is one unknown expansion.
            return Result(
                value: [],
                unresolved: [String(decoding: bytes[start..<end].prefix(40), as: UTF8.self)],
                next: end
            )
        }
        let inner = (index + 1)..<close
        var stop = inner.lowerBound
        while stop < inner.upperBound, isNameByte(bytes[stop]) { stop += 1 }
        let name = String(decoding: bytes[inner.lowerBound..<stop], as: UTF8.self)
        let unknown = Result(
            value: [],
            unresolved: [String(decoding: bytes[start...close].prefix(60), as: UTF8.self)],
            next: close + 1
        )
        guard !name.isEmpty, isNameStart(bytes[inner.lowerBound]) else { return unknown }
        let known = lookup(name)
        if stop == inner.upperBound {
            return known.map { Result(value: Array($0.utf8), unresolved: [], next: close + 1) }
                ?? Result(value: [], unresolved: [name], next: close + 1)
        }
        var operatorEnd = stop
        let colon = bytes[operatorEnd] == UInt8(ascii: ":")
        if colon { operatorEnd += 1 }
        guard operatorEnd < inner.upperBound, depth < maximumDepth else { return unknown }
        let op = bytes[operatorEnd]
        let argument = (operatorEnd + 1)..<inner.upperBound
        // With the colon an empty value counts as unset.
        let isSet = known.map { !colon || !$0.isEmpty } ?? false
        switch op {
        case UInt8(ascii: "-"):
            if isSet, let known {
                return Result(value: Array(known.utf8), unresolved: [], next: close + 1)
            }
            let (value, unresolved) = word(argument, depth + 1)
            return Result(value: value, unresolved: unresolved, next: close + 1)
        case UInt8(ascii: "+"):
            guard isSet else {
                return Result(
                    value: [],
                    unresolved: known == nil ? [name] : [],
                    next: close + 1
                )
            }
            let (value, unresolved) = word(argument, depth + 1)
            return Result(value: value, unresolved: unresolved, next: close + 1)
        case UInt8(ascii: "?"):
            if let known {
                return Result(value: Array(known.utf8), unresolved: [], next: close + 1)
            }
            return Result(value: [], unresolved: [name], next: close + 1)
        default:
            return unknown
        }
    }

    /// The index of the `}` that closes a `${` whose content starts at `from`, counting nested
    /// `${`; nil when there is none before `end`.
    static func matchingBrace(_ bytes: [UInt8], from: Int, end: Int) -> Int? {
        var depth = 0
        var index = from
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "{") {
                depth += 1
                index += 2
                continue
            }
            if byte == UInt8(ascii: "}") {
                if depth == 0 { return index }
                depth -= 1
            }
            index += 1
        }
        return nil
    }
}
