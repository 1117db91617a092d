/// `pip install -r FILE`: what the file asks for, read from the build context where a `COPY`
/// put it before the command runs.
enum RequirementsFile {
    /// The file's lines as `pip install` words, one list per line so that an option's value
    /// never comes from the next line: an option line gives all its words, a requirement line
    /// one word without its environment marker, blanks, per-requirement options and comment
    /// (`torch >= 2.4 ; python_version > "3.8"  # pinned` is `torch>=2.4`).
    static func lines(_ text: String) -> [[ScriptWord]] {
        var lines: [[ScriptWord]] = []
        var joined = ""
        func take(_ line: String) {
            let content = withoutComment(line[...])
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first else { return }
            if first.hasPrefix("-") {
                lines.append(fields.map { ScriptWord(text: String($0)) })
            } else {
                let requirement = content.prefix { $0 != ";" }
                    .split(whereSeparator: { $0 == " " || $0 == "\t" })
                    .prefix { !$0.hasPrefix("-") }.joined()
                if !requirement.isEmpty { lines.append([ScriptWord(text: requirement)]) }
            }
        }
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            // A backslash at the end continues the line, except on a comment line; a comment
            // line inside a continuation stays a comment (pip's join_lines).
            let comment = raw.drop { $0 == " " || $0 == "\t" }.hasPrefix("#")
            if raw.hasSuffix("\\"), !comment {
                joined += raw.dropLast()
                continue
            }
            take(joined + (comment && !joined.isEmpty ? " " : "") + raw)
            joined = ""
        }
        if !joined.isEmpty { take(joined) }
        return lines
    }

    /// A line without its comment: `#` at the start or after a blank, as pip reads it.
    private static func withoutComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#", previous == " " || previous == "\t" { return line[..<index] }
            previous = line[index]
        }
        return line
    }

    /// The context path of the file a command reads at `path`.
    ///
    /// It is the source of the last `COPY` or `ADD` from the context, in the command's stage
    /// or the stages it is built on, that put a file (or a folder holding it) there; nil when
    /// none did, or a variable in the `COPY` is unknown.
    static func contextPath(
        of path: String,
        before line: Int,
        stage: Int,
        facts: BuildFacts,
        context: BuildContext
    ) -> String? {
        let stages = Set(facts.chain(from: stage).map(\.index))
        for copy in facts.copies.reversed()
        where copy.line < line && copy.fromContext && stages.contains(copy.stage)
            && copy.destinationUnresolved.isEmpty
        {
            let sources = copy.sources.filter(\.unresolved.isEmpty).flatMap {
                context.matches($0.text)
            }
            for source in sources.reversed() {
                if copy.imagePaths(of: source).contains(path) { return source }
                // `COPY . /app`: a folder's contents land under the destination.
                let folder = copy.destination == "/" ? "/" : copy.destination + "/"
                if path.hasPrefix(folder), context.entry(source) == .directory {
                    let rest = path.dropFirst(folder.count)
                    return BuildContext.components(source + "/" + rest).joined(separator: "/")
                }
            }
        }
        return nil
    }
}
