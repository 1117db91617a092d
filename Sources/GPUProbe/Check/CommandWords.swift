/// Helpers for reading a command's words: which program runs, with which arguments.
enum CommandWords {
    /// The last path component (`/opt/conda/bin/pip` → `pip`; `/` stays `/`).
    ///
    /// Read on the UTF-8 bytes without splitting: it runs on every word of every command.
    static func basename(_ path: String) -> String {
        let bytes = path.utf8
        guard bytes.contains(0x2F) else { return path }
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == 0x2F {
            end = bytes.index(before: end)
        }
        guard end > bytes.startIndex else { return path }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != 0x2F {
            start = bytes.index(before: start)
        }
        return String(path[start..<end])
    }

    /// The words of the command that actually runs.
    ///
    /// Leading `NAME=value` assignments and the wrappers `sudo`, `env`, `exec`, `command`,
    /// `nohup`, `time` and `nice` (with their options) are removed. `command -v` looks a name
    /// up and runs nothing: empty.
    static func effective(_ words: [ScriptWord]) -> [ScriptWord] {
        effectiveWithAssignments(words).words
    }

    /// ``effective(_:)`` and the `NAME=value` assignments it removed (before the command and
    /// after `env`), which are in the command's environment.
    static func effectiveWithAssignments(_ words: [ScriptWord])
        -> (words: [ScriptWord], assignments: [String: String])
    {
        var rest = words[...]
        var assignments: [String: String] = [:]
        while true {
            while let first = rest.first, ShellLexerAssignment.isAssignment(first.text) {
                if let equals = first.text.firstIndex(of: "=") {
                    assignments[String(first.text[..<equals])] = String(
                        first.text[first.text.index(after: equals)...]
                    )
                }
                rest = rest.dropFirst()
            }
            guard let first = rest.first else { return ([], assignments) }
            let takesValue: Set<String>
            switch basename(first.text) {
            case "sudo":
                takesValue = ["-u", "-g", "-U", "-C", "-p", "-r", "-t", "-D", "-R", "-h"]
            case "env":
                takesValue = ["-u", "-C", "-S", "--unset", "--chdir", "--split-string"]
            case "exec":
                takesValue = ["-a"]
            case "command":
                if rest.dropFirst().contains(where: { $0.text == "-v" || $0.text == "-V" }) {
                    return ([], assignments)
                }
                takesValue = []
            case "nohup", "time":
                takesValue = []
            case "nice":
                takesValue = ["-n"]
            default:
                return (Array(rest), assignments)
            }
            rest = rest.dropFirst()
            while let word = rest.first, word.text.hasPrefix("-") {
                rest = rest.dropFirst()
                if word.text == "--" { break }
                if takesValue.contains(word.text) { rest = rest.dropFirst() }
            }
        }
    }

    /// The script of `sh -c SCRIPT` (also `-ec`, `-xc`, `-lc`); nil when there is no `-c`.
    static func inlineScript(_ words: [ScriptWord]) -> ScriptWord? {
        var index = 1
        while index < words.count {
            let text = words[index].text
            guard text.hasPrefix("-") || text.hasPrefix("+"), text != "-", text != "--" else {
                return nil
            }
            if text.hasPrefix("-"), !text.hasPrefix("--"), text.contains("c") {
                return index + 1 < words.count ? words[index + 1] : nil
            }
            // `-o pipefail`, `-O extglob`: the option takes the next word.
            if text == "-o" || text == "+o" || text == "-O" || text == "+O" { index += 1 }
            index += 1
        }
        return nil
    }

    /// Whether the words after the program are all options (so a shell reads its script from
    /// standard input).
    static func readsStandardInput(_ words: [ScriptWord]) -> Bool {
        words.dropFirst().allSatisfy { $0.text.hasPrefix("-") }
    }

    /// `text` without leading and trailing blanks.
    static func trimmed(_ text: some StringProtocol) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }),
            let last = text.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(text[first...last])
    }

    /// `path` resolved against `directory` and cleaned (`..` and `.` removed).
    static func absolute(_ path: String, from directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        return "/" + BuildContext.components(joined).joined(separator: "/")
    }
}

/// `NAME=value` recognition shared by the lexer and the command reader.
enum ShellLexerAssignment {
    /// Whether `text` is `NAME=...` with a valid shell name.
    static func isAssignment(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "=") else { return false }
        let name = text[..<equals]
        guard let head = name.utf8.first, VariableExpansion.isNameStart(head) else { return false }
        return name.utf8.allSatisfy(VariableExpansion.isNameByte)
    }
}
