/// When a command of a `RUN` script runs, as far as the values known before the build tell.
///
/// `Always` and `never` come only from conditions whose value is known (a `[ "$X" = "v" ]` on a
/// known `X`, `true`, `false`, a `case` on a known word); everything else is `when`, the
/// conditions as written, so a judge can say its finding holds only in that branch.
struct ShellGuard: Hashable, Sendable {
    /// The conditions, all of which must hold; empty means the command always runs.
    private(set) var conditions: [String] = []
    /// The command never runs.
    private(set) var never = false

    /// Runs whatever the values.
    static let always = ShellGuard()
    /// Never runs.
    static let never = ShellGuard(conditions: [], never: true)

    /// Runs only when `text` holds, its value unknown here.
    static func when(_ text: String) -> ShellGuard {
        ShellGuard(conditions: [ShellCondition.short(text)], never: false)
    }

    /// At most this many conditions are kept (nesting deeper than this adds "…"), so the text
    /// of a condition stays one short line and combining guards stays constant time.
    static let maximumConditions = 3

    var isAlways: Bool { !never && conditions.isEmpty }

    /// The conditions as one line, nil when the command always runs (or never does).
    var text: String? {
        guard !conditions.isEmpty, !never else { return nil }
        guard conditions.count > 1 else { return conditions[0] }
        return conditions.map { $0.containsText(" || ") ? "(\($0))" : $0 }
            .joined(separator: " and ")
    }

    /// Both must hold.
    func and(_ other: ShellGuard) -> ShellGuard {
        if never || other.never { return .never }
        var result = self
        for condition in other.conditions where !result.conditions.contains(condition) {
            if result.conditions.count < Self.maximumConditions {
                result.conditions.append(condition)
            } else if result.conditions.last != "…" {
                result.conditions[Self.maximumConditions - 1] = "…"
            }
        }
        return result
    }

    /// Either holds.
    func or(_ other: ShellGuard) -> ShellGuard {
        if isAlways || other.isAlways { return .always }
        if never { return other }
        if other.never || self == other { return self }
        // A text already cut at the bound shows no more for what is added: long `&&` chains
        // stay constant work per command.
        if conditions.count == 1, conditions[0].hasSuffix("…") { return self }
        return .when(parenthesized + " || " + other.parenthesized)
    }

    /// The text, in parentheses when it joins several conditions.
    private var parenthesized: String {
        let joined = text ?? ""
        return conditions.count > 1 ? "(\(joined))" : joined
    }

    /// The opposite.
    func negated() -> ShellGuard {
        if never { return .always }
        guard let text else { return .never }
        let simple = conditions.count == 1 && !text.containsText(" || ")
        if simple, text.hasPrefix("! ") { return .when(String(text.dropFirst(2))) }
        return .when(simple ? "! " + text : "! (\(text))")
    }
}

/// Evaluates the conditions a script tests with `[`, `test`, `[[`, `true`, `false` and `case`
/// patterns, on values known before the build.
///
/// Only what the shells agree on is known. Everything that reads the file system (`-f`, `-d`),
/// the environment of the running build, or what a shell does differently is unknown (nil),
/// never guessed: `[ a == a ]` is true in bash and busybox but an error (false) in dash, which is
/// `/bin/sh` on Debian and Ubuntu, so it is known only when the strings differ (false in every
/// shell) or the shell is bash.
enum ShellCondition {
    /// The longest condition text kept, in characters.
    static let maximumText = 80

