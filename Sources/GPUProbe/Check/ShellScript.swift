/// One word of a shell command after expansion and quote removal.
struct ScriptWord: Hashable, Sendable {
    /// The text.
    var text: String
    /// Variables or substitutions (`$(...)`, `` `...` ``) whose value is not known here.
    var unresolved: [String] = []
    /// Written with no quoting, escaping or expansion (so `if` is a reserved word).
    var plain = false
}

/// A redirection of a simple command (`> /etc/modprobe.d/x.conf`, `<<EOF`).
struct Redirection: Hashable, Sendable {
    /// `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `&>`...
    var op: String
    /// The file, descriptor, here-string or heredoc terminator.
    var target: String
}

/// A simple command: its words, redirections and the heredoc body fed to it.
struct SimpleCommand: Hashable, Sendable {
    /// The words, assignments before the command name included.
    var words: [ScriptWord] = []
    /// Its redirections.
    var redirections: [Redirection] = []
    /// The body of a `<<` heredoc it reads, when it has one.
    var stdin: String?
    /// The condition it runs under, when its value is not known (see ``ConditionTracker``);
    /// commands known not to run are left out.
    var condition: String?
}

/// Splits a `/bin/sh` script into simple commands the way the shell tokenizes it: on `&&`,
/// `||`, `;`, `|`, `&`, parentheses and newlines outside quotes; single quotes, double
/// quotes and backslashes as POSIX says; `$NAME` and `${NAME...}` expanded from the build's
/// variables and the script's own assignments, unquoted expansions split into fields;
/// heredoc bodies inside the script attached to their command.
///
/// It does not run anything: command substitutions and unknown variables stay unresolved
/// and are named in the words that hold them. Conditions whose value is known from those
/// variables (`if [ "$X" = "v" ]`, `case`, `&&`/`||` on a test) decide which commands are
/// kept; under one whose value is not known, a command carries its text (see
/// ``ConditionTracker``). One pass over the bytes: linear time.
enum ShellScript {
    /// The commands of `script`.
    ///
    /// - Parameters:
    ///   - script: the script text.
    ///   - variables: the values in effect (`ARG` and `ENV`).
    ///   - budget: what expansions may still add.
    ///   - bash: whether bash runs it (`[[` and `==` in `[` are then known), not a POSIX
    ///     `sh` that may be dash.
    /// - Returns: the simple commands that may run, in order.
    static func commands(
        _ script: String,
        variables: Variables,
        budget: ExpansionBudget = ExpansionBudget(),
        bash: Bool = false
    ) -> [SimpleCommand] {
        var lexer = ShellLexer(
            bytes: Array(script.utf8),
            variables: variables,
            budget: budget,
            bash: bash
        )
        return lexer.run()
    }

    /// Words that open or close a compound command or negate a pipeline, at the start of a
    /// command (`case` and `[[` are read on their own).
    static let reserved: Set<String> = [
        "!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "esac",
        "for", "select",
    ]
}

/// The tokenizer behind ``ShellScript``.
private struct ShellLexer {
    let bytes: [UInt8]
    var variables: Variables
    let budget: ExpansionBudget
    var index = 0
    var tracker: ConditionTracker
    /// Where the command being read starts and ends, for the text of a condition.
    var commandStart: Int?
    var commandEnd = 0

    init(bytes: [UInt8], variables: Variables, budget: ExpansionBudget, bash: Bool = false) {
        self.bytes = bytes
        self.variables = variables
        self.budget = budget
        tracker = ConditionTracker(bash: bash, bytes: bytes)
    }

    private struct PendingHeredoc {
        var delimiter: [UInt8]
        var stripTabs: Bool
        var command: Int
    }

