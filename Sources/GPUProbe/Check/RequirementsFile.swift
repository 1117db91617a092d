/// `pip install -r FILE`: what the file asks for, read from the build context where a `COPY`
/// put it before the command runs.
enum RequirementsFile {
    /// At most this many files are read for one install (`-r` on the command line and inside
    /// files).
    ///
    /// A real project has a handful, a monorepo a few dozen (one per component); past the
    /// bound the verdict is an error, as a torch in a file left out goes unchecked.
    static let maximumFiles = 128
    /// At most this many bytes are read from one install's files in all.
    static let maximumBytes = 8 << 20
    /// At most this many lines are read from one install's files in all.
    ///
    /// A real file has hundreds. Each line becomes words and a requirement in memory: the bound keeps that
    /// small whatever the files hold.
    static let maximumLines = 10_000

    /// The file's lines as ``lines(_:)`` reads them, at most `limit` physical lines; whether
    /// that was the whole file.
    static func lines(_ text: String, limit: Int) -> (lines: [[ScriptWord]], complete: Bool) {
        var end = text.startIndex
        var count = 0
        while end < text.endIndex, count < limit {
            end =
                text[end...].firstIndex(where: \.isNewline).map { text.index(after: $0) }
                ?? text.endIndex
            count += 1
        }
        let rest = text[end...]
        return (lines(String(text[..<end])), rest.isEmpty)
    }

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

    /// The context path of the file a command reads at `path`, and how many of its
    /// components name what the `COPY` copied (nil: all of them, the file itself; below a
    /// folder copied whole, symbolic links are copied as links).
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
    ) -> (path: String, floor: Int?)? {
        let stages = Set(facts.chain(from: stage).map(\.index))
        for copy in facts.copies.reversed()
        where copy.line < line && copy.fromContext && stages.contains(copy.stage)
            && copy.destinationUnresolved.isEmpty
        {
            // A source named without wildcards counts whatever is there (a FIFO, a link out of
            // the context, nothing), so the reader can say why it cannot be read.
            let sources = copy.sources.filter(\.unresolved.isEmpty).flatMap {
                BuildContext.hasWildcard($0.text)
                    ? context.matches($0.text)
                    : [BuildContext.components($0.text).joined(separator: "/")]
            }
            for source in sources.reversed() {
                if copy.imagePaths(of: source).contains(path) { return (source, nil) }
                // `COPY . /app`: a folder's contents land under the destination.
                let folder = copy.destination == "/" ? "/" : copy.destination + "/"
                guard path.hasPrefix(folder) else { continue }
                let found = context.presence(source)
                if found == .present(.directory) || found.leadsOutside {
                    let rest = path.dropFirst(folder.count)
                    let folder = BuildContext.components(source)
                    return (
                        (folder + BuildContext.components(String(rest))).joined(separator: "/"),
                        folder.count
                    )
                }
            }
        }
        return nil
    }
}