    /// `text` on one line, blanks collapsed, cut to ``maximumText`` bytes (at a character
    /// boundary) with "…": one pass over the bytes it keeps.
    static func short(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(min(text.utf8.count, maximumText + 4))
        var blank = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                blank = !result.isEmpty
                continue
            }
            // Cut before a character that would start past the bound.
            if result.count >= maximumText, byte & 0xC0 != 0x80 {
                return String(decoding: result, as: UTF8.self) + "…"
            }
            if blank { result.append(0x20) }
            blank = false
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The status of a test command (`[`, `test`, `[[`, `true`, `false`, `:`), or nil when the
    /// command is no test or its value is not known here.
    ///
    /// - Parameters:
    ///   - words: the command's words, the program first (`[[` words not field-split).
    ///   - bash: whether the shell is bash (or zsh, ksh), not a POSIX `sh` that may be dash.
    /// - Returns: `.some(true)` for success, `.some(false)` for failure, nil when unknown or no
    ///   test; see ``isTest(_:)`` to tell the two apart.
    static func evaluate(_ words: [ScriptWord], bash: Bool) -> Bool? {
        guard let first = words.first else { return nil }
        switch first.text {
        case "true", ":": return words.count >= 1 && first.unresolved.isEmpty ? true : nil
        case "false": return first.unresolved.isEmpty ? false : nil
        case "[":
            guard words.count >= 2, words.last?.text == "]", words.last?.plain == true else {
                return nil
            }
            return testExpression(Array(words.dropFirst().dropLast()), bash: bash, double: false)
        case "test":
            return testExpression(Array(words.dropFirst()), bash: bash, double: false)
        case "[[":
            guard words.count >= 2, words.last?.text == "]]" else { return nil }
            guard
                let value = testExpression(
                    Array(words.dropFirst().dropLast()),
                    bash: true,
                    double: true
                )
            else { return nil }
            // `[[` is bash's: in dash it is "not found" (false), so a true value is known only
            // under bash.
            return bash || !value ? value : nil
        default:
            return nil
        }
    }

    /// Whether `words` is a test command whose value this reader would try to know.
    static func isTest(_ words: [ScriptWord]) -> Bool {
        guard let first = words.first, first.plain else { return false }
        return testPrograms.contains(first.text)
    }

    static let testPrograms: Set<String> = ["[", "test", "[[", "true", "false", ":"]

    // MARK: test expressions

    /// One operand: nil when its text is not known.
    private static func known(_ word: ScriptWord) -> String? {
        word.unresolved.isEmpty ? word.text : nil
    }

    static let fileOperators: Set<String> = [
        "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x",
        "-L", "-O", "-G", "-N", "-S", "-a", "-v", "-o", "-R",
    ]

    static let binaryOperators: Set<String> = [
        "=", "==", "!=", "-eq", "-ne", "-lt", "-gt", "-le", "-ge", "<", ">", "=~", "-nt", "-ot",
        "-ef",
    ]

    /// The value of a test expression, nil when not known.
    ///
    /// `!`, `-a`/`-o` (or `&&`/`||` in `[[`), parentheses, `-z`/`-n`, string and integer
    /// comparisons. Three-valued: a known false `-a` part makes the whole false even when the
    /// other part is unknown.
    static func testExpression(_ words: [ScriptWord], bash: Bool, double: Bool) -> Bool? {
        // POSIX fixes the meaning by the argument count up to four; the common three-argument
        // comparison is read first so `[ "$X" = "!" ]` or `[ "$X" = "-a" ]` stay comparisons.
        if words.count == 3, words[1].plain, binaryOperators.contains(words[1].text) {
            return binary(words[0], words[1].text, words[2], bash: bash, double: double)
        }
        var parser = TestParser(words: words, bash: bash, double: double)
        let value = parser.orExpression()
        guard parser.index == words.count, !parser.failed else { return nil }
        return value
    }

    static func binary(
        _ left: ScriptWord,
        _ op: String,
        _ right: ScriptWord,
        bash: Bool,
        double: Bool
    ) -> Bool? {
        guard let a = known(left), let b = known(right) else { return nil }
        switch op {
        case "=", "==", "!=":
            var equal: Bool
            if double, right.plain, b.contains(where: { "*?[".contains($0) }) {
                // In `[[`, an unquoted right side is a pattern.
                guard let matched = ShellPattern.matches(a, pattern: b) else { return nil }
                equal = matched
            } else if double, b.contains(where: { "*?[".contains($0) }) {
                // Partly quoted patterns are not worked out.
                return nil
            } else {
                equal = a == b
            }
            if op == "!=" { return !equal }
            // dash's `test` has no `==`: an error, so false there; true only under bash.
            if op == "==", !double, !bash, equal { return nil }
            return equal
        case "-eq", "-ne", "-lt", "-gt", "-le", "-ge":
            guard let x = integer(a), let y = integer(b) else { return nil }
            switch op {
            case "-eq": return x == y
            case "-ne": return x != y
            case "-lt": return x < y
            case "-gt": return x > y
            case "-le": return x <= y
            default: return x >= y
            }
        default:
            // `<`, `>` (locale collation), `=~` (regular expressions), file comparisons.
            return nil
        }
    }

