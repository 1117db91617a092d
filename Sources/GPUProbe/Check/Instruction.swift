/// One instruction of a Dockerfile as the builder sees it: continuation lines joined, comment
/// lines inside it dropped, its heredoc bodies read.
struct Instruction: Hashable, Sendable {
    /// The 1-based line the instruction starts on; every finding about it names this line.
    var line: Int
    /// The instruction word, upper-cased (`RUN`, `COPY`).
    var keyword: String
    /// Everything after the keyword, flags included, as one line.
    var arguments: String
    /// The heredocs the line opens, in order.
    var heredocs: [Heredoc]
}

/// The body of a heredoc such as `<<EOF`, read up to its terminator line.
struct Heredoc: Hashable, Sendable {
    /// The terminator word, quotes removed (`EOF`).
    var name: String
    /// The body, one `\n` after each line; leading tabs removed for `<<-`.
    var content: String
    /// False when the terminator was quoted (`<<'EOF'`): no variables are expanded in it.
    var expands: Bool
}

/// A `--name=value` flag before an instruction's arguments (`--from=build`, `--mount=...`).
struct InstructionFlag: Hashable, Sendable {
    /// The name without the dashes, lower-cased (`from`, `chmod`).
    var name: String
    /// The value after `=`, quotes removed; nil for a bare `--link`.
    var value: String?
}

extension Instruction {
    /// The leading `--flags` and the text after them, split as the builder does.
    var flagsAndRest: (flags: [InstructionFlag], rest: Substring) {
        var flags: [InstructionFlag] = []
        var rest = arguments[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix("--") else { break }
            var word = ""
            var quote: Character?
            var index = rest.startIndex
            while index < rest.endIndex {
                let character = rest[index]
                if let open = quote {
                    if character == open { quote = nil } else { word.append(character) }
                } else if character == " " || character == "\t" {
                    break
                } else if character == "\"" || character == "'" {
                    quote = character
                } else {
                    word.append(character)
                }
                index = rest.index(after: index)
            }
            rest = rest[index...]
            if word == "--" { break }
            let body = word.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                flags.append(
                    InstructionFlag(
                        name: body[..<equals].lowercased(),
                        value: String(body[body.index(after: equals)...])
                    )
                )
            } else {
                flags.append(InstructionFlag(name: body.lowercased(), value: nil))
            }
        }
        return (flags, rest)
    }

    /// The exec form (`["a", "b"]`) of the arguments after the flags, or nil for the shell form.
    var execForm: [String]? {
        let rest = flagsAndRest.rest
        guard rest.first == "[" else { return nil }
        return JSONStringArray.parse(rest)
    }
}
