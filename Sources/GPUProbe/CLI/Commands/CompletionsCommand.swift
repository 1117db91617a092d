/// `gpuprobe completions SHELL`: print a shell completion script.
public struct CompletionsCommand: Command {
    /// The shells `completions` writes scripts for.
    public enum Shell: String, Equatable, Sendable, CaseIterable {
        /// bash, through `complete -F`.
        case bash
        /// zsh, a `#compdef` function.
        case zsh
        /// fish, `complete -c` lines.
        case fish
    }

    /// The shell.
    public var shell = Shell.bash

    /// bash's script.
    public init() {}

    /// `shell`'s script.
    public init(_ shell: Shell) {
        self.shell = shell
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "completions",
        summary: "print a shell completion script",
        synopsis: ["completions bash|zsh|fish"],
        details: "Print a completion script for bash, zsh or fish: commands, each command's "
            + "flags, --format values, parse's tools, and files or folders where a flag takes "
            + "a path. Install it where the shell looks (see the examples).",
        examples: [
            .init(
                line: "gpuprobe completions bash > /etc/bash_completion.d/gpuprobe",
                note: "bash (bash-completion loads it in new shells)."
            ),
            .init(
                line: "gpuprobe completions zsh > /usr/local/share/zsh/site-functions/_gpuprobe",
                note: "zsh (a folder on $fpath; run compinit again)."
            ),
            .init(
                line: "gpuprobe completions fish > ~/.config/fish/completions/gpuprobe.fish",
                note: "fish."
            ),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] { [] }

    /// Its positional arguments.
    public static var arguments: [Argument<Self>] {
        [.choice(\.shell, command: "completions", missing: "the shell, one of bash, zsh, fish")]
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) -> CommandResult {
        CommandResult(Completions.script(for: shell))
    }
}