    /// A decimal integer as `test` reads it (blanks around allowed); nil otherwise.
    static func integer(_ text: String) -> Int? {
        let trimmed = CommandWords.trimmed(text)
        guard trimmed.count <= 18 else { return nil }
        return Int(trimmed)
    }

    /// Recursive descent over the words of a test expression, with a depth bound.
    private struct TestParser {
        let words: [ScriptWord]
        let bash: Bool
        let double: Bool
        var index = 0
        var failed = false
        var depth = 0

        init(words: [ScriptWord], bash: Bool, double: Bool) {
            self.words = words
            self.bash = bash
            self.double = double
        }

        func peek(_ offset: Int = 0) -> ScriptWord? {
            index + offset < words.count ? words[index + offset] : nil
        }

        func isOperator(_ word: ScriptWord?, _ names: Set<String>) -> Bool {
            guard let word, word.plain || !double else { return false }
            return word.unresolved.isEmpty && names.contains(word.text)
        }

        mutating func orExpression() -> Bool? {
            var value = andExpression()
            while !failed, isOperator(peek(), double ? ["||"] : ["-o"]) {
                index += 1
                let right = andExpression()
                value = Self.or(value, right)
            }
            return value
        }

        mutating func andExpression() -> Bool? {
            var value = notExpression()
            while !failed, isOperator(peek(), double ? ["&&"] : ["-a"]) {
                index += 1
                let right = notExpression()
                value = Self.and(value, right)
            }
            return value
        }

        mutating func notExpression() -> Bool? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 32 else {
                failed = true
                return nil
            }
            if isOperator(peek(), ["!"]), peek(1) != nil {
                index += 1
                return notExpression().map { !$0 }
            }
            return primary()
        }

        mutating func primary() -> Bool? {
            guard let word = peek() else {
                failed = true
                return nil
            }
            if isOperator(word, ["("]) {
                index += 1
                let value = orExpression()
                guard isOperator(peek(), [")"]) else {
                    failed = true
                    return nil
                }
                index += 1
                return value
            }
            if let op = peek(1), isOperator(op, ShellCondition.binaryOperators), let right = peek(2)
            {
                index += 3
                return ShellCondition.binary(word, op.text, right, bash: bash, double: double)
            }
            if isOperator(word, ["-z", "-n"]), let operand = peek(1) {
                index += 2
                guard let text = ShellCondition.known(operand) else { return nil }
                return word.text == "-z" ? text.isEmpty : !text.isEmpty
            }
            if isOperator(word, ShellCondition.fileOperators), peek(1) != nil {
                // The file system and the terminal are the build's, not known here.
                index += 2
                return nil
            }
            index += 1
            return ShellCondition.known(word).map { !$0.isEmpty }
        }

        static func and(_ a: Bool?, _ b: Bool?) -> Bool? {
            if a == false || b == false { return false }
            if a == true, b == true { return true }
            return nil
        }

        static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
            if a == true || b == true { return true }
            if a == false, b == false { return false }
            return nil
        }
    }
}

