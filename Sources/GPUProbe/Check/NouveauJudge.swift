/// Judges the nouveau blacklist the packaging guide writes in the image.
///
/// `RUN echo -e "blacklist nouveau\n..." > /etc/modprobe.d/...` runs under `/bin/sh -c`,
/// which is dash on Debian and Ubuntu: dash's `echo` takes no options, prints `-e ` and
/// interprets the `\n` itself, so the file's first line is `-e blacklist nouveau`.
enum NouveauJudge {
    static func findings(_ input: CheckInput) -> [Finding] {
        var findings: [Finding] = []
        var noted = Set<Int>()
        // A bootable container becomes the host's root: its modprobe.d and initramfs are read.
        let bootable = input.isBootable
        for command in input.facts.commands {
            let words = command.words
            guard let first = words.first else { continue }
            let program = CommandWords.basename(first.text)
            let text = words.dropFirst().map(\.text).joined(separator: " ")
            let writesNouveau =
                ["echo", "printf", "tee"].contains(program) && text.containsText("nouveau")
            if !bootable, writesNouveau || program == "update-initramfs",
                noted.insert(command.line).inserted
            {
                findings.append(
                    Finding(
                        line: command.line,
                        severity: .note,
                        kind: .nouveauInImage,
                        message: "blacklisting nouveau or rebuilding the initramfs in an image "
                            + "changes nothing: containers run on the host's kernel, which "
                            + "never reads the image's /etc/modprobe.d or initramfs",
                        fix: "blacklist nouveau on the host (NVIDIA's host installer does it)"
                    )
                )
            }
            guard program == "echo", writesNouveau, let option = words.dropFirst().first,
                isEchoEscapeOption(option.text)
            else { continue }
            if let finding = echoFinding(command, words, input) { findings.append(finding) }
        }
        return findings
    }

    /// `-e`, `-ne`, `-en`, `-neE`...: options that ask `echo` to interpret escapes.
    static func isEchoEscapeOption(_ text: String) -> Bool {
        text.hasPrefix("-") && text.count > 1 && text.contains("e")
            && text.dropFirst().allSatisfy { "neE".contains($0) }
    }

    static func echoFinding(_ command: CommandFact, _ words: [ScriptWord], _ input: CheckInput)
        -> Finding?
    {
        guard case .posix(let program) = command.shell else { return nil }
        let target =
            command.redirections.last { $0.op == ">" || $0.op == ">>" || $0.op == ">|" }?.target
        let file = target ?? "the file"
        let content = words.dropFirst(2).map(\.text).joined(separator: " ")
        let lines = content.splitting(onText: "\\n").map {
            ShellWord.quote(CommandWords.trimmed($0))
        }
        let fix =
            "printf '%s\\n' \(lines.joined(separator: " "))"
            + (target.map { " > \(ShellWord.quote($0))" } ?? "")
        let base = input.facts.externalBase(of: command.stage)?.image
        let shell: ImageReference.Shell =
            switch CommandWords.basename(program) {
            case "sh": base?.shell ?? .unknown
            case "ash": .busybox
            default: .dash
            }
        switch shell {
        case .dash, .unknown:
            let which =
                CommandWords.basename(program) == "sh"
                ? "/bin/sh (dash on Debian and Ubuntu\(base.map { ", as in \($0.text)" } ?? ""))"
                : program
            return Finding(
                line: command.line,
                severity: .error,
                kind: .nouveauEchoE,
                message: "`echo -e` runs under \(which), whose echo has no -e option: it "
                    + "writes \"-e blacklist nouveau\" as the first line of \(file), which "
                    + "modprobe ignores, so nouveau is not blacklisted",
                fix: fix
            )
        case .busybox, .bash:
            return Finding(
                line: command.line,
                severity: .note,
                kind: .nouveauEchoE,
                message: "`echo -e` works with this base image's /bin/sh, but not with dash "
                    + "(Debian, Ubuntu), where it writes \"-e\" into \(file)",
                fix: fix
            )
        }
    }
}
