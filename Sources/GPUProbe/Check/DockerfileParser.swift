/// Reads a Dockerfile into instructions the way BuildKit's parser does.
///
/// The rules of moby/buildkit `frontend/dockerfile/parser/parser.go`:
/// - parser directives (`# escape=`, `# syntax=`, `# check=`) only at the very top; the first
///   line that is not one (a comment, a blank line, an instruction) ends them;
/// - a line ending in the escape character (blanks after it allowed) continues on the next;
///   comment lines and blank lines inside a continuation are dropped;
/// - `RUN`, `COPY` and `ADD` lines open heredocs (`<<EOF`, `<<-EOF`, `<<'EOF'`, several per
///   line), whose bodies are the raw lines up to the terminator.
///
/// Works on UTF-8 bytes in one pass, so a 10 MB file or a 1 MB line stays linear.
enum DockerfileParser {
    /// What the parser returns.
    struct Parsed: Hashable, Sendable {
        /// The instructions in order.
        var instructions: [Instruction]
        /// The escape character: `\` unless `# escape=` says `` ` ``.
        var escape: UInt8
    }

    /// Every instruction word the builder knows.
    static let keywords: Set<String> = [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ]

    /// The instructions that may carry heredocs.
    static let heredocKeywords: Set<String> = ["ADD", "COPY", "RUN"]

    private static let backslash = UInt8(ascii: "\\")
    private static let backtick = UInt8(ascii: "`")
    private static let hash = UInt8(ascii: "#")

    /// The most instructions read.
    ///
    /// A real Dockerfile has tens to hundreds, the largest public ones a few thousand. Each
    /// instruction is kept with its text and judged, so a 16 MiB file of `RUN a` lines (2.8
    /// million) took 670 MB and 18 s; at this bound one costs under 100 MB and about a second,
    /// and the 10 MB Dockerfiles `CheckReportTests` judges whole (120,000 instructions) pass.
    static let instructionLimit = 200_000

    /// The longest instruction read, its continuation lines joined and its heredocs with it.
    ///
    /// 2 MiB: the longest `RUN` lines in public Dockerfiles are tens of kilobytes; one of 16 MiB
    /// of `a && ` took 780 MB and 12 s to take apart as a shell script.
    static let instructionByteLimit = 2 << 20

    /// Reads a Dockerfile.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - path: the file's name, for error messages.
    /// - Returns: the instructions and the escape character.
    /// - Throws: ``DockerfileError`` when the builder would refuse the text, or it has more than
    ///   ``instructionLimit`` instructions.
    static func parse(_ text: String, path: String = "Dockerfile") throws(DockerfileError)
        -> Parsed
    {
        let bytes = Array(text.utf8)
        let lines = try splitLines(bytes, path: path)
        var directives = Directives()
        var instructions: [Instruction] = []
        var index = 0
        while index < lines.count {
            let raw = bytes[lines[index]]
            try directives.consider(raw, line: index + 1, path: path)
            index += 1
            let startLine = index
            if isComment(raw) { continue }
            var (content, ended) = trimContinuation(trimLeadingBlanks(raw), directives.escape)
            if ended && content.isEmpty { continue }
            var joined = Array(content)
            while !ended && index < lines.count {
                let next = bytes[lines[index]]
                index += 1
                if isComment(next) || trimLeadingBlanks(next).isEmpty { continue }
                (content, ended) = trimContinuation(next, directives.escape)
                joined += content
                guard joined.count <= Self.instructionByteLimit else { break }
            }
            guard joined.count <= Self.instructionByteLimit else {
                throw DockerfileError(
                    .instructionTooLong(Self.instructionByteLimit),
                    line: startLine,
                    path: path
                )
            }

            guard instructions.count < Self.instructionLimit else {
                throw DockerfileError(
                    .tooManyInstructions(Self.instructionLimit),
                    line: startLine,
                    path: path
                )
            }
            let (keyword, arguments) = splitKeyword(joined)
            var instruction = Instruction(
                line: startLine,
                keyword: keyword,
                arguments: String(decoding: arguments, as: UTF8.self),
                heredocs: []
            )
            if opensHeredocs(keyword: keyword, arguments: arguments) {
                // Heredoc bodies count towards the instruction's bound too.
                var size = joined.count
                for opening in heredocOpenings(in: arguments, escape: directives.escape) {
                    var body: [UInt8] = []
                    var terminated = false
                    while index < lines.count {
                        let line = bytes[lines[index]]
                        index += 1
                        let candidate = opening.chomp ? line.drop { $0 == 0x09 } : line
                        if candidate.elementsEqual(opening.name.utf8) {
                            terminated = true
                            break
                        }
                        body += candidate
                        body.append(0x0A)
                        size += candidate.count + 1
                        guard size <= Self.instructionByteLimit else {
                            throw DockerfileError(
                                .instructionTooLong(Self.instructionByteLimit),
                                line: startLine,
                                path: path
                            )
                        }
                    }
                    guard terminated else {
                        throw DockerfileError(
                            .unterminatedHeredoc(opening.name),
                            line: startLine,
                            path: path
                        )
                    }
                    instruction.heredocs.append(
                        Heredoc(
                            name: opening.name,
                            content: String(decoding: body, as: UTF8.self),
                            expands: opening.expands
                        )
                    )
                }
            }
            try validate(instruction, seenFrom: instructions.contains { $0.keyword == "FROM" })
            instructions.append(instruction)
        }
        guard instructions.contains(where: { $0.keyword == "FROM" }) else {
            throw DockerfileError(.noFrom, line: max(1, lines.count), path: path)
        }
        return Parsed(instructions: instructions, escape: directives.escape)

        func validate(_ instruction: Instruction, seenFrom: Bool) throws(DockerfileError) {
            guard keywords.contains(instruction.keyword) else {
                throw DockerfileError(
                    .unknownInstruction(instruction.keyword),
                    line: instruction.line,
                    path: path
                )
            }
            if !seenFrom, instruction.keyword != "ARG", instruction.keyword != "FROM" {
                throw DockerfileError(
                    .beforeFrom(instruction.keyword),
                    line: instruction.line,
                    path: path
                )
            }
        }
    }