/// Shell pattern matching (`case` patterns, `[[ x == pattern ]]`): `*`, `?`, bracket
/// expressions with ranges and `!`/`^` negation, backslash escapes.
enum ShellPattern {
    /// Whether `text` matches `pattern`; nil for what is not worked out (character classes
    /// such as `[[:digit:]]`, extended globs).
    ///
    /// Linear in practice: the usual single-star backtracking, `O(text × pattern)` at worst,
    /// on words that are a few dozen bytes long.
    static func matches(_ text: String, pattern: String) -> Bool? {
        let t = Array(text.unicodeScalars)
        let p = Array(pattern.unicodeScalars)
        guard t.count <= 4096, p.count <= 256 else { return nil }
        if pattern.containsText("[:") || pattern.containsText("(") { return nil }
        var ti = 0
        var pi = 0
        var star: Int?
        var mark = 0
        while ti < t.count {
            if pi < p.count {
                switch p[pi] {
                case "*":
                    star = pi
                    mark = ti
                    pi += 1
                    continue
                case "?":
                    ti += 1
                    pi += 1
                    continue
                case "[":
                    if let (matched, next) = Glob.matchClass(p, pi, t[ti]) {
                        if matched {
                            ti += 1
                            pi = next
                            continue
                        }
                    } else if t[ti] == "[" {
                        ti += 1
                        pi += 1
                        continue
                    }
                case "\\" where pi + 1 < p.count:
                    if p[pi + 1] == t[ti] {
                        ti += 1
                        pi += 2
                        continue
                    }
                default:
                    if p[pi] == t[ti] {
                        ti += 1
                        pi += 1
                        continue
                    }
                }
            }
            guard let star else { return false }
            pi = star + 1
            mark += 1
            ti = mark
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// Follows a script's control structure as its commands are read, and says under which
/// condition each command runs: `if`/`elif`/`else`, `case`, `&&`/`||` lists, `!`, `{ }` and
/// `( )` groups, `while`/`until`/`for` loops (whose bodies run, as far as is known).
///
/// One step per token, constant time each: a guard keeps at most
/// ``ShellGuard/maximumConditions`` short texts, and frames nested deeper than
/// ``maximumDepth`` are not followed (what is inside counts as under an unknown condition).
struct ConditionTracker {
    /// How deep compound commands are followed.
    static let maximumDepth = 64

    enum Part {
        case root
        case ifCondition
        case ifBody
        case loopCondition
        case forHeader
        case loopBody
        case group
        case caseBody
    }

    enum ListOperator {
        case and
        case or
    }

    /// What a command's status is, relative to its running: when it succeeds, when it fails.
    struct Status {
        var ok: ShellGuard
        /// Nil for an ordinary command: "! <the command>", whose text is made only when used.
        var fail: ShellGuard?
    }

    struct Frame {
        var part: Part
        /// The guard every list in this part starts under.
        var base: ShellGuard
        /// The current and-or list so far, relative to `base`: when it succeeded, failed.
        var ok = ShellGuard.always
        var fail = ShellGuard.never
        var pending = ListOperator.and
        /// The guard of the pipeline being read, once it has started.
        var pipeline: ShellGuard?
        var negate = false
        /// The status of the pipeline's last command, and where its text is.
        var last: Status?
        var lastText: Range<Int> = 0..<0
        /// How many failures the current list's `fail` joins; past a few, its text ends in
        /// "…" and is not added to (``saturated``).
        var merges = 0
        var saturated = false
        /// The status of the last complete list in this part (an `if` or `while` condition).
        var list: Status?
        /// `if`: when no branch so far was taken (absolute).
        var remaining = ShellGuard.never
        /// `case`: the word, when its text is known; its text as written.
        var subject: String?
        var subjectText = ""
        /// `case`: when an earlier clause matched (relative to `base`'s start), and the
        /// patterns of the clauses whose match was not known.
        var matched = ShellGuard.never
        var earlier: [String] = []
        var caseStart = ShellGuard.always

        /// Commands here are tests: an ordinary command's status is not assumed.
        var isCondition: Bool { part == .ifCondition || part == .loopCondition }
    }

    /// The compound commands around the innermost one, outermost first.
    private var outer: [Frame] = []
    /// The innermost compound command (the script itself at first): a stored property, so
    /// the per-command updates change it in place.
    private var top = Frame(part: .root, base: .always)
    /// Compound commands opened past ``maximumDepth`` and not yet closed, innermost last: only
    /// their kind is kept, so their `fi`, `esac` or `done` closes the right one.
    private var overflow: [Part] = []
    /// Whether the shell is bash, for `==` in `[` and for `[[`.
    let bash: Bool
    /// The script, for the text of commands.
    let bytes: [UInt8]

    init(bash: Bool, bytes: [UInt8]) {
        self.bash = bash
        self.bytes = bytes
    }

    /// The text of the command at `range` (at most ``ShellCondition/maximumText`` and a little).
    private func text(_ range: Range<Int>) -> String {
        let lower = min(range.lowerBound, bytes.count)
        let upper = min(range.upperBound, lower + ShellCondition.maximumText + 40, bytes.count)
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// The guard of the pipeline element starting now.
    mutating func begin() -> ShellGuard {
        if let pipeline = top.pipeline { return pipeline }
        let relative = top.pending == .and ? top.ok : top.fail
        var guardValue = top.base.and(relative)
        if !overflow.isEmpty {
            guardValue = guardValue.and(.when("a condition nested too deep"))
        }
        top.pipeline = guardValue
        return guardValue
    }

    /// A simple command: the guard it runs under (``ShellGuard/never`` when it does not run).
    ///
    /// - Parameters:
    ///   - words: its words, the program first (for `[[`, words not field-split).
    ///   - range: where the command is written in the script, for the condition's text.
    /// - Returns: its guard.
    mutating func command(_ words: [ScriptWord], range: Range<Int>) -> ShellGuard {
        let guardValue = begin()
        if top.part == .forHeader, !outer.isEmpty, top.last == nil {
            // `for NAME in words`: the header, not a command.
            top.last = Status(ok: .always, fail: .never)
            return .never
        }
        if ShellCondition.isTest(words) {
            if let value = ShellCondition.evaluate(words, bash: bash) {
                top.last =
                    value ? Status(ok: .always, fail: .never) : Status(ok: .never, fail: .always)
            } else {
                let condition = ShellGuard.when(text(range))
                top.last = Status(ok: condition, fail: condition.negated())
            }
        } else {
            top.last = Status(ok: top.isCondition ? .when(text(range)) : .always, fail: nil)
            top.lastText = range
        }
        return guardValue
    }

    /// The status of a command whose result is not known: assumed to succeed in a list (a
    /// failing command fails the `RUN`), unknown when it is tested.
    private func ordinary(_ text: String) -> Status {
        Status(ok: top.isCondition ? .when(text) : .always, fail: .when("! " + text))
    }

    /// `!` before a pipeline.
    mutating func bang() {
        _ = begin()
        top.negate.toggle()
    }

    /// `|`: the next command is in the same pipeline.
    mutating func pipe() {}

    /// `&&` or `||`.
    mutating func list(_ op: ListOperator) {
        endPipeline()
        top.pending = op
    }

    /// `;`, `&` or a newline: the end of an and-or list.
    mutating func separator() {
        endPipeline()
        if top.ok != .always || top.fail != .never || top.list == nil {
            top.list = Status(ok: top.ok, fail: top.fail)
        }
        top.ok = .always
        top.fail = .never
        top.pending = .and
        top.merges = 0
        top.saturated = false
    }

    private mutating func endPipeline() {
        guard top.pipeline != nil else { return }
        var status = top.last ?? Status(ok: .always, fail: .never)
        let failText = top.lastText
        func fails(_ status: Status) -> ShellGuard {
            status.fail ?? .when("! " + text(failText))
        }
        if top.negate { status = Status(ok: fails(status), fail: status.ok) }
        let relative = top.pending == .and ? top.ok : top.fail
        if top.pending == .and {
            top.ok = relative.and(status.ok)
            if relative.never || status.fail?.never == true {
                // Nothing new can fail.
            } else if top.saturated {
                // `a && b && c && ...`: past a few, what fails is not spelled out.
            } else if top.merges >= 4, !top.fail.never {
                top.fail = top.fail.or(.when("…"))
                top.saturated = true
            } else {
                top.fail = top.fail.or(relative.and(fails(status)))
                top.merges += 1
            }
        } else {
            top.ok = top.ok.or(relative.and(status.ok))
            top.fail = relative.and(fails(status))
            top.merges = 0
            top.saturated = false
        }
        top.list = Status(ok: top.ok, fail: top.fail)
        top.pipeline = nil
        top.negate = false
        top.last = nil
    }

    // MARK: Compound commands

    private mutating func open(_ part: Part, base: ShellGuard) -> Bool {
        guard outer.count + 1 < Self.maximumDepth, overflow.isEmpty else {
            overflow.append(part)
            return false
        }
        var frame = Frame(part: part, base: base)
        frame.remaining = base
        outer.append(top)
        top = frame
        return true
    }

    /// Closes the innermost compound command of one of `parts`; false when there is none
    /// (a stray `fi`), which is then ignored.
    private mutating func close(_ parts: [Part], text: String) {
        if let last = overflow.last {
            if parts.contains(last) { overflow.removeLast() }
            return
        }
        guard let parent = outer.last, parts.contains(top.part) else { return }
        separator()
        outer.removeLast()
        top = parent
        top.last = ordinary(text)
    }

    /// A reserved word at the start of a command; false when the word is not one this
    /// tracker follows.
    mutating func reserved(_ word: String) -> Bool {
        switch word {
        case "if": _ = open(.ifCondition, base: begin())
        case "while", "until": _ = open(.loopCondition, base: begin())
        case "for", "select": _ = open(.forHeader, base: begin())
        case "{": _ = open(.group, base: begin())
        case "!": bang()
        case "then":
            guard overflow.isEmpty, top.part == .ifCondition else { return true }
            separator()
            let condition = top.list ?? Status(ok: .when("if"), fail: .when("! if"))
            let base = top.base
            top.remaining = base.and(condition.fail ?? .when("! if"))
            top.part = .ifBody
            top.base = base.and(condition.ok)
            top.list = nil
        case "elif":
            guard overflow.isEmpty, top.part == .ifBody else { return true }
            separator()
            top.part = .ifCondition
            top.base = top.remaining
            top.list = nil
        case "else":
            guard overflow.isEmpty, top.part == .ifBody else { return true }
            separator()
            top.base = top.remaining
            top.remaining = .never
        case "fi": close([.ifBody, .ifCondition], text: "if … fi")
        case "do":
            guard overflow.isEmpty, top.part == .loopCondition || top.part == .forHeader else {
                return true
            }
            separator()
            // The body runs (a loop's count is not worked out).
            top.part = .loopBody
        case "done": close([.loopBody, .loopCondition, .forHeader], text: "the loop")
        case "}": close([.group], text: "{ … }")
        case "esac": close([.caseBody], text: "case … esac")
        default: return false
        }
        return true
    }

    /// `(`: a subshell.
    mutating func openSubshell() {
        _ = open(.group, base: begin())
    }

    /// `)`: the end of a subshell.
    mutating func closeSubshell() {
        close([.group], text: "( … )")
    }

    /// Whether the command being read is a `for` header (`for NAME in words`).
    var inForHeader: Bool { overflow.isEmpty && top.part == .forHeader }

    // MARK: case

    /// `case WORD in`.
    ///
    /// - Parameters:
    ///   - subject: the word, nil when its value is not known.
    ///   - text: the word as written.
    mutating func openCase(subject: String?, text: String) {
        let base = begin()
        guard open(.caseBody, base: base) else { return }
        top.subject = subject
        top.subjectText = ShellCondition.short(text)
        top.caseStart = base
        top.base = .never
    }

    /// A clause's patterns (`a|b)`): the clause body runs under the guard this sets.
    ///
    /// - Parameter patterns: the patterns, each with whether it was written with no quoting
    ///   (so glob characters in it match).
    mutating func caseClause(_ patterns: [ScriptWord]) {
        guard overflow.isEmpty, top.part == .caseBody else { return }
        separator()
        let written = ShellCondition.short(patterns.map(\.text).joined(separator: "|"))
        var match: Bool? = false
        for pattern in patterns {
            let value: Bool?
            if pattern.plain, pattern.text == "*" {
                value = true
            } else if let subject = top.subject, pattern.unresolved.isEmpty {
                if !pattern.text.contains(where: { "*?[".contains($0) }) {
                    value = subject == pattern.text
                } else if pattern.plain {
                    value = ShellPattern.matches(subject, pattern: pattern.text)
                } else {
                    value = nil
                }
            } else {
                value = nil
            }
            match = ShellConditionLogic.or(match, value)
        }
        let notBefore = top.matched.negated()
        let clause: ShellGuard
        switch match {
        case true?:
            if top.matched.isAlways || top.matched.never || top.earlier.isEmpty {
                clause = notBefore
            } else {
                clause = .when(
                    "\(top.subjectText) matches none of \(top.earlier.joined(separator: "|"))"
                )
            }
            top.matched = .always
        case false?:
            clause = .never
        case nil:
            let condition = ShellGuard.when("\(top.subjectText) matches \(written)")
            // An earlier clause that surely matched leaves none for this one; one that may
            // have matched is left out of the text, which names what this clause needs.
            clause = top.matched.isAlways ? .never : condition
            top.matched = top.matched.or(condition)
            if top.earlier.count < 8 { top.earlier.append(written) }
        }
        top.base = top.caseStart.and(clause)
        top.list = nil
    }

    /// `;;` (or `;&`, `;;&`): the end of a clause.
    mutating func caseClauseEnd() {
        guard overflow.isEmpty, top.part == .caseBody else { return }
        separator()
        top.base = .never
    }

    /// Whether the innermost compound command is a `case`, whose clauses are being read.
    var inCase: Bool { overflow.last.map { $0 == .caseBody } ?? (top.part == .caseBody) }
}

/// Three-valued logic: nil is unknown.
enum ShellConditionLogic {
    static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == true || b == true { return true }
        if a == false, b == false { return false }
        return nil
    }
}
