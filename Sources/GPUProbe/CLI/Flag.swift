/// One flag of a command, bound to the property of the command it sets.
///
/// Its ``spec`` (spellings, value, help) is what help, completions and the manual page show;
/// `apply` is what the parser does with it, so the two cannot disagree.
public struct Flag<Root> {
    /// Spellings, value and help.
    public let spec: CommandSpec.Option
    /// Sets the flag's value (ignored for a switch) on the command.
    let apply: (inout Root, String) throws(UsageError) -> Void

    init(
        _ spec: CommandSpec.Option,
        apply: @escaping (inout Root, String) throws(UsageError) -> Void
    ) {
        self.spec = spec
        self.apply = apply
    }

    /// A switch that sets `path` to true.
    static func toggle(
        _ names: [String],
        _ path: WritableKeyPath<Root, Bool>,
        _ help: String
    ) -> Self {
        Self(CommandSpec.Option(names, .none, help)) { root, _ in root[keyPath: path] = true }
    }

    /// A flag whose value is kept as given; the last one wins.
    static func text(
        _ names: [String],
        _ path: WritableKeyPath<Root, String?>,
        _ value: CommandSpec.Value,
        _ help: String
    ) -> Self {
        Self(CommandSpec.Option(names, value, help)) { root, text in root[keyPath: path] = text }
    }

    /// A flag whose value is kept as given, for a property with a default; the last one wins.
    static func text(
        _ names: [String],
        _ path: WritableKeyPath<Root, String>,
        _ value: CommandSpec.Value,
        _ help: String
    ) -> Self {
        Self(CommandSpec.Option(names, value, help)) { root, text in root[keyPath: path] = text }
    }

    /// A repeatable flag: each value is appended.
    static func list(
        _ name: String,
        _ path: WritableKeyPath<Root, [String]>,
        _ value: CommandSpec.Value,
        _ help: String
    ) -> Self {
        Self(CommandSpec.Option([name], value, help)) { root, text in
            root[keyPath: path].append(text)
        }
    }

    /// A flag whose value is read by `read`, which returns nil for a value it refuses; the
    /// error then says what `expected` is.
    static func parsed<Value>(
        _ name: String,
        _ path: WritableKeyPath<Root, Value>,
        _ value: CommandSpec.Value,
        _ help: String,
        expected: String,
        _ read: @escaping (String) -> Value?
    ) -> Self {
        Self(CommandSpec.Option([name], value, help)) { root, text throws(UsageError) in
            guard let parsed = read(text) else {
                throw .badValue(flag: name, value: text, expected: expected)
            }
            root[keyPath: path] = parsed
        }
    }

    /// ``parsed(_:_:_:_:expected:_:)`` for an optional property, nil until the flag is given.
    ///
    /// Its own name: with `parsed`, `read` would return `Value??` for an optional property,
    /// and a refused value (`.some(nil)`) would pass.
    static func optional<Value>(
        _ name: String,
        _ path: WritableKeyPath<Root, Value?>,
        _ value: CommandSpec.Value,
        _ help: String,
        expected: String,
        _ read: @escaping (String) -> Value?
    ) -> Self {
        // `map` keeps a refusal the outer nil, which `parsed` refuses.
        parsed(name, path, value, help, expected: expected) { read($0).map(Optional.some) }
    }

    /// One of `Choice`'s words (`--format json`, `--arch aarch64`): the help and completions
    /// offer `words`, the words this command takes, in order.
    static func choice<Choice: RawRepresentable<String>>(
        _ name: String,
        _ path: WritableKeyPath<Root, Choice>,
        _ words: [Choice],
        _ help: String
    ) -> Self {
        let spellings = words.map(\.rawValue)
        let expected = wordList(spellings)
        return Self(CommandSpec.Option([name], .choice(spellings), help)) {
            root,
            text throws(UsageError) in
            guard let word = words.first(where: { $0.rawValue == text }) else {
                throw .badValue(flag: name, value: text, expected: expected)
            }
            root[keyPath: path] = word
        }
    }

    /// This flag as a flag of a command that holds `Root` at `path` (flags several commands
    /// share, such as `--host` and `--timeout`, are declared once on a group).
    func lifted<Outer>(_ path: WritableKeyPath<Outer, Root>) -> Flag<Outer> {
        let apply = self.apply
        return Flag<Outer>(spec) { outer, text throws(UsageError) in
            try apply(&outer[keyPath: path], text)
        }
    }
}

/// One positional argument of a command.
public struct Argument<Root> {
    /// What it is, for completion.
    public let value: CommandSpec.Value
    /// What the error says is missing when it is; nil when the argument may be left out.
    let missing: String?
    /// Sets it on the command.
    let apply: (inout Root, String) throws(UsageError) -> Void

    /// An argument kept as given.
    static func text(
        _ path: WritableKeyPath<Root, String>,
        _ value: CommandSpec.Value,
        missing: String?
    ) -> Self {
        Self(value: value, missing: missing) { root, text in root[keyPath: path] = text }
    }

    /// One of `Choice`'s words; `command` names the command in the error for another word.
    static func choice<Choice: RawRepresentable<String> & CaseIterable>(
        _ path: WritableKeyPath<Root, Choice>,
        command: String,
        missing: String?
    ) -> Self {
        let words = Choice.allCases.map(\.rawValue)
        return Self(value: .choice(words), missing: missing) { root, text throws(UsageError) in
            guard let word = Choice(rawValue: text) else {
                throw .badValue(flag: command, value: text, expected: wordList(words))
            }
            root[keyPath: path] = word
        }
    }
}

/// `a, b or c`.
func wordList(_ words: [String]) -> String {
    guard let last = words.last, words.count > 1 else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " or " + last
}
