/// What a path in the build context is.
public enum ContextEntry: Hashable, Sendable {
    /// A regular file (symbolic links that stay in the context followed) of this many bytes.
    case file(size: Int64)
    /// A folder.
    case directory
}

/// The build context `COPY` and `ADD` read their sources from: a folder on disk, or (for
/// tests) a table of paths.
///
/// Paths are taken as the builder takes them: relative to the context's root, a leading `/`
/// and `..` beyond the root ignored, `*`, `?` and `[...]` matched within one path component,
/// and what the context's `.dockerignore` leaves out absent.
public struct BuildContext: Sendable {
    enum Storage: Sendable {
        case directory(String)
        /// Paths and what they are, and the text of the files whose contents a test gives.
        case entries([String: ContextEntry], texts: [String: String], links: [String: String])
    }

    let storage: Storage
    /// What `.dockerignore` leaves out.
    let ignore: DockerIgnore

    /// A context that is a folder on disk.
    ///
    /// Its `.dockerignore`, if any, is read now; other files only when `check` looks a path
    /// up.
    /// - Parameter directory: the folder (`docker build DIR`).
    /// - Throws: ``IgnoreFileError`` when a `.dockerignore` is there but cannot be read whole:
    ///   the builder fails on it too, and judging the context without it would judge files the
    ///   builder never sends.
    public init(directory: String) throws(IgnoreFileError) {
        storage = .directory(directory)
        let file = directory + "/.dockerignore"
        let limit = 1 << 20
        // Bounded and only a regular file: a FIFO named .dockerignore must not hang check. Read
        // as the builder reads it, from the context: a link out of it is not followed.
        let text: String
        switch Self.readFile(root: directory, [".dockerignore"], floor: nil, limit: limit) {
        case .text(let read):
            text = read
        case .tooLarge:
            throw IgnoreFileError(
                path: file,
                reason: "is larger than \(BoundedFile.sizeText(limit))"
            )
        case .absent(.absent):
            text = ""
        case .absent(.present):
            throw IgnoreFileError(path: file, reason: "is a directory, not a regular file")
        case .absent(.special(let kind)):
            throw IgnoreFileError(path: file, reason: "is \(kind), not a regular file")
        case .absent(.outside(let link)):
            throw IgnoreFileError(
                path: file,
                reason:
                    "is a symbolic link out of the build context ('\(DockerIgnore.cut(link, limit: 240))')",
                fix: "put the patterns themselves in the context's .dockerignore"
            )
        case .absent(.failed(let why)), .absent(.ignored(let why)):
            throw IgnoreFileError(path: file, reason: "cannot be read: \(why)")
        }
        do {
            ignore = try DockerIgnore(text)
        } catch {
            throw IgnoreFileError(
                path: file,
                reason: "line \(error.line) \(error.reason)",
                fix: "correct or remove that line"
            )
        }
    }

    /// A context given as a table, for tests: `["ascend/dcmi": .directory, "x.run":
    /// .file(size: 1)]`; the folders above each path exist implicitly.
    ///
    /// - Parameters:
    ///   - entries: context-relative paths and what they are.
    ///   - texts: files given with their text (`requirements.txt`), added to `entries`.
    ///   - dockerignore: the text of its `.dockerignore`, if it has one.
    ///   - links: symbolic links that lead out of the context, by path, with their targets.
    public init(
        entries: [String: ContextEntry],
        texts: [String: String] = [:],
        dockerignore: String? = nil,
        links: [String: String] = [:]
    ) {
        // A test gives valid patterns; one that is not leaves nothing out.
        ignore = (try? DockerIgnore(dockerignore ?? "")) ?? DockerIgnore()
        var all: [String: ContextEntry] = [:]
        var files: [String: String] = [:]
        let given = entries.merging(texts.mapValues { .file(size: Int64($0.utf8.count)) }) { $1 }
        for (path, text) in texts { files[Self.components(path).joined(separator: "/")] = text }
        for (path, entry) in given {
            let parts = Self.components(path)
            guard !parts.isEmpty else { continue }
            for depth in 1..<parts.count {
                all[parts.prefix(depth).joined(separator: "/")] = .directory
            }
            all[parts.joined(separator: "/")] = entry
        }
        var outside: [String: String] = [:]
        for (path, target) in links {
            outside[Self.components(path).joined(separator: "/")] = target
        }
        storage = .entries(all, texts: files, links: outside)
    }

    /// `the build context /src/app`, for messages.
    var label: String {
        switch storage {
        case .directory(let root): "the build context \(root)"
        case .entries: "the build context"
        }
    }

    /// Why `path` is not in the context, to follow `is not in the build context`: ` (its
    /// .dockerignore leaves it out with '*.run')`, ` (the symbolic link 'x.run -> /opt/x.run'
    /// leads out of it...)`, or "".
    func absenceNote(_ path: String) -> String {
        if let pattern = ignoredBy(path) {
            return " (its .dockerignore leaves it out with '\(pattern)')"
        }
        if case .outside(let link) = presence(path) {
            return " (\(Self.outsideText(link)))"
        }
        return ""
    }