    mutating func run() -> [SimpleCommand] {
        var commands: [SimpleCommand] = []
        var current = SimpleCommand()
        var pending: [PendingHeredoc] = []
        var atCommandStart = true
        let count = bytes.count

        func finish(_ lexer: inout ShellLexer) {
            if !current.words.isEmpty || !current.redirections.isEmpty {
                let header = lexer.tracker.inForHeader
                let start = lexer.commandStart ?? lexer.index
                let guardValue = lexer.tracker.command(
                    current.words,
                    range: start..<max(start, lexer.commandEnd)
                )
                if header {
                    // `for NAME in ...`: NAME takes values not worked out here.
                    if let name = current.words.first?.text { lexer.variables[name] = nil }
                }
                if header || guardValue.never {
                    // Its heredoc body is still read, but belongs to no kept command.
                    for i in pending.indices where pending[i].command == commands.count {
                        pending[i].command = -1
                    }
                } else {
                    lexer.applyAssignments(current, certain: guardValue.isAlways)
                    current.condition = guardValue.text
                    commands.append(current)
                }
            }
            current = SimpleCommand()
            atCommandStart = true
            lexer.commandStart = nil
        }

        while index < count {
            let byte = bytes[index]
            switch byte {
            case 0x20, 0x09, 0x0D:
                index += 1
            case 0x5C where index + 1 < count && bytes[index + 1] == 0x0A:
                index += 2
            case 0x0A:
                finish(&self)
                tracker.separator()
                index += 1
                for heredoc in pending {
                    let body = readHeredocBody(heredoc.delimiter, stripTabs: heredoc.stripTabs)
                    if heredoc.command >= 0, heredoc.command < commands.count {
                        commands[heredoc.command].stdin = body
                    }
                }
                pending = []
            case UInt8(ascii: "#"):
                while index < count, bytes[index] != 0x0A { index += 1 }
            case UInt8(ascii: "&") where index + 1 < count && bytes[index + 1] == UInt8(ascii: ">"):
                if commandStart == nil { commandStart = index }
                readRedirection(into: &current, pending: &pending, commandIndex: commands.count)
                commandEnd = index
            case UInt8(ascii: ";"):
                finish(&self)
                index += 1
                if index < count, bytes[index] == UInt8(ascii: ";") || bytes[index] == 0x26 {
                    // `;;`, `;&`, `;;&`: the end of a case clause.
                    index += 1
                    if index < count, bytes[index] == 0x26 { index += 1 }
                    tracker.caseClauseEnd()
                    readCaseHead()
                } else {
                    tracker.separator()
                }
            case UInt8(ascii: "&"):
                finish(&self)
                index += 1
                if index < count, bytes[index] == UInt8(ascii: "&") {
                    index += 1
                    tracker.list(.and)
                } else {
                    tracker.separator()
                }
            case UInt8(ascii: "|"):
                finish(&self)
                index += 1
                if index < count, bytes[index] == UInt8(ascii: "|") {
                    index += 1
                    tracker.list(.or)
                } else {
                    if index < count, bytes[index] == UInt8(ascii: "&") { index += 1 }
                    tracker.pipe()
                }
            case UInt8(ascii: "("):
                finish(&self)
                index += 1
                tracker.openSubshell()
            case UInt8(ascii: ")"):
                finish(&self)
                index += 1
                tracker.closeSubshell()
            case UInt8(ascii: "<"), UInt8(ascii: ">"):
                if commandStart == nil { commandStart = index }
                readRedirection(into: &current, pending: &pending, commandIndex: commands.count)
                commandEnd = index
            default:
                let wordStart = index
                if ASCIIBytes.isDigit(byte), startsDescriptorRedirection() {
                    if commandStart == nil { commandStart = index }
                    readRedirection(into: &current, pending: &pending, commandIndex: commands.count)
                    commandEnd = index
                    continue
                }
                let fields = readWord()
                if atCommandStart, fields.count == 1, fields[0].plain {
                    let word = fields[0].text
                    if ShellScript.reserved.contains(word), tracker.reserved(word) {
                        continue
                    }
                    if word == "case" {
                        readCase()
                        continue
                    }
                    if word == "[[" {
                        commandStart = wordStart
                        current.words = fields
                        readDoubleBracket(into: &current)
                        commandEnd = index
                        atCommandStart = false
                        continue
                    }
                }
                if commandStart == nil { commandStart = wordStart }
                commandEnd = index
                atCommandStart = false
                current.words += fields
            }
        }
        finish(&self)
        return commands
    }

    // MARK: Compound commands

