/// The builder's own word rules for instruction arguments (`FROM`, `COPY`, `ENV`, `ARG`,
/// `WORKDIR`...), which differ from the shell's: the escape character comes from
/// `# escape=`, and inside double quotes it only escapes `"`, `$` and itself
/// (moby/buildkit `frontend/dockerfile/shell/lex.go`).
///
/// `RUN` scripts are not read with these rules; ``ShellScript`` reads them as `/bin/sh` would.
enum DockerWords {
    /// Blank-separated words with quotes kept (the builder's `parseWords`, used for `ENV`,
    /// `ARG` and `LABEL` pairs).
    static func split(_ text: String, escape: UInt8) -> [String] {
        let bytes = Array(text.utf8)
        return DockerfileParser.rawWords(bytes[...], escape: escape).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Blank-separated words, quotes not considered (the builder's split for `FROM`, `COPY`
    /// and `ADD`, whose words are then expanded one by one).
    static func fields(_ text: Substring) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// One word with quotes removed, escapes applied and variables expanded.
    ///
    /// - Parameters:
    ///   - word: the word as written.
    ///   - variables: the `ARG` and `ENV` values in effect.
    ///   - escape: the escape character.
    ///   - budget: what expansions may still add.
    /// - Returns: the text and the variables that had no known value.
    static func process(
        _ word: String,
        variables: Variables,
        escape: UInt8,
        budget: ExpansionBudget = ExpansionBudget()
    ) -> Expanded {
        let bytes = Array(word.utf8)
        let (out, unresolved) = process(
            bytes,
            0..<bytes.count,
            variables: variables,
            escape: escape,
            budget: budget,
            depth: 0
        )
        return Expanded(text: String(decoding: out, as: UTF8.self), unresolved: unresolved)
    }

    private static func process(
        _ bytes: [UInt8],
        _ range: Range<Int>,
        variables: Variables,
        escape: UInt8,
        budget: ExpansionBudget,
        depth: Int
    ) -> ([UInt8], [String]) {
        var out: [UInt8] = []
        var unresolved: [String] = []
        var index = range.lowerBound
        let end = range.upperBound
        let nested: (Range<Int>, Int) -> (bytes: [UInt8], unresolved: [String]) = {
            process(bytes, $0, variables: variables, escape: escape, budget: budget, depth: $1)
        }
        func dollar() -> Bool {
            guard
                let result = VariableExpansion.expand(
                    bytes,
                    at: index,
                    end: end,
                    variables: variables,
                    budget: budget,
                    depth: depth,
                    word: nested
                )
            else { return false }
            out += result.value
            unresolved += result.unresolved
            index = result.next
            return true
        }
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"):
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "'") {
                    out.append(bytes[index])
                    index += 1
                }
                index += 1
            case UInt8(ascii: "\""):
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    let inner = bytes[index]
                    if inner == escape, index + 1 < end {
                        let next = bytes[index + 1]
                        if next == UInt8(ascii: "\"") || next == UInt8(ascii: "$") || next == escape
                        {
                            out.append(next)
                            index += 2
                            continue
                        }
                    }
                    if inner == UInt8(ascii: "$"), dollar() { continue }
                    out.append(inner)
                    index += 1
                }
                index += 1
            case escape:
                if index + 1 < end { out.append(bytes[index + 1]) }
                index += 2
            case UInt8(ascii: "$"):
                if !dollar() {
                    out.append(byte)
                    index += 1
                }
            default:
                out.append(byte)
                index += 1
            }
        }
        return (out, unresolved)
    }
}
