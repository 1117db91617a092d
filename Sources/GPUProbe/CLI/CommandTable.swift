/// A command as help, the manual page and the completion scripts show it: written from the
/// command's declaration (``Command``), whose flags the parser reads, so none of them can name a
/// flag the others lack.
public struct CommandSpec: Sendable {
    /// What a flag's or an argument's value is, so help names it and completion offers it.
    public enum Value: Equatable, Sendable {
        /// A switch: no value.
        case none
        /// A file path (the placeholder, for example `FILE|-`).
        case file(String)
        /// A folder path.
        case directory(String)
        /// One of these words.
        case choice([String])
        /// Free text nobody can complete (the placeholder, for example `X.Y`).
        case text(String)

        /// The placeholder shown in help: `FILE`, `DIR`, `json|text`.
        var placeholder: String? {
            switch self {
            case .none: nil
            case .file(let name), .directory(let name), .text(let name): name
            case .choice(let words): words.joined(separator: "|")
            }
        }
    }

    /// One flag as a command takes it.
    public struct Option: Sendable {
        /// Its spellings, short first (`-o`, `--output`); the parser accepts each.
        public let names: [String]
        /// Its value.
        public let value: Value
        /// What it does for this command, one sentence or two.
        public let help: String

        init(_ names: [String], _ value: Value, _ help: String) {
            self.names = names
            self.value = value
            self.help = help
        }
    }

    /// An example command line and what it does.
    public struct Example: Sendable {
        /// The shell line; each `gpuprobe ...` in it must parse (`HelpTextTests` checks).
        public let line: String
        /// What it does.
        public let note: String
    }

    /// What a command is, besides its flags and arguments.
    public struct About: Sendable {
        /// The verb, as typed.
        public let name: String
        /// One line for the command list and completion menus.
        public let summary: String
        /// Usage lines after `gpuprobe `; one that starts with spaces continues the line
        /// before.
        public let synopsis: [String]
        /// A paragraph on what it does.
        public let details: String
        /// At least one real command line.
        public let examples: [Example]
    }

    /// Name, summary, usage, details and examples.
    public let about: About
    /// Its flags besides `-h/--help` and `-V/--version`, which every command takes.
    public let flags: [Option]
    /// Its positional arguments, in order, for completion.
    public let arguments: [Value]

    /// The verb, as typed.
    public var name: String { about.name }
    /// One line for the command list and completion menus.
    public var summary: String { about.summary }
    /// Usage lines after `gpuprobe `.
    public var synopsis: [String] { about.synopsis }
    /// A paragraph on what it does.
    public var details: String { about.details }
    /// At least one real command line.
    public var examples: [Example] { about.examples }

    /// Looks a command up by name.
    ///
    /// - Parameter name: the verb.
    /// - Returns: its entry, or nil for a word that is no command.
    public static func named(_ name: String) -> CommandSpec? {
        all.first { $0.name == name }
    }

    /// The command with its positional arguments, as the full help lists it (`capture DIR`,
    /// `help [COMMAND]`): the synopsis's first words, up to the first flag.
    var label: String {
        let words = (synopsis.first ?? name).split(separator: " ")
        // Arguments are upper case or words (`DIR`, `[FILE|-]`, `bash|zsh|fish`); flags and
        // `[match's options]` end them.
        let kept = words.prefix { word in
            guard let first = word.first, first != "-" else { return false }
            guard first == "[" else { return true }
            return word == "[probe]" || word.dropFirst().first?.isUppercase == true
        }
        // `[probe]`: the default command's name is optional; the list names it plainly.
        return "  " + kept.map { $0 == "[probe]" ? "probe" : String($0) }.joined(separator: " ")
    }

    /// Every flag once (by its spellings, in the order the commands first name it), with the
    /// commands that take it grouped by the help they give it.
    static var flagUses: [(flag: Option, uses: [(commands: [String], help: String)])] {
        var found: [(flag: Option, uses: [(commands: [String], help: String)])] = []
        for spec in all {
            for flag in spec.flags {
                guard let at = found.firstIndex(where: { $0.flag.names == flag.names }) else {
                    found.append((flag, [([spec.name], flag.help)]))
                    continue
                }
                if let use = found[at].uses.firstIndex(where: { $0.help == flag.help }) {
                    found[at].uses[use].commands.append(spec.name)
                } else {
                    found[at].uses.append(([spec.name], flag.help))
                }
            }
        }
        return found + CommandSpec.common.map { ($0, [(["every command"], $0.help)]) }
    }

    /// The formats a command takes with `--format`; empty where `--format` does not apply.
    var formats: [String] {
        for flag in flags where flag.names == ["--format"] {
            if case .choice(let words) = flag.value { return words }
        }
        return []
    }
}

// MARK: - The table

extension CommandSpec {
    /// Every command, in the order help lists them, from their declarations (``Command``).
    public static let all: [CommandSpec] = Commands.types.map { $0.spec }

    /// `-h/--help` and `-V/--version`: every command takes them (help wins over the rest of
    /// the line; `--version` prints the one version the whole tool has).
    public static let common: [Option] = [
        Option(["-h", "--help"], .none, "Show this help."),
        Option(["-V", "--version"], .none, "Show the version."),
    ]
}
