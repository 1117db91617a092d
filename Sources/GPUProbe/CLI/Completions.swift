/// `gpuprobe completions bash|zsh|fish`: completion scripts made from ``CommandSpec/all``, the
/// table the parser checks flags against, so a script never offers a flag the parser refuses.
public enum Completions {
    /// The script for a shell.
    ///
    /// - Parameter shell: bash, zsh or fish.
    /// - Returns: the script, ending in a newline.
    public static func script(for shell: CompletionsCommand.Shell) -> String {
        switch shell {
        case .bash: bash()
        case .zsh: zsh()
        case .fish: fish()
        }
    }

    private static var specs: [CommandSpec] { CommandSpec.all }

    /// Every flag of every command with its value (the same flag has the same kind of value in
    /// every command, which `CompletionsTests` checks), in first-seen order.
    static var allFlags: [(name: String, value: CommandSpec.Value)] {
        var seen: Set<String> = []
        var result: [(name: String, value: CommandSpec.Value)] = []
        for flag in specs.flatMap(\.flags) {
            for name in flag.names where seen.insert(name).inserted {
                result.append((name, flag.value))
            }
        }
        return result
    }

    /// A flag's help cut to its first sentence, for completion menus.
    static func brief(_ text: String) -> String {
        var sentence = text
        if let end = text.rangeOfText(". ") { sentence = String(text[..<end.lowerBound]) }
        if sentence.hasSuffix(".") { sentence.removeLast() }
        return sentence
    }

    private static func header(_ shell: String, install: String) -> String {
        """
        # \(shell) completion for gpuprobe \(GPUProbeVersion.current), printed by \
        `gpuprobe completions \(shell)`.
        # Install: \(install)

        """
    }

    // MARK: - bash

    private static func bash() -> String {
        let commands = specs.map(\.name).joined(separator: " ")
        let valueFlags = allFlags.filter { $0.value != .none }.map(\.name)
        func words(_ spec: CommandSpec) -> String {
            (spec.flags + CommandSpec.common).flatMap(\.names).joined(separator: " ")
        }
        func action(_ value: CommandSpec.Value) -> String {
            switch value {
            case .file: "_gpuprobe_files"
            case .directory: "_gpuprobe_dirs"
            case .choice(let list): "_gpuprobe_words \"\(list.joined(separator: " "))\""
            case .none, .text: ":"
            }
        }
        var valueArms = ""
        for (kind, names) in [
            (
                "_gpuprobe_files",
                allFlags.filter { if case .file = $0.value { true } else { false } }
            ),
            (
                "_gpuprobe_dirs",
                allFlags.filter { if case .directory = $0.value { true } else { false } }
            ),
            (":", allFlags.filter { if case .text = $0.value { true } else { false } }),
        ] where !names.isEmpty {
            valueArms +=
                "        \(names.map(\.name).joined(separator: "|"))) \(kind); return 0 ;;\n"
        }
        var formatArms = ""
        var flagArms = ""
        var argumentArms = ""
        for spec in specs {
            let label = spec.name == "probe" ? "\"\"|probe" : spec.name
            if !spec.formats.isEmpty {
                formatArms +=
                    "                \(label)) _gpuprobe_words \"\(spec.formats.joined(separator: " "))\" ;;\n"
            }
            flagArms += "            \(label)) _gpuprobe_words \"\(words(spec))\" ;;\n"
            guard !spec.arguments.isEmpty else { continue }
            argumentArms += "        \(spec.name))\n            case $npos in\n"
            for (index, value) in spec.arguments.enumerated() {
                argumentArms += "                \(index)) \(action(value)) ;;\n"
            }
            argumentArms += "            esac ;;\n"
        }
        return header(
            "bash",
            install: "gpuprobe completions bash > /etc/bash_completion.d/gpuprobe"
        )
            + """

            _gpuprobe_words() {
                mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
            }

            _gpuprobe_files() {
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            }

            _gpuprobe_dirs() {
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            }

            _gpuprobe() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="" command="" npos=0 i word
                COMPREPLY=()
                if (( COMP_CWORD > 0 )); then prev="${COMP_WORDS[COMP_CWORD - 1]}"; fi
                # bash splits --flag=value at '=': complete the value of the flag before it.
                if [[ "$cur" == "=" ]]; then
                    cur=""
                elif [[ "$prev" == "=" ]] && (( COMP_CWORD > 1 )); then
                    prev="${COMP_WORDS[COMP_CWORD - 2]}"
                fi
                # The command is the first plain word, as the parser reads it: values of flags
                # that take one are skipped; later plain words are the command's arguments.
                for (( i = 1; i < COMP_CWORD; i++ )); do
                    word="${COMP_WORDS[i]}"
                    case "$word" in
                        \(valueFlags.joined(separator: "|")))
                            if [[ "${COMP_WORDS[i + 1]}" == "=" ]]; then (( i++ )); fi
                            (( i++ )) ;;
                        -?*) ;;
                        *)
                            if [[ -z "$command" ]] && (( npos == 0 )) \\
                                && [[ " \(commands) " == *" $word "* ]]; then
                                command="$word"
                            else
                                (( npos++ ))
                            fi ;;
                    esac
                done
                case "$prev" in
                    --format)
                        case "$command" in
            \(formatArms)            esac
                        return 0 ;;
            \(valueArms)    esac
                if [[ "$cur" == -* ]]; then
                    case "$command" in
            \(flagArms)        esac
                    return 0
                fi
                case "$command" in
                    "") if (( npos == 0 )); then _gpuprobe_words "\(commands)"; fi ;;
            \(argumentArms)    esac
                return 0
            }

            complete -F _gpuprobe gpuprobe

            """
    }

