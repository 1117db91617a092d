/// The command table, the command line parser and the one place a run becomes an exit status.
public enum Commands {
    /// Every command, in the order help lists them; the first is the default.
    static var types: [any Command.Type] {
        [
            ProbeCommand.self, CaptureCommand.self, ParseCommand.self, MatchCommand.self,
            DockerfileCommand.self, RunFlagsCommand.self, StageAscendCommand.self,
            CheckCommand.self, CompletionsCommand.self, HelpCommand.self,
        ]
    }

    /// The verbs, in the order help lists them.
    static var names: [String] { types.map { $0.about.name } }

    /// The command a verb names; nil for a word that is none.
    static func named(_ name: String) -> (any Command.Type)? {
        types.first { $0.about.name == name }
    }

    /// Parses arguments (without the program name).
    ///
    /// - Parameter arguments: `CommandLine.arguments.dropFirst()`.
    /// - Returns: the command, every flag and argument set.
    /// - Throws: ``UsageError`` naming the bad argument.
    public static func parse(_ arguments: [String]) throws(UsageError) -> any Command {
        var verb: String?
        return try parse(arguments, command: &verb)
    }

    /// ``parse(_:)``, saying which command it had reached, for the usage a failure shows.
    ///
    /// The verb is the first word that names a command, before any other positional word;
    /// without one, the line is `probe`'s. Flags may come before the verb. `-h/--help` and
    /// `-V/--version` win over the rest of the line.
    ///
    /// - Parameters:
    ///   - arguments: `CommandLine.arguments.dropFirst()`.
    ///   - verb: set to the command word found; nil when none was.
    /// - Returns: the command, every flag and argument set.
    /// - Throws: ``UsageError`` naming the bad argument.
    public static func parse(
        _ arguments: [String],
        command verb: inout String?
    ) throws(UsageError) -> any Command {
        // Which flags take a value is the same for every command that has them, so the verb
        // can be found before knowing whose flags these are.
        var takesValue: Set<String> = []
        for type in types {
            for option in type.spec.flags where option.value != .none {
                takesValue.formUnion(option.names)
            }
        }
        var verbAt: Int?
        var index = 0
        var positional = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            let (flag, inline) = split(word)
            switch flag {
            case "-h", "--help":
                // The command's own help: the verb before it, else the word right after it
                // (`gpuprobe --help match`).
                let next = arguments.dropFirst(index).first.flatMap { named($0) == nil ? nil : $0 }
                return HelpCommand(verb ?? next)
            case "-V", "--version":
                return VersionCommand()
            case "-":
                positional = true
            case _ where flag.hasPrefix("-"):
                if inline == nil, takesValue.contains(flag) { index += 1 }
            default:
                if verb == nil, !positional, named(word) != nil {
                    verb = word
                    verbAt = index - 1
                } else {
                    positional = true
                }
            }
        }
        let type = verb.flatMap(named) ?? ProbeCommand.self
        return try parse(type, arguments, skipping: verbAt)
    }

    /// `--name=value` as its flag and value; any other word as itself.
    private static func split(_ word: String) -> (flag: String, inline: String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else {
            return (word, nil)
        }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// Reads the line into `type`, by its own flags and arguments.
    private static func parse<C: Command>(
        _ type: C.Type,
        _ arguments: [String],
        skipping verbAt: Int?
    ) throws(UsageError) -> C {
        var command = C()
        let flags = C.flags
        var positional: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if index - 1 == verbAt { continue }
            guard word != "-", word.hasPrefix("-") else {
                positional.append(word)
                continue
            }
            let (name, inline) = split(word)
            guard let flag = flags.first(where: { $0.spec.names.contains(name) }) else {
                let owners = types.filter { $0.spec.flags.contains { $0.names.contains(name) } }
                guard !owners.isEmpty else { throw .unknownOption(name) }
                throw .notApplicable(
                    flag: name,
                    command: C.about.name,
                    takenBy: owners.map { $0.about.name }
                )
            }
            if flag.spec.value == .none {
                if inline != nil { throw .unexpectedValue(flag: name) }
                try flag.apply(&command, "")
                continue
            }
            let value: String
            if let inline {
                value = inline
            } else {
                guard index < arguments.count else { throw .missingValue(flag: name) }
                value = arguments[index]
                index += 1
            }
            do {
                try flag.apply(&command, value)
            } catch {
                // A word another command takes (`match --format nfd`) says who takes it.
                let owners = types.filter { type in
                    type.spec.flags.contains { option in
                        guard option.names.contains(name), case .choice(let words) = option.value
                        else { return false }
                        return words.contains(value)
                    }
                }
                guard case .badValue = error, !owners.isEmpty else { throw error }
                throw .notApplicable(
                    flag: "\(name) \(value)",
                    command: C.about.name,
                    takenBy: owners.map { $0.about.name }
                )
            }
        }
        let declared = C.arguments
        for (at, word) in positional.enumerated() {
            guard at < declared.count else { throw .unexpectedArgument(word) }
            try declared[at].apply(&command, word)
        }
        if positional.count < declared.count, let missing = declared[positional.count].missing {
            throw .missingArgument(missing)
        }
        try command.validate()
        return command
    }

    /// What a run printed and its exit status.
    public struct Execution: Equatable, Sendable {
        /// Standard output.
        public var output: String
        /// Standard error: whole lines, in order.
        public var messages: [String]
        /// The exit status.
        public var status: ExitStatus
    }

    /// Parses the line and runs the command: everything `gpuprobe` does but writing and
    /// exiting.
    ///
    /// - Parameters:
    ///   - arguments: `CommandLine.arguments.dropFirst()`.
    ///   - context: the surroundings; ``CommandContext/live()`` for the real process.
    /// - Returns: the output, the messages and the exit status.
    public static func execute(
        _ arguments: [String],
        _ context: inout CommandContext
    ) -> Execution {
        var verb: String?
        let command: any Command
        do {
            command = try parse(arguments, command: &verb)
        } catch {
            let usage = HelpText.usage(for: verb)
            return Execution(
                output: "",
                messages: ["gpuprobe: error: \(TerminalText.line(error.description))\n\(usage)"],
                status: ExitStatus(error)
            )
        }
        do {
            let result = try command.run(&context)
            return Execution(
                output: result.output,
                messages: context.messages,
                status: ExitStatus(result.outcome)
            )
        } catch {
            return Execution(
                output: "",
                messages: context.messages
                    + ["gpuprobe: error: \(TerminalText.line(error.description))\n"],
                status: ExitStatus(error)
            )
        }
    }
}
