/// The build context's `.dockerignore`: paths it names never reach the builder, so a `COPY`
/// of them fails as if they were absent.
///
/// Modelled on what the builder runs, moby/patternmatcher (`ignorefile.ReadAll`, then
/// `NewPatternMatcher` and `MatchesOrParentMatches`): lines are patterns in order and the
/// last one that matches the path or a folder above it decides; `!` re-includes. A pattern is
/// cleaned like a path (`filepath.Clean`, a leading `/` dropped) and compiled as patternmatcher
/// compiles it to a regular expression: `*` is `[^/]*`, `?` is `[^/]`, `[...]` a class (which,
/// as in the regular expression, may match `/`), `**` followed by `/` (or in the middle of a
/// component) is `(.*/)?`, a trailing `**` is `.*`; a pattern that is a plain string, or
/// one with only a leading or only a trailing `**`, is compared as a string, prefix or suffix.
/// Where patternmatcher would hand a backslash escape to the regular expression engine
/// (`\d`), this takes the escaped character literally, as `filepath.Match` does.
///
/// Matching is a bit-parallel simulation of all patterns at once (one bit per pattern
/// position, shift-and): no recursion, and time linear in the path's length times the patterns'
/// length over 64, where the recursive matcher it replaces overflowed the stack on a 165 KB
/// pattern and took time quadratic in the path's length.
struct DockerIgnore: Hashable, Sendable {
    struct Rule: Hashable, Sendable {
        /// The pattern as written (without its `!`), for messages.
        var text: String
        var exception: Bool
    }

    /// A line the builder refuses; it stops the build, so `check` reports it the same way.
    struct Problem: Error, Equatable, Sendable {
        /// 1-based line number.
        var line: Int
        /// What is wrong with the line.
        var reason: String
    }

    var rules: [Rule] = []
    var program = Program()

    /// The longest line Go's `bufio.Scanner` reads (64 KiB with its newline): the builder
    /// stops with `token too long` on a longer one.
    static let maximumLineBytes = 65_535