    // MARK: Lines

    /// Line ranges without their `\n` (and one `\r` before it), as Go's `bufio.ScanLines`
    /// gives them; a byte-order mark before the first line is dropped.
    private static func splitLines(_ bytes: [UInt8], path: String) throws(DockerfileError)
        -> [Range<Int>]
    {
        var lines: [Range<Int>] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0:
                throw DockerfileError(.notText, line: lines.count + 1, path: path)
            case 0xEF
            where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] == 0xBD:
                throw DockerfileError(.notUTF8, line: lines.count + 1, path: path)
            case 0x0A:
                let end = index > start && bytes[index - 1] == 0x0D ? index - 1 : index
                lines.append(start..<end)
                start = index + 1
            default:
                break
            }
            index += 1
        }
        if start < bytes.count {
            let end = bytes[bytes.count - 1] == 0x0D ? bytes.count - 1 : bytes.count
            lines.append(start..<max(start, end))
        }
        return lines
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }

    private static func trimLeadingBlanks(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.drop(while: isBlank)
    }

    private static func isComment(_ line: ArraySlice<UInt8>) -> Bool {
        trimLeadingBlanks(line).first == hash
    }

    /// The line without a trailing escape character (and the blanks after it), and whether
    /// the instruction ends on this line.
    private static func trimContinuation(_ line: ArraySlice<UInt8>, _ escape: UInt8)
        -> (ArraySlice<UInt8>, ended: Bool)
    {
        var end = line.endIndex
        while end > line.startIndex, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        if end > line.startIndex, line[end - 1] == escape {
            return (line[line.startIndex..<end - 1], false)
        }
        return (line, true)
    }

    /// The upper-cased first word and the text after the blanks that follow it.
    private static func splitKeyword(_ line: [UInt8]) -> (String, ArraySlice<UInt8>) {
        var lower = 0
        var upper = line.count
        while lower < upper, isBlank(line[lower]) { lower += 1 }
        while upper > lower, isBlank(line[upper - 1]) { upper -= 1 }
        var cut = lower
        while cut < upper, !isBlank(line[cut]) { cut += 1 }
        let keyword = String(decoding: line[lower..<cut], as: UTF8.self).uppercased()
        var rest = cut
        while rest < upper, isBlank(line[rest]) { rest += 1 }
        return (keyword, line[rest..<upper])
    }

    // MARK: Directives

    /// The top-of-file parser directives (`# escape=`): the builder's `DirectiveParser`.
    private struct Directives {
        var escape = DockerfileParser.backslash
        var done = false
        var seen: Set<String> = []

        mutating func consider(_ line: ArraySlice<UInt8>, line number: Int, path: String)
            throws(DockerfileError)
        {
            guard !done else { return }
            guard let (name, value) = DockerfileParser.directive(in: line),
                ["syntax", "escape", "check"].contains(name)
            else {
                done = true
                return
            }
            guard seen.insert(name).inserted else {
                throw DockerfileError(.repeatedDirective(name), line: number, path: path)
            }
            guard name == "escape" else { return }
            switch value {
            case "\\": escape = DockerfileParser.backslash
            case "`": escape = DockerfileParser.backtick
            default: throw DockerfileError(.badEscape(value), line: number, path: path)
            }
        }
    }

    /// `# name = value` (the builder's `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`), the
    /// name lower-cased.
    private static func directive(in raw: ArraySlice<UInt8>) -> (String, String)? {
        let line = trimLeadingBlanks(raw)
        guard line.first == hash else { return nil }
        var index = line.index(after: line.startIndex)
        func skipSpaces() {
            while index < line.endIndex, isBlank(line[index]) || line[index] == 0x0A { index += 1 }
        }
        func isLetter(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        skipSpaces()
        let nameStart = index
        guard index < line.endIndex, isLetter(line[index]) else { return nil }
        while index < line.endIndex, isLetter(line[index]) || ASCIIBytes.isDigit(line[index]) {
            index += 1
        }
        let name = String(decoding: line[nameStart..<index], as: UTF8.self).lowercased()
        skipSpaces()
        guard index < line.endIndex, line[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        skipSpaces()
        var end = line.endIndex
        while end > index, isBlank(line[end - 1]) { end -= 1 }
        guard end > index else { return nil }
        return (name, String(decoding: line[index..<end], as: UTF8.self))
    }

    // MARK: Heredocs

    private struct Opening {
        var name: String
        var chomp: Bool
        var expands: Bool
    }

    private static func opensHeredocs(keyword: String, arguments: ArraySlice<UInt8>) -> Bool {
        // `ONBUILD RUN <<EOF` carries its heredoc like the instruction it wraps.
        let wrapped =
            keyword == "ONBUILD"
            ? String(decoding: arguments.prefix { !isBlank($0) }, as: UTF8.self).uppercased()
            : keyword
        guard heredocKeywords.contains(wrapped) else { return false }
        var previous: UInt8 = 0
        for byte in arguments {
            if byte == 0x3C && previous == 0x3C { return true }
            previous = byte
        }
        return false
    }

    /// The heredocs a line opens: every whole word of the form `[n]<<[-]WORD` (the builder's
    /// `heredocsFromLine`), the name with its quotes removed.
    private static func heredocOpenings(in line: ArraySlice<UInt8>, escape: UInt8) -> [Opening] {
        var openings: [Opening] = []
        for word in rawWords(line, escape: escape) {
            var index = word.startIndex
            while index < word.endIndex, ASCIIBytes.isDigit(word[index]) { index += 1 }
            guard word[index...].starts(with: [0x3C, 0x3C]) else { continue }
            index += 2
            let chomp = index < word.endIndex && word[index] == UInt8(ascii: "-")
            if chomp { index += 1 }
            let rest = word[index...]
            guard !rest.isEmpty, !rest.contains(0x3C) else { continue }
            var name: [UInt8] = []
            var quoted = false
            var quote: UInt8?
            var position = rest.startIndex
            while position < rest.endIndex {
                let byte = rest[position]
                if let open = quote {
                    if byte == open { quote = nil } else { name.append(byte) }
                } else if byte == 0x22 || byte == 0x27 {
                    quote = byte
                    quoted = true
                } else if byte == backslash, position + 1 < rest.endIndex {
                    position += 1
                    name.append(rest[position])
                    quoted = true
                } else {
                    name.append(byte)
                }
                position += 1
            }
            guard !name.isEmpty else { continue }
            openings.append(
                Opening(
                    name: String(decoding: name, as: UTF8.self),
                    chomp: chomp,
                    expands: !quoted
                )
            )
        }
        return openings
    }

    /// Blank-separated words with quotes and escapes kept as written.
    static func rawWords(_ line: ArraySlice<UInt8>, escape: UInt8) -> [ArraySlice<UInt8>] {
        var words: [ArraySlice<UInt8>] = []
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex, isBlank(line[index]) { index += 1 }
            guard index < line.endIndex else { break }
            let start = index
            var quote: UInt8?
            while index < line.endIndex {
                let byte = line[index]
                if let open = quote {
                    if byte == open {
                        quote = nil
                    } else if byte == escape, open == 0x22, index + 1 < line.endIndex {
                        index += 1
                    }
                } else if isBlank(byte) {
                    break
                } else if byte == 0x22 || byte == 0x27 {
                    quote = byte
                } else if byte == escape, index + 1 < line.endIndex {
                    index += 1
                }
                index += 1
            }
            words.append(line[start..<index])
        }
        return words
    }
}
