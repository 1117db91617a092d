/// The build context's `.dockerignore`: paths it names never reach the builder, so a `COPY`
/// of them fails as if they were absent (moby/patternmatcher, `ignorefile.ReadAll`).
///
/// Lines are patterns in order, the last one that matches decides; `!` re-includes; a
/// pattern also matches everything below a folder it matches; `*`, `?` and `[...]` stay
/// within one path component and `**` spans any number of them.
struct DockerIgnore: Hashable, Sendable {
    struct Rule: Hashable, Sendable {
        /// The pattern as written, for messages.
        var text: String
        var components: [String]
        var exception: Bool
    }

    var rules: [Rule] = []

    /// At most this many rules are read: a real file has dozens.
    static let maximumRules = 4096

    /// Reads the file's text.
    init(_ text: String) {
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = CommandWords.trimmed(raw)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var exception = false
            if line.hasPrefix("!") {
                exception = true
                line = CommandWords.trimmed(line.dropFirst())
            }
            let components = BuildContext.components(line)
            guard !components.isEmpty, rules.count < Self.maximumRules else { continue }
            rules.append(Rule(text: line, components: components, exception: exception))
        }
    }

    /// The pattern that leaves `parts` out of the context, or nil when it is sent.
    func excluding(_ parts: [String]) -> String? {
        guard !parts.isEmpty else { return nil }
        var decided: Rule?
        for rule in rules {
            // The path itself, or any folder above it.
            let hit = (1...parts.count).contains { Self.matches(rule.components, parts.prefix($0)) }
            if hit { decided = rule }
        }
        guard let decided, !decided.exception else { return nil }
        return decided.text
    }

    /// Component-wise match with `**` for any number of components; the table keeps it to
    /// pattern length times path length.
    static func matches(_ pattern: [String], _ path: ArraySlice<String>) -> Bool {
        let path = Array(path)
        var memo = [Bool?](repeating: nil, count: (pattern.count + 1) * (path.count + 1))
        func match(_ p: Int, _ q: Int) -> Bool {
            let key = p * (path.count + 1) + q
            if let known = memo[key] { return known }
            let result: Bool
            if p == pattern.count {
                result = q == path.count
            } else if pattern[p] == "**" {
                result = match(p + 1, q) || (q < path.count && match(p, q + 1))
            } else {
                result =
                    q < path.count
                    && Glob.matches(pattern[p].replacingText("**", with: "*"), path[q])
                    && match(p + 1, q + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