    /// Reads the file's text as `ignorefile.ReadAll` does.
    /// - Throws: ``Problem`` for a line the builder refuses: over 64 KiB, `!` alone, or a
    ///   pattern `filepath.Match` calls malformed.
    init(_ text: String) throws(Problem) {
        var number = 0
        var tokens: [[Token]] = []
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        {
            number += 1
            // An empty last piece is the file's final newline, not a line.
            if raw.isEmpty { continue }
            var bytes = raw[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            guard raw.count <= Self.maximumLineBytes else {
                throw Problem(
                    line: number,
                    reason: "is \(raw.count) bytes long, over the \(Self.maximumLineBytes) "
                        + "bytes a line may have"
                )
            }
            if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            var line = Self.trimmedSpace(String(decoding: bytes, as: UTF8.self))
            // `#` counts only as the line's first character, before trimming.
            guard !line.isEmpty, bytes.first != UInt8(ascii: "#") else { continue }
            var exception = false
            if line.hasPrefix("!") {
                exception = true
                line = Self.trimmedSpace(String(line.dropFirst()))
                guard !line.isEmpty else {
                    throw Problem(line: number, reason: "is '!' alone, an exception of nothing")
                }
            }
            var pattern = Self.clean(line)
            if pattern.count > 1, pattern.hasPrefix("/") { pattern.removeFirst() }
            let compiled: [Token]
            do {
                compiled = try Self.compile(pattern)
            } catch {
                throw Problem(
                    line: number,
                    reason: "('\(Self.cut(pattern))') is not a valid pattern: \(error.reason)"
                )
            }
            rules.append(Rule(text: line, exception: exception))
            tokens.append(compiled)
        }
        program = Program(tokens)
    }

    /// No patterns: everything is sent.
    init() {}

    /// The pattern that leaves `parts` out of the context, or nil when it is sent.
    func excluding(_ parts: [String]) -> String? {
        guard !parts.isEmpty, !rules.isEmpty,
            let index = program.lastMatch(parts.joined(separator: "/"))
        else { return nil }
        return rules[index].exception ? nil : rules[index].text
    }

    // MARK: Reading lines

    /// Go's `strings.TrimSpace`: Unicode white space at both ends.
    static func trimmedSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Go's `filepath.Clean`: one `/` between parts, `.` removed, `x/..` removed, `..` kept at
    /// the start of a relative path and dropped at the root of an absolute one.
    static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return rooted ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// At most `limit` characters of a pattern or path, for a one-line message.
    static func cut(_ text: String, limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 3)) + "..."
    }

    // MARK: Compiling

    /// One position of a compiled pattern.
    enum Token: Hashable, Sendable {
        /// This character.
        case character(Unicode.Scalar)
        /// `?`: one character but `/`.
        case one
        /// `[...]`.
        case set(ScalarClass)
        /// `*`: any run of characters but `/`.
        case star
        /// `.*` (`dotAll`: also newlines, where patternmatcher compares strings).
        case any(dotAll: Bool)
        /// `(.*/)?`.
        case folders(dotAll: Bool)
    }

    /// A `[...]` class as `filepath.Match` reads it: `^` negates, `\` escapes, `a-z` ranges.
    struct ScalarClass: Hashable, Sendable {
        var negated: Bool
        var ranges: [ClosedRange<UInt32>]

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            ranges.contains { $0.contains(scalar.value) } != negated
        }
    }

    struct PatternError: Error {
        var reason: String
    }

    /// patternmatcher's `compile`, with `filepath.Match`'s syntax check, into tokens.
    static func compile(_ pattern: String) throws(PatternError) -> [Token] {
        enum Mode { case exact, prefix, suffix, regexp }
        let s = Array(pattern.unicodeScalars)
        var tokens: [Token] = []
        var mode = Mode.exact
        // A leading `**` not followed by `/`: as a suffix match, anything before the rest.
        var leadingBare = false
        var index = 0
        var count = 0
        while index < s.count {
            let ch = s[index]
            index += 1
            defer { count += 1 }
            switch ch {
            case "*" where index < s.count && s[index] == "*":
                index += 1
                let ateSlash = index < s.count && s[index] == "/"
                if ateSlash { index += 1 }
                if index == s.count {
                    tokens.append(.any(dotAll: false))
                    mode = mode == .exact ? .prefix : .regexp
                } else {
                    tokens.append(.folders(dotAll: false))
                    mode = .regexp
                }
                if count == 0 {
                    mode = .suffix
                    leadingBare = !ateSlash
                }
            case "*":
                tokens.append(.star)
                mode = .regexp
            case "?":
                tokens.append(.one)
                mode = .regexp
            case "\\":
                guard index < s.count else { throw PatternError(reason: "it ends in '\\'") }
                tokens.append(.character(s[index]))
                index += 1
                mode = .regexp
            case "[":
                let (set, next) = try characterSet(s, after: index)
                tokens.append(.set(set))
                index = next
                mode = .regexp
            case "]":
                tokens.append(.character(ch))
                mode = .regexp
            default:
                tokens.append(.character(ch))
            }
        }
        // A plain string, prefix or suffix is compared as a string, where `.` in the regular
        // expression form would not match a newline.
        let dotAll = mode != .regexp
        var out: [Token] = []
        for (position, token) in tokens.enumerated() {
            var token = token
            switch token {
            case .any: token = .any(dotAll: dotAll)
            case .folders:
                token =
                    position == 0 && mode == .suffix && leadingBare
                    ? .any(dotAll: true) : .folders(dotAll: dotAll)
            default: break
            }
            // Runs of `(.*/)?` and `.*` match what their widest member does; merging them keeps
            // the simulation's epsilon chains short on `**/**/**/...`.
            if let last = out.last {
                switch (last, token) {
                case (.folders, .folders), (.any, .any), (.any, .folders): continue
                case (.folders, .any):
                    out[out.count - 1] = token
                    continue
                default: break
                }
            }
            out.append(token)
        }
        return out
    }

    /// A class after its `[`, as `filepath.Match` checks it; the index after its `]`.
    private static func characterSet(_ s: [Unicode.Scalar], after start: Int)
        throws(PatternError) -> (ScalarClass, Int)
    {
        var index = start
        var set = ScalarClass(negated: false, ranges: [])
        if index < s.count, s[index] == "^" {
            set.negated = true
            index += 1
        }
        func escaped() throws(PatternError) -> UInt32 {
            guard index < s.count, s[index] != "-", s[index] != "]" else {
                throw PatternError(reason: "a '[...]' class is empty, unclosed or has a bare '-'")
            }
            if s[index] == "\\" { index += 1 }
            guard index + 1 < s.count else {
                throw PatternError(reason: "a '[' is not closed")
            }
            defer { index += 1 }
            return s[index].value
        }
        while true {
            if index < s.count, s[index] == "]", !set.ranges.isEmpty { return (set, index + 1) }
            let low = try escaped()
            var high = low
            if s[index] == "-" {
                index += 1
                high = try escaped()
            }
            guard low <= high else { throw PatternError(reason: "a range runs backwards") }
            set.ranges.append(low...high)
        }
    }

    // MARK: Matching

    /// Every rule's tokens laid end to end, one bit per position, each rule followed by its
    /// accepting position.
    struct Program: Hashable, Sendable {
        var count = 0
        /// Positions that take this character and move on (`?` and classes apart).
        var characters: [Unicode.Scalar: [Int]] = [:]
        var sets: [(position: Int, set: ScalarClass)] = []
        var one: [UInt64] = []
        /// Positions that stay on a character: `*` (not on `/`), `.*` (not on a newline) and
        /// `.*` with dotAll (on anything).
        var star: [UInt64] = []
        var loop: [UInt64] = []
        var loopAll: [UInt64] = []
        /// Epsilon moves: to the next position, and three on (`(.*/)?` skipped from its entry).
        var skipOne: [UInt64] = []
        var skipThree: [UInt64] = []
        var start: [UInt64] = []
        var accept: [UInt64] = []
        /// The accepting position of each rule, in rule order.
        var accepting: [Int] = []

        init() {}

        init(_ rules: [[Token]]) {
            var positions: [Token?] = []
            var starts: [Int] = []
            for tokens in rules {
                starts.append(positions.count)
                for token in tokens {
                    if case .folders(let dotAll) = token {
                        // `(.*/)?`: an entry that may skip it all, a loop, then `/`. The skip
                        // is the entry's alone: once the loop took a character, only a `/`
                        // ends the group.
                        positions.append(.folders(dotAll: dotAll))
                        positions.append(.any(dotAll: dotAll))
                        positions.append(.character("/"))
                    } else {
                        positions.append(token)
                    }
                }
                accepting.append(positions.count)
                positions.append(nil)
            }
            count = positions.count
            let words = (count + 63) / 64
            for name in [\Program.one, \.star, \.loop, \.loopAll, \.skipOne, \.skipThree, \.start] {
                self[keyPath: name] = [UInt64](repeating: 0, count: words)
            }
            accept = [UInt64](repeating: 0, count: words)
            func set(_ bits: WritableKeyPath<Program, [UInt64]>, _ position: Int) {
                self[keyPath: bits][position >> 6] |= 1 << UInt64(position & 63)
            }
            for position in starts { set(\.start, position) }
            for position in accepting { set(\.accept, position) }
            var position = 0
            while position < positions.count {
                switch positions[position] {
                case .character(let c)?: characters[c, default: []].append(position)
                case .one?: set(\.one, position)
                case .set(let s)?: sets.append((position, s))
                case .star?:
                    set(\.star, position)
                    set(\.skipOne, position)
                case .any(let dotAll)?:
                    set(dotAll ? \.loopAll : \.loop, position)
                    set(\.skipOne, position)
                case .folders?:
                    set(\.skipOne, position)
                    set(\.skipThree, position)
                case nil: break
                }
                position += 1
            }
        }

        static func == (a: Program, b: Program) -> Bool {
            a.count == b.count && a.characters == b.characters && a.one == b.one
                && a.star == b.star && a.loop == b.loop && a.loopAll == b.loopAll
                && a.skipOne == b.skipOne && a.skipThree == b.skipThree && a.start == b.start
                && a.accept == b.accept && a.sets.map(\.position) == b.sets.map(\.position)
                && a.sets.map(\.set) == b.sets.map(\.set)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(count)
            hasher.combine(start)
            hasher.combine(accept)
        }

        /// The index of the last rule that matches `path` or a folder above it, or nil.
        ///
        /// One pass over the path: the active positions after each component are checked for
        /// accepting ones (a folder matched), and only the span of words holding active bits
        /// is touched, so rules that stopped matching cost nothing further.
        func lastMatch(_ path: String) -> Int? {
            guard count > 0 else { return nil }
            let words = start.count
            var active = start
            var matched = [UInt64](repeating: 0, count: words)
            var next = [UInt64](repeating: 0, count: words)
            var low = 0
            var high = words - 1
            var masks: [Unicode.Scalar: [UInt64]] = [:]
            closure(&active, low, high)

            func record() {
                for word in low...high { matched[word] |= active[word] & accept[word] }
            }
            for c in path.unicodeScalars {
                if c == "/" { record() }
                let moves: [UInt64]
                if let known = masks[c] {
                    moves = known
                } else {
                    moves = mask(c)
                    masks[c] = moves
                }
                let newline = c == "\n"
                let slash = c == "/"
                // A character moves one position on (into the next word at most).
                let end = min(high + 1, words - 1)
                var carry: UInt64 = 0
                for word in low...end {
                    let d = word <= high ? active[word] : 0
                    let moved = d & moves[word]
                    var stay = d & loopAll[word]
                    if !slash { stay |= d & star[word] }
                    if !newline { stay |= d & loop[word] }
                    next[word] = (moved << 1) | carry | stay
                    carry = moved >> 63
                }
                for word in low...end { active[word] = next[word] }
                high = end
                while low <= high, active[low] == 0 { low += 1 }
                while high >= low, active[high] == 0 { high -= 1 }
                guard low <= high else {
                    return highestRule(matched)
                }
                closure(&active, low, high)
                high = min(high + 1, words - 1)
                while high > low, active[high] == 0 { high -= 1 }
            }
            record()
            return highestRule(matched)
        }

        /// The positions a character moves on from (literal, `?` and class positions).
        private func mask(_ c: Unicode.Scalar) -> [UInt64] {
            var bits = c == "/" ? [UInt64](repeating: 0, count: one.count) : one
            for position in characters[c] ?? [] {
                bits[position >> 6] |= 1 << UInt64(position & 63)
            }
            for (position, set) in sets where set.contains(c) {
                bits[position >> 6] |= 1 << UInt64(position & 63)
            }
            return bits
        }

        /// Adds the positions reachable by epsilon moves, until nothing changes (chains are
        /// short: runs of `**` are merged at compile time).
        private func closure(_ active: inout [UInt64], _ low: Int, _ high: Int) {
            let end = min(high + 1, active.count - 1)
            var changed = true
            while changed {
                changed = false
                var carryOne: UInt64 = 0
                var carryThree: UInt64 = 0
                for word in low...end {
                    let d = active[word]
                    let one = d & skipOne[word]
                    let three = d & skipThree[word]
                    let added = (one << 1) | carryOne | (three << 3) | carryThree
                    carryOne = one >> 63
                    carryThree = three >> 61
                    if added & ~d != 0 {
                        active[word] = d | added
                        changed = true
                    }
                }
            }
        }

        private func highestRule(_ matched: [UInt64]) -> Int? {
            guard let word = matched.lastIndex(where: { $0 != 0 }) else { return nil }
            let position = word * 64 + 63 - matched[word].leadingZeroBitCount
            return binarySearch(accepting, position)
        }

        private func binarySearch(_ sorted: [Int], _ value: Int) -> Int? {
            var low = 0
            var high = sorted.count - 1
            while low <= high {
                let middle = (low + high) / 2
                if sorted[middle] == value { return middle }
                if sorted[middle] < value { low = middle + 1 } else { high = middle - 1 }
            }
            return nil
        }
    }
}