    /// Skips blanks and line continuations, and newlines and comments when `newlines`.
    mutating func skipBlanks(newlines: Bool) {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D:
                index += 1
            case 0x5C where index + 1 < bytes.count && bytes[index + 1] == 0x0A:
                index += 2
            case 0x0A where newlines:
                index += 1
            case UInt8(ascii: "#") where newlines:
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            default:
                return
            }
        }
    }

    /// Whether the bytes at the index are `word` followed by a blank, an operator or the end.
    func startsWord(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count,
            bytes[index..<(index + utf8.count)].elementsEqual(utf8)
        else { return false }
        return index + utf8.count == bytes.count || Self.isMeta(bytes[index + utf8.count])
    }

    /// `case WORD in`, after the `case`; then the first clause's patterns.
    mutating func readCase() {
        skipBlanks(newlines: false)
        let start = index
        let subject = readWord(split: false).first
        let text = String(
            decoding: bytes[start..<min(index, start + 200, bytes.count)],
            as: UTF8.self
        )
        skipBlanks(newlines: true)
        if startsWord("in") { index += 2 }
        tracker.openCase(
            subject: subject.flatMap { $0.unresolved.isEmpty ? $0.text : nil },
            text: text
        )
        readCaseHead()
    }

    /// A clause's `pattern|pattern)`, or the `esac` that ends the `case`.
    mutating func readCaseHead() {
        guard tracker.inCase else { return }
        skipBlanks(newlines: true)
        guard index < bytes.count else { return }
        if startsWord("esac") {
            index += 4
            _ = tracker.reserved("esac")
            return
        }
        if bytes[index] == UInt8(ascii: "(") { index += 1 }
        var patterns: [ScriptWord] = []
        while index < bytes.count {
            skipBlanks(newlines: false)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: ")") {
                index += 1
                break
            }
            if byte == UInt8(ascii: "|") {
                index += 1
                continue
            }
            // A malformed clause: what follows is read as commands.
            if Self.isMeta(byte) { break }
            patterns += readWord(split: false)
        }
        tracker.caseClause(patterns)
    }

    /// The words of `[[ ... ]]` after the `[[`: not split into fields, and `&&`, `||`,
    /// parentheses, `<` and `>` are its own operators, not the shell's.
    mutating func readDoubleBracket(into command: inout SimpleCommand) {
        while index < bytes.count {
            skipBlanks(newlines: false)
            guard index < bytes.count, bytes[index] != 0x0A else { return }
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "]"), next == UInt8(ascii: "]"),
                index + 2 == bytes.count || Self.isMeta(bytes[index + 2])
            {
                command.words.append(ScriptWord(text: "]]", plain: true))
                index += 2
                return
            }
            if (byte == 0x26 || byte == 0x7C), next == byte {
                command.words.append(ScriptWord(text: byte == 0x26 ? "&&" : "||", plain: true))
                index += 2
                continue
            }
            if Self.isMeta(byte) {
                if byte == UInt8(ascii: ";") { return }
                command.words.append(ScriptWord(text: String(UnicodeScalar(byte)), plain: true))
                index += 1
                continue
            }
            command.words += readWord(split: false)
        }
    }

    // MARK: Words

    static func isMeta(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            true
        default:
            false
        }
    }

    /// Reads one word; an unquoted expansion may split it into several fields (unless
    /// `split` is false, as in `[[` and `case`, where an empty expansion is also kept).
    mutating func readWord(split: Bool = true) -> [ScriptWord] {
        var fields: [ScriptWord] = []
        var buffer: [UInt8] = []
        var started = false
        var unresolved: [String] = []
        var plain = true
        let count = bytes.count

        func flush() {
            if started || !unresolved.isEmpty {
                fields.append(
                    ScriptWord(
                        text: String(decoding: buffer, as: UTF8.self),
                        unresolved: unresolved,
                        plain: plain
                    )
                )
            }
            buffer = []
            started = false
            unresolved = []
        }

        while index < count {
            let byte = bytes[index]
            if Self.isMeta(byte) { break }
            switch byte {
            case 0x5C:
                plain = false
                if index + 1 < count {
                    if bytes[index + 1] != 0x0A {
                        buffer.append(bytes[index + 1])
                        started = true
                    }
                    index += 2
                } else {
                    index += 1
                }
            case UInt8(ascii: "'"):
                plain = false
                started = true
                index += 1
                while index < count, bytes[index] != UInt8(ascii: "'") {
                    buffer.append(bytes[index])
                    index += 1
                }
                index += 1
            case UInt8(ascii: "\""):
                plain = false
                started = true
                index += 1
                readDoubleQuoted(&buffer, &unresolved)
            case UInt8(ascii: "`"):
                plain = false
                started = true
                unresolved.append(skipBackticks())
            case UInt8(ascii: "$"):
                plain = false
                let next = index + 1 < count ? bytes[index + 1] : 0
                if next == UInt8(ascii: "(") {
                    started = true
                    unresolved.append(skipCommandSubstitution())
                } else if next == UInt8(ascii: "'") {
                    started = true
                    index += 2
                    readANSIQuoted(&buffer)
                } else if let result = expand(end: bytes.count) {
                    unresolved += result.unresolved
                    // `${X:-"/opt/a b"}`: quotes inside the word keep its value one field.
                    let quoted = bytes[index..<result.next].contains {
                        $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
                    }
                    index = result.next
                    if !split || quoted {
                        buffer += result.value
                        started = true
                        continue
                    }
                    // Unquoted: the value splits into fields on blanks.
                    for valueByte in result.value {
                        if valueByte == 0x20 || valueByte == 0x09 || valueByte == 0x0A {
                            flush()
                        } else {
                            buffer.append(valueByte)
                            started = true
                        }
                    }
                } else if index + 1 < count, isSpecialParameter(next) {
                    unresolved.append("$" + String(UnicodeScalar(next)))
                    index += 2
                } else {
                    buffer.append(byte)
                    started = true
                    index += 1
                }
            default:
                buffer.append(byte)
                started = true
                index += 1
            }
        }
        flush()
        return fields
    }

    func isSpecialParameter(_ byte: UInt8) -> Bool {
        ASCIIBytes.isDigit(byte) || "@*#?-$!".utf8.contains(byte)
    }

    mutating func readDoubleQuoted(_ buffer: inout [UInt8], _ unresolved: inout [String]) {
        let count = bytes.count
        while index < count, bytes[index] != UInt8(ascii: "\"") {
            let byte = bytes[index]
            switch byte {
            case 0x5C where index + 1 < count && "$`\"\\\n".utf8.contains(bytes[index + 1]):
                if bytes[index + 1] != 0x0A { buffer.append(bytes[index + 1]) }
                index += 2
            case UInt8(ascii: "`"):
                unresolved.append(skipBackticks())
            case UInt8(ascii: "$"):
                let next = index + 1 < count ? bytes[index + 1] : 0
                if next == UInt8(ascii: "(") {
                    unresolved.append(skipCommandSubstitution())
                } else if let result = expand(end: bytes.count) {
                    buffer += result.value
                    unresolved += result.unresolved
                    index = result.next
                } else if index + 1 < count, isSpecialParameter(next) {
                    unresolved.append("$" + String(UnicodeScalar(next)))
                    index += 2
                } else {
                    buffer.append(byte)
                    index += 1
                }
            default:
                buffer.append(byte)
                index += 1
            }
        }
        index += 1
    }

    /// `$'...'`: bash's ANSI-C quoting, the common escapes applied.
    mutating func readANSIQuoted(_ buffer: inout [UInt8]) {
        let count = bytes.count
        while index < count, bytes[index] != UInt8(ascii: "'") {
            if bytes[index] == 0x5C, index + 1 < count {
                let escaped = bytes[index + 1]
                switch escaped {
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "t"): buffer.append(0x09)
                default: buffer.append(escaped)
                }
                index += 2
            } else {
                buffer.append(bytes[index])
                index += 1
            }
        }
        index += 1
    }

    mutating func expand(end: Int) -> VariableExpansion.Result? {
        let bytes = self.bytes
        let variables = self.variables
        let budget = self.budget
        func word(_ range: Range<Int>, _ depth: Int) -> (bytes: [UInt8], unresolved: [String]) {
            var inner = ShellLexer(bytes: Array(bytes[range]), variables: variables, budget: budget)
            let fields = inner.readWordDepth(depth)
            return (
                Array(fields.map(\.text).joined(separator: " ").utf8),
                fields.flatMap(\.unresolved)
            )
        }
        return VariableExpansion.expand(
            bytes,
            at: index,
            end: end,
            variables: variables,
            budget: budget,
            depth: depth,
            word: word
        )
    }

    /// Nesting level of `${a:-${b:-...}}` words being read.
    var depth = 0

    mutating func readWordDepth(_ depth: Int) -> [ScriptWord] {
        self.depth = depth
        var fields: [ScriptWord] = []
        while index < bytes.count {
            if Self.isMeta(bytes[index]) {
                index += 1
                continue
            }
            fields += readWord()
        }
        return fields
    }

    /// Skips `` `...` ``; returns it (shortened) as an unresolved name.
    mutating func skipBackticks() -> String {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "`") {
            index += bytes[index] == 0x5C ? 2 : 1
        }
        index = min(index + 1, bytes.count)
        return String(decoding: bytes[start..<index].prefix(40), as: UTF8.self)
    }

    /// Skips `$( ... )` (and `$(( ... ))`), quotes inside respected; returns it (shortened).
    mutating func skipCommandSubstitution() -> String {
        let start = index
        index += 2
        var depth = 1
        while index < bytes.count, depth > 0 {
            switch bytes[index] {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "'"):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == 0x5C ? 2 : 1
                }
            case 0x5C:
                index += 1
            default:
                break
            }
            index += 1
        }
        index = min(index, bytes.count)
        return String(decoding: bytes[start..<index].prefix(40), as: UTF8.self)
    }

    // MARK: Redirections

    func startsDescriptorRedirection() -> Bool {
        var probe = index
        while probe < bytes.count, ASCIIBytes.isDigit(bytes[probe]) { probe += 1 }
        return probe < bytes.count && (bytes[probe] == UInt8(ascii: "<") || bytes[probe] == 0x3E)
    }

    private mutating func readRedirection(
        into command: inout SimpleCommand,
        pending: inout [PendingHeredoc],
        commandIndex: Int
    ) {
        while index < bytes.count, ASCIIBytes.isDigit(bytes[index]) { index += 1 }
        let opText = readOperator()
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        if opText == "<<" || opText == "<<-" {
            let start = index
            while index < bytes.count, !Self.isMeta(bytes[index]) { index += 1 }
            let delimiter = bytes[start..<index].filter {
                $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\"") && $0 != 0x5C
            }
            pending.append(
                PendingHeredoc(
                    delimiter: delimiter,
                    stripTabs: opText == "<<-",
                    command: commandIndex
                )
            )
            command.redirections.append(
                Redirection(op: opText, target: String(decoding: delimiter, as: UTF8.self))
            )
            return
        }
        let target = readWord().map(\.text).joined(separator: " ")
        command.redirections.append(Redirection(op: opText, target: target))
    }

    /// Reads `<`, `<<`, `<<-`, `<<<`, `<>`, `<&`, `>`, `>>`, `>|`, `>&`, `&>` or `&>>`.
    mutating func readOperator() -> String {
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        let less = UInt8(ascii: "<")
        let greater = UInt8(ascii: ">")
        let ampersand = UInt8(ascii: "&")
        if take(less) {
            if take(less) {
                if take(less) { return "<<<" }
                return take(UInt8(ascii: "-")) ? "<<-" : "<<"
            }
            if take(greater) { return "<>" }
            return take(ampersand) ? "<&" : "<"
        }
        if take(ampersand) {
            _ = take(greater)
            return take(greater) ? "&>>" : "&>"
        }
        _ = take(greater)
        if take(greater) { return ">>" }
        if take(UInt8(ascii: "|")) { return ">|" }
        return take(ampersand) ? ">&" : ">"
    }

    /// The lines after the current one up to `delimiter`, which is consumed.
    mutating func readHeredocBody(_ delimiter: [UInt8], stripTabs: Bool) -> String {
        var body: [UInt8] = []
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            if stripTabs { line = line.drop { $0 == 0x09 } }
            index = min(end + 1, bytes.count)
            if line.elementsEqual(delimiter) { break }
            body += line
            body.append(0x0A)
        }
        return String(decoding: body, as: UTF8.self)
    }

    // MARK: Assignments

    /// Applies `A=1` alone, or `export A=1 B=2`, to the commands after it.
    ///
    /// `unset A` removes one. Under a condition whose value is not known (`certain` false) the
    /// value afterwards is not known either.
    mutating func applyAssignments(_ command: SimpleCommand, certain: Bool) {
        let words = command.words
        guard let first = words.first else { return }
        if first.plain, first.text == "unset" {
            for word in words.dropFirst() { variables[word.text] = nil }
            return
        }
        let assignments: ArraySlice<ScriptWord>
        if first.plain, first.text == "export" || first.text == "readonly" {
            assignments = words.dropFirst().filter { !$0.text.hasPrefix("-") }[...]
        } else if words.allSatisfy({ Self.assignment($0) != nil }) {
            assignments = words[...]
        } else {
            return
        }
        for word in assignments {
            guard let (name, value) = Self.assignment(word) else { continue }
            variables[name] = word.unresolved.isEmpty && certain ? value : nil
        }
    }

    /// `NAME=value` split; nil for other words.
    static func assignment(_ word: ScriptWord) -> (String, String)? {
        guard let equals = word.text.firstIndex(of: "=") else { return nil }
        let name = word.text[..<equals]
        guard let head = name.utf8.first, VariableExpansion.isNameStart(head),
            name.utf8.allSatisfy(VariableExpansion.isNameByte)
        else { return nil }
        return (String(name), String(word.text[word.text.index(after: equals)...]))
    }
}