    // MARK: - zsh

    private static func zshQuote(_ text: String) -> String {
        "'" + text.replacingText("'", with: "'\\''") + "'"
    }

    private static func zshAction(_ value: CommandSpec.Value) -> String {
        switch value {
        case .file: "_files"
        case .directory: "_files -/"
        case .choice(let words): "(\(words.joined(separator: " ")))"
        case .none, .text: " "
        }
    }

    private static func zshSpecs(_ spec: CommandSpec) -> [String] {
        var lines: [String] = []
        for flag in spec.flags + CommandSpec.common {
            let words: String = brief(flag.help).replacingText("[", with: "(").replacingText(
                "]",
                with: ")"
            )
            var tail = "[" + words + "]"
            if let placeholder = flag.value.placeholder {
                let message: String = placeholder.replacingText(":", with: " ")
                tail += ":" + message + ":" + zshAction(flag.value)
            }
            if flag.names.count == 1 {
                lines.append(zshQuote(flag.names[0] + tail))
            } else {
                let names = flag.names.joined(separator: " ")
                lines.append(
                    zshQuote("(\(names))") + "{" + flag.names.joined(separator: ",") + "}"
                        + zshQuote(tail)
                )
            }
        }
        for (index, value) in spec.arguments.enumerated() {
            let message = value.placeholder?.replacingText(":", with: " ") ?? "argument"
            lines.append(zshQuote("\(index + 1):\(message):\(zshAction(value))"))
        }
        return lines
    }

    private static func zsh() -> String {
        let probe = specs.first { $0.name == "probe" }.map(zshSpecs) ?? []
        let menu = specs.map { zshQuote($0.name + ":" + $0.summary) }
        var arms = ""
        for spec in specs {
            let lines = zshSpecs(spec)
            arms += "        \(spec.name))\n"
            arms +=
                lines.isEmpty
                ? "            _message 'no more arguments' ;;\n"
                : "            _arguments -s -S \\\n"
                    + lines.map { "                " + $0 }.joined(separator: " \\\n") + " ;;\n"
        }
        return "#compdef gpuprobe\n"
            + header(
                "zsh",
                install: "gpuprobe completions zsh > /usr/local/share/zsh/site-functions/_gpuprobe"
            )
                + """

                _gpuprobe_commands() {
                    local -a commands
                    commands=(
                \(menu.map { "        " + $0 }.joined(separator: "\n"))
                    )
                    _describe -t commands 'gpuprobe command' commands
                }

                _gpuprobe() {
                    local curcontext="$curcontext" state line
                    typeset -A opt_args
                    # probe is the default command, so its flags come before any command word.
                    _arguments -C -s -S \\
                \(probe.map { "        " + $0 + " \\" }.joined(separator: "\n"))
                        '1: :_gpuprobe_commands' \\
                        '*:: :->command' && return 0
                    [[ $state == command ]] || return 1
                    curcontext="${curcontext%:*:*}:gpuprobe-$words[1]:"
                    case $words[1] in
                \(arms)    esac
                }

                _gpuprobe "$@"

                """
    }

    // MARK: - fish

    private static func fishQuote(_ text: String) -> String {
        "'"
            + text.replacingText("\\", with: "\\\\")
            .replacingText("'", with: "\\'") + "'"
    }

    private static func fishAction(_ value: CommandSpec.Value) -> String {
        switch value {
        case .file: "-r -F"
        case .directory: "-x -a '(__fish_complete_directories)'"
        case .choice(let words): "-x -a " + fishQuote(words.joined(separator: " "))
        case .text: "-x"
        case .none: ""
        }
    }

    private static func fish() -> String {
        var lines = [
            "# Nothing offers files unless a flag or argument takes a path.",
            "complete -c gpuprobe -f",
        ]
        for spec in specs {
            lines.append(
                "complete -c gpuprobe -n __fish_use_subcommand -a \(spec.name) -d "
                    + fishQuote(spec.summary)
            )
        }
        for spec in specs {
            // probe is the default command: its flags apply before any command word too.
            let condition =
                spec.name == "probe"
                ? "__fish_use_subcommand; or __fish_seen_subcommand_from probe"
                : "__fish_seen_subcommand_from \(spec.name)"
            lines.append("")
            for flag in spec.flags + CommandSpec.common {
                var line = "complete -c gpuprobe -n " + fishQuote(condition)
                for name in flag.names {
                    line +=
                        name.hasPrefix("--")
                        ? " -l \(name.dropFirst(2))" : " -s \(name.dropFirst())"
                }
                let action = fishAction(flag.value)
                if !action.isEmpty { line += " " + action }
                lines.append(line + " -d " + fishQuote(brief(flag.help)))
            }
            for (index, value) in spec.arguments.enumerated() {
                var test = "__fish_seen_subcommand_from \(spec.name)"
                if index > 0, case .choice(let before) = spec.arguments[index - 1] {
                    test += "; and __fish_seen_subcommand_from " + before.joined(separator: " ")
                }
                if case .choice(let words) = value {
                    test += "; and not __fish_seen_subcommand_from " + words.joined(separator: " ")
                }
                let action =
                    switch value {
                    case .choice(let words): "-a " + fishQuote(words.joined(separator: " "))
                    case .file: "-F"
                    case .directory: "-a '(__fish_complete_directories)'"
                    case .none, .text: ""
                    }
                if action.isEmpty { continue }
                lines.append("complete -c gpuprobe -n \(fishQuote(test)) \(action)")
            }
        }
        return header(
            "fish",
            install: "gpuprobe completions fish > ~/.config/fish/completions/gpuprobe.fish"
        )
            + lines.joined(separator: "\n") + "\n"
    }
}