    /// `the symbolic link 'a -> /opt/a' leads out of it, and the builder sends nothing from
    /// outside`, for messages.
    static func outsideText(_ link: String, of place: String = "it") -> String {
        "the symbolic link '\(DockerIgnore.cut(link, limit: 240))' leads out of \(place), and the builder sends "
            + "nothing from outside the context (it reads an absolute link's target inside the "
            + "context)"
    }

    /// The context's path components of a source path, as the builder cleans it.
    static func components(_ path: String) -> [String] {
        var parts: [String] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(String(part))
            }
        }
        return parts
    }

    /// Whether a path holds a wildcard the builder expands.
    static func hasWildcard(_ path: String) -> Bool {
        path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The `.dockerignore` pattern that leaves `path` out, or nil when it is sent.
    func ignoredBy(_ path: String) -> String? {
        ignore.excluding(Self.components(path))
    }

    /// What is at `path` as the builder sees it, or nil when nothing is (or `.dockerignore`
    /// leaves it out, or a link leads out of the context).
    func entry(_ path: String) -> ContextEntry? {
        if case .present(let entry) = presence(path) { return entry }
        return nil
    }

    /// What the builder finds at a context path.
    enum Presence: Equatable {
        case present(ContextEntry)
        case absent
        /// `.dockerignore` leaves it out with this pattern.
        case ignored(String)
        /// A symbolic link on the way leads out of the context: `a -> /opt/a`.
        case outside(String)
        /// Not a file or folder: `a FIFO`.
        case special(String)
        case failed(String)

        /// Whether a link leads out of the context.
        var leadsOutside: Bool {
            if case .outside = self { return true }
            return false
        }
    }

    /// What the builder finds at `path`; `floor` as in ``ContextWalk/walk(root:_:floor:)``.
    func presence(_ path: String, floor: Int? = nil) -> Presence {
        let parts = Self.components(path)
        if let pattern = ignore.excluding(parts) { return .ignored(pattern) }
        switch storage {
        case .entries(let table, _, let links):
            guard !parts.isEmpty else { return .present(.directory) }
            if let link = Self.link(parts, links) { return .outside(link) }
            return table[parts.joined(separator: "/")].map { .present($0) } ?? .absent
        case .directory(let root):
            switch ContextWalk.walk(root: root, parts, floor: floor) {
            case .found(let parent, _, let info):
                parent.close()
                switch info.kind {
                case .directory: return .present(.directory)
                case .regular: return .present(.file(size: info.size))
                default: return .special(info.kindText)
                }
            case .missing: return .absent
            case .outside(let link): return .outside(link)
            case .failed(let why): return .failed(why)
            }
        }
    }

    /// The context paths a source names: itself when it has no wildcard, else every match
    /// (at most `limit`).
    func matches(_ path: String, limit: Int = 256) -> [String] {
        let parts = Self.components(path)
        guard Self.hasWildcard(path) else {
            return entry(path) == nil ? [] : [parts.joined(separator: "/")]
        }
        var found: [[String]] = [[]]
        for part in parts {
            var next: [[String]] = []
            for prefix in found {
                if !Self.hasWildcard(part) {
                    if entry((prefix + [part]).joined(separator: "/")) != nil {
                        next.append(prefix + [part])
                    }
                    continue
                }
                for name in children(prefix)
                where Glob.matches(part, name)
                    && entry((prefix + [name]).joined(separator: "/")) != nil
                {
                    next.append(prefix + [name])
                    if next.count >= limit { break }
                }
            }
            found = next
            if found.isEmpty { return [] }
        }
        return found.map { $0.joined(separator: "/") }
    }

    /// A file's text as the builder would send it, or why not.
    enum FileText: Equatable {
        case text(String)
        case absent(Presence)
        /// Larger than the limit (bytes).
        case tooLarge(Int)
    }

    /// The text of the file at `path` as the builder would send it; `floor` as in
    /// ``ContextWalk/walk(root:_:floor:)``.
    ///
    /// The file is opened through the same walk that checked it stays in the context, and read
    /// only when it is a regular file, at most `limit` bytes.
    func contents(_ path: String, floor: Int? = nil, limit: Int = 1 << 20) -> FileText {
        let parts = Self.components(path)
        if let pattern = ignore.excluding(parts) { return .absent(.ignored(pattern)) }
        switch storage {
        case .entries(let table, let texts, let links):
            if let link = Self.link(parts, links) { return .absent(.outside(link)) }
            guard let text = texts[parts.joined(separator: "/")] else {
                return .absent(table[parts.joined(separator: "/")].map { .present($0) } ?? .absent)
            }
            return text.utf8.count > limit ? .tooLarge(limit) : .text(text)
        case .directory(let root):
            return Self.readFile(root: root, parts, floor: floor, limit: limit)
        }
    }

    private static func readFile(root: String, _ parts: [String], floor: Int?, limit: Int)
        -> FileText
    {
        switch ContextWalk.walk(root: root, parts, floor: floor) {
        case .found(let parent, let name, let info):
            defer { parent.close() }
            guard info.kind == .regular else {
                return .absent(
                    info.kind == .directory ? .present(.directory) : .special(info.kindText)
                )
            }
            return readRegular(parent, name, limit: limit)
        case .missing: return .absent(.absent)
        case .outside(let link): return .absent(.outside(link))
        case .failed(let why): return .absent(.failed(why))
        }
    }

    private static func readRegular(_ parent: FileDescriptor, _ name: String, limit: Int)
        -> FileText
    {
        // O_NOFOLLOW and the fstat refuse a file swapped for a link or a FIFO since the walk.
        let fd: FileDescriptor
        do {
            fd = try parent.open(name, [.noFollow, .nonBlocking])
        } catch {
            return .absent(
                error == .symbolicLinkRefused
                    ? .failed("\(name) changed while read") : .failed(error.reason)
            )
        }
        defer { fd.close() }
        switch BoundedFile.read(fd: fd.rawValue, limit: limit) {
        case .success(let read):
            guard read.complete else { return .tooLarge(limit) }
            return .text(String(decoding: read.bytes, as: UTF8.self))
        case .failure(.notRegular(let kind)):
            return .absent(.special(kind))
        case .failure(.failed(let why)):
            return .absent(.failed(why))
        case .failure(.missing):
            return .absent(.absent)
        }
    }

    /// `conf -> /etc/app` when a table's link is `parts` or a folder above it.
    private static func link(_ parts: [String], _ links: [String: String]) -> String? {
        guard !links.isEmpty else { return nil }
        for depth in 1...parts.count {
            let path = parts.prefix(depth).joined(separator: "/")
            if let target = links[path] { return path + " -> " + target }
        }
        return nil
    }

    private func children(_ prefix: [String]) -> [String] {
        switch storage {
        case .entries(let table, _, _):
            return table.keys.compactMap { key in
                let parts = key.split(separator: "/").map(String.init)
                guard parts.count == prefix.count + 1,
                    parts.prefix(prefix.count).elementsEqual(prefix)
                else { return nil }
                return parts.last
            }.sorted()
        case .directory(let root):
            guard case .found(let parent, let name, let info) = ContextWalk.walk(root: root, prefix)
            else { return [] }
            defer { parent.close() }
            guard info.kind == .directory,
                let fd = try? parent.open(name, [.folder, .noFollow])
            else { return [] }
            return ContextWalk.names(fd).sorted()
        }
    }
}

