/// One gpuprobe command: everything about it in one declaration.
///
/// A command is a value of its parsed flags and arguments. Its type declares the name, help,
/// examples, the typed flags (each bound to one of its properties) and the positional
/// arguments; ``Commands/parse(_:command:)`` reads a command line into it, and `run` does the
/// work. The help, the manual page, the completion scripts and the README's command table are
/// written from the same declarations (``CommandSpec``), so none of them can name a flag the
/// parser does not take.
///
/// Adding a flag is one edit in the command's own file: a property, and the ``Flag`` line
/// that binds it (see docs/development.md).
public protocol Command: Equatable, Sendable {
    /// Name, summary, usage lines, what it does and examples.
    static var about: CommandSpec.About { get }
    /// Its flags besides `-h/--help` and `-V/--version`, which every command takes.
    static var flags: [Flag<Self>] { get }
    /// Its positional arguments, in order.
    static var arguments: [Argument<Self>] { get }

    /// The command with every flag at its default.
    init()

    /// Checks what one flag alone cannot: combinations, required flags; and normalises
    /// (`-o -` is standard output).
    mutating func validate() throws(UsageError)

    /// Does the work.
    ///
    /// - Parameter context: the surroundings it reads (environment, current folder, clock)
    ///   and the notes and warnings it says on standard error.
    /// - Returns: what goes to standard output, and the outcome.
    /// - Throws: ``CommandFailure``, which ``ExitStatus`` turns into the exit status.
    func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult
}

extension Command {
    /// Its positional arguments.
    public static var arguments: [Argument<Self>] { [] }

    /// Checks the flags together.
    public mutating func validate() throws(UsageError) {}

    /// The declaration as help, completions and the manual page read it.
    public static var spec: CommandSpec {
        CommandSpec(about: about, flags: flags.map(\.spec), arguments: arguments.map(\.value))
    }
}

/// What a command printed and how it ended.
public struct CommandResult: Equatable, Sendable {
    /// How a command that ran to its end ended: the exit status says it.
    public enum Outcome: Equatable, Sendable {
        /// Done.
        case done
        /// `match`: the plan was printed, but something does not fit the host.
        case planIncomplete
        /// `check`: the Dockerfile does not fit the host.
        case incompatible
    }

    /// Standard output.
    public var output: String
    /// How it ended.
    public var outcome: Outcome

    /// A result.
    public init(_ output: String, _ outcome: Outcome = .done) {
        self.output = output
        self.outcome = outcome
    }
}

/// Why a command stopped before its end; printed as `gpuprobe: error: <message>`.
///
/// The cases say what failed, not the exit status: ``ExitStatus/init(_:)`` chooses that, in one
/// place for every command.
public enum CommandFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command line is wrong, found after parsing (a device the host lacks, `-` twice).
    case usage(String)
    /// An input could not be read or used, or the output could not be written.
    case input(String)
    /// A Dockerfile or run flags cannot be written: the emitter says why.
    case emit(EmitError)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .usage(let message), .input(let message): message
        case .emit(let error): error.description
        }
    }
}

/// What a command reads from its surroundings, and the messages it says on standard error.
///
/// ``live()`` reads the real process; tests give their own, so a command runs as a plain
/// function.
public struct CommandContext {
    /// Environment variables the commands read (`XDG_CACHE_HOME`, `HOME`, `--build-arg NAME`).
    public var environment: (String) -> String?
    /// The current folder; nil when it cannot be found.
    public var currentDirectory: String?
    /// Now, as the capture's metadata writes it.
    public var timestamp: () -> String
    /// Reads FILE, or standard input for `-`.
    public var read: (String) throws(CommandFailure) -> [UInt8]
    /// Lines for standard error, each whole (`gpuprobe: note: ...`), in order.
    public var messages: [String] = []

    /// A context.
    public init(
        environment: @escaping (String) -> String?,
        currentDirectory: String?,
        timestamp: @escaping () -> String,
        read: @escaping (String) throws(CommandFailure) -> [UInt8]
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.timestamp = timestamp
        self.read = read
    }

    /// This process's environment, folder, clock and files.
    public static func live() -> CommandContext {
        CommandContext(
            environment: HostSystem.environment,
            currentDirectory: StandardStreams.currentDirectory(),
            timestamp: StandardStreams.timestamp,
            read: StandardStreams.read
        )
    }

    // Messages repeat paths and values from the input: see TerminalText.
    /// Says a note on standard error.
    public mutating func note(_ message: String) { say("note: " + message) }

    /// Says a warning on standard error.
    public mutating func warn(_ message: String) { say("warning: " + message) }

    /// Says `gpuprobe: <message>` on standard error.
    public mutating func say(_ message: String) {
        messages.append("gpuprobe: \(TerminalText.line(message))\n")
    }

    /// FILE or standard input as text, invalid UTF-8 repaired as a paste would be.
    func readText(_ path: String) throws(CommandFailure) -> String {
        String(decoding: try read(path), as: UTF8.self)
    }
}
