/// The version this build reports.
public enum GPUProbeVersion {
    /// Semantic version of the tool; the JSON contract has its own (`gpuprobe/host/v1`).
    public static let current = "0.1.0"
}

/// `gpuprobe --help`.
public enum HelpText {
    /// The usage lines printed after a usage error: every command's synopsis, from
    /// ``CommandSpec/all``.
    public static let usage = synopsis(
        CommandSpec.all.filter { $0.name != "help" },
        lead: "usage: "
    )

    /// What follows the error line of a usage error: the synopsis of the command the parser
    /// was in and where its help is, or every command's synopsis when it was in none.
    ///
    /// - Parameter command: the command ``Commands/parse(_:command:)`` reported.
    /// - Returns: the lines, ending in a newline.
    public static func usage(for command: String?) -> String {
        guard let spec = command.flatMap(CommandSpec.named), spec.name != "help" else {
            return usage + "\nSee 'gpuprobe --help' for more information.\n"
        }
        return synopsis([spec], lead: "usage: ")
            + "\nSee 'gpuprobe \(spec.name) --help' for more information.\n"
    }

    /// The synopsis lines of some commands, the first led by `lead`, the rest aligned under it.
    static func synopsis(_ specs: [CommandSpec], lead: String) -> String {
        let indent = String(repeating: " ", count: lead.count)
        var lines: [String] = []
        for spec in specs {
            // A line that starts with a space continues the one before it.
            for line in spec.synopsis {
                let start = lines.isEmpty ? lead : indent
                lines.append(start + (line.hasPrefix(" ") ? "         " : "gpuprobe ") + line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One command's help, `gpuprobe COMMAND --help`: what it does, its usage, every flag the
    /// parser takes for it (from the same table) and examples.
    ///
    /// - Parameter name: the command; one not in ``CommandSpec/all`` gets the whole help.
    /// - Returns: the text, ending in a newline.
    public static func command(_ name: String) -> String {
        guard let spec = CommandSpec.named(name) else { return full + "\n" }
        var text = "gpuprobe \(spec.name): \(spec.summary).\n\n"
        text += synopsis([spec], lead: "usage: ") + "\n\n"
        text += wrap(spec.details, indent: "") + "\n"
        text += "\nOptions:\n"
        for flag in spec.flags + CommandSpec.common {
            var left = "  " + flag.names.joined(separator: ", ")
            if let placeholder = flag.value.placeholder { left += " " + placeholder }
            let column = 24
            let body = wrap(flag.help, indent: String(repeating: " ", count: column))
            if left.count < column - 1 {
                let pad = String(repeating: " ", count: column - left.count)
                text += left + pad + body.dropFirst(column) + "\n"
            } else {
                text += left + "\n" + body + "\n"
            }
        }
        text += "\nExamples:\n"
        for example in spec.examples {
            text += "  " + example.line + "\n" + wrap(example.note, indent: "      ") + "\n"
        }
        text += "\nExit status and the other commands: `gpuprobe --help`.\n"
        return text
    }

    /// Words wrapped to 100 columns, every line starting with `indent`.
    static func wrap(_ paragraph: String, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in paragraph.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > 100 {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// The whole help text, written from ``CommandSpec/all`` and ``ExitStatus/meanings``: every
    /// command, every flag with the commands that take it, and the exit statuses.
    public static let full: String = {
        var text = "gpuprobe \(GPUProbeVersion.current): what GPUs and NPUs this host has, as one "
        text += "JSON document.\n\n" + usage + "\n\nCommands:\n"
        for spec in CommandSpec.all {
            text += column(
                spec.label,
                wrap(spec.details, indent: String(repeating: " ", count: 21))
            )
        }
        text += "\nOptions (the commands that take each; `gpuprobe COMMAND --help` for one):\n"
        for (flag, uses) in CommandSpec.flagUses {
            var left = "  " + flag.names.joined(separator: ", ")
            if let placeholder = flag.value.placeholder { left += " " + placeholder }
            let body = uses.map { use in
                wrap(
                    use.commands.joined(separator: ", ") + ": " + use.help,
                    indent: String(repeating: " ", count: 21)
                )
            }.joined(separator: "\n")
            text += column(left, body)
        }
        text += "\nExit status (the same for every command):\n"
        for row in ExitStatus.meanings {
            text += column(
                "  " + row.status,
                wrap(row.meaning, indent: String(repeating: " ", count: 9)),
                width: 9
            )
        }
        text +=
            "\nThe JSON contracts are gpuprobe/host/v1, gpuprobe/plan/v1, gpuprobe/run-flags/v1,\n"
        text += "gpuprobe/stage/v1 and gpuprobe/check/v1; their schemas are in Schemas/.\n"
        return text
    }()

    /// `left` and a body already wrapped and indented to `width`: on one line when `left`
    /// fits before the body's column, else the body on the lines below.
    static func column(_ left: String, _ body: String, width: Int = 21) -> String {
        guard left.count < width - 1 else { return left + "\n" + body + "\n" }
        return left + String(repeating: " ", count: width - left.count) + body.dropFirst(width)
            + "\n"
    }
}
