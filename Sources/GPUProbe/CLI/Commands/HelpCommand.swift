/// `gpuprobe help [COMMAND|man]`, `gpuprobe COMMAND --help`: the help, or the manual page.
public struct HelpCommand: Command {
    /// The command whose help to show, or `man` for the manual page; nil for the whole help.
    public var topic: String?

    /// The whole help.
    public init() {}

    /// `topic`'s help.
    public init(_ topic: String?) {
        self.topic = topic
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "help",
        summary: "show the help, or a command's help",
        synopsis: ["help [COMMAND|man]"],
        details: "Show the whole help, or one command's flags and examples "
            + "(the same as `gpuprobe COMMAND --help`); `help man` prints the manual page "
            + "(roff), written from the same table.",
        examples: [
            .init(line: "gpuprobe help match", note: "match's flags and examples."),
            .init(line: "gpuprobe help man | man -l -", note: "The manual page."),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] { [] }

    /// Its positional arguments.
    public static var arguments: [Argument<Self>] {
        [
            Argument(
                value: .choice(Commands.names + ["man"]),
                missing: nil
            ) { help, word throws(UsageError) in
                guard word == "man" || Commands.named(word) != nil else {
                    throw .badValue(
                        flag: "help",
                        value: word,
                        expected: "a command (" + Commands.names.joined(separator: ", ")
                            + ") or man"
                    )
                }
                help.topic = word
            }
        ]
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) -> CommandResult {
        switch topic {
        case nil: CommandResult(HelpText.full + "\n")
        case "man": CommandResult(ManPage.render())
        case let name?: CommandResult(HelpText.command(name))
        }
    }
}

/// `gpuprobe --version`, after any command: the one version the whole tool has.
public struct VersionCommand: Command {
    /// The version.
    public init() {}

    /// Not a verb: `-V` reaches it, and no command table lists it.
    public static let about = CommandSpec.About(
        name: "--version",
        summary: "show the version",
        synopsis: [],
        details: "",
        examples: []
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] { [] }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) -> CommandResult {
        CommandResult("gpuprobe \(GPUProbeVersion.current) (schema \(HostReport.currentSchema))\n")
    }
}