/// Go's `filepath.Match` for one path component: `*`, `?`, `[abc]`, `[a-z]`, `[^x]`, `\x`.
enum Glob {
    /// Whether `name` matches `pattern`; a malformed class matches nothing.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let n = Array(name.unicodeScalars)
        // Iterative matching with one backtrack point for the last `*`: linear in practice,
        // quadratic at worst on one short component.
        var pi = 0
        var ni = 0
        var star: (p: Int, n: Int)?
        while ni < n.count {
            if pi < p.count {
                switch p[pi] {
                case "*":
                    star = (pi, ni)
                    pi += 1
                    continue
                case "?":
                    pi += 1
                    ni += 1
                    continue
                case "[":
                    if let (matched, next) = matchClass(p, pi, n[ni]), matched {
                        pi = next
                        ni += 1
                        continue
                    }
                case "\\" where pi + 1 < p.count:
                    if p[pi + 1] == n[ni] {
                        pi += 2
                        ni += 1
                        continue
                    }
                default:
                    if p[pi] == n[ni] {
                        pi += 1
                        ni += 1
                        continue
                    }
                }
            }
            guard let last = star else { return false }
            pi = last.p + 1
            ni = last.n + 1
            star = (last.p, last.n + 1)
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// A bracket expression at `p[start]`: whether `c` matches it, and the index after it.
    ///
    /// `[a-z]`, `[!x]`, `[^x]`, `\]` escaped; nil when there is no closing `]`. Shell patterns
    /// (`case`, `[[ == ]]`) read brackets the same way.
    static func matchClass(_ p: [Unicode.Scalar], _ start: Int, _ c: Unicode.Scalar)
        -> (Bool, Int)?
    {
        var index = start + 1
        var negate = false
        if index < p.count, p[index] == "^" || p[index] == "!" {
            negate = true
            index += 1
        }
        var matched = false
        var first = true
        while index < p.count, p[index] != "]" || first {
            first = false
            var low = p[index]
            if low == "\\", index + 1 < p.count {
                index += 1
                low = p[index]
            }
            var high = low
            if index + 2 < p.count, p[index + 1] == "-", p[index + 2] != "]" {
                high = p[index + 2]
                index += 2
            }
            if low <= c && c <= high { matched = true }
            index += 1
        }
        guard index < p.count else { return nil }
        return (matched != negate, index + 1)
    }
}

/// A build context's `.dockerignore` that is there but cannot be read.
public struct IgnoreFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What is wrong with it: `is a directory, not a regular file`.
    public let reason: String
    /// What to do.
    public var fix = "make it a text file of patterns under 1 MiB, or remove it"

    /// One line: the file, what is wrong and what to do.
    public var description: String {
        "the build context's '\(path)' \(reason); the builder cannot use it either: \(fix)"
    }
}
