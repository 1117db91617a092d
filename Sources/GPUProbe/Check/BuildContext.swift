#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a path in the build context is.
public enum ContextEntry: Hashable, Sendable {
    /// A regular file (after following symbolic links) of this many bytes.
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
        case entries([String: ContextEntry], texts: [String: String])
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
        // Bounded and only a regular file: a FIFO named .dockerignore must not hang check.
        switch BoundedFile.read(file, limit: limit) {
        case .success(let read) where read.complete:
            ignore = DockerIgnore(String(decoding: read.bytes, as: UTF8.self))
        case .success:
            throw IgnoreFileError(
                path: file,
                reason: "is larger than \(BoundedFile.sizeText(limit))"
            )
        case .failure(.missing):
            ignore = DockerIgnore("")
        case .failure(let failure):
            throw IgnoreFileError(path: file, reason: failure.reason)
        }
    }

    /// A context given as a table, for tests: `["ascend/dcmi": .directory, "x.run":
    /// .file(size: 1)]`; the folders above each path exist implicitly.
    ///
    /// - Parameters:
    ///   - entries: context-relative paths and what they are.
    ///   - texts: files given with their text (`requirements.txt`), added to `entries`.
    ///   - dockerignore: the text of its `.dockerignore`, if it has one.
    public init(
        entries: [String: ContextEntry],
        texts: [String: String] = [:],
        dockerignore: String? = nil
    ) {
        ignore = DockerIgnore(dockerignore ?? "")
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
        storage = .entries(all, texts: files)
    }

    /// `the build context /src/app`, for messages.
    var label: String {
        switch storage {
        case .directory(let root): "the build context \(root)"
        case .entries: "the build context"
        }
    }

    /// ` (its .dockerignore leaves it out with '*.run')`, or "".
    func ignoreNote(_ path: String) -> String {
        ignoredBy(path).map { " (its .dockerignore leaves it out with '\($0)')" } ?? ""
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
    /// leaves it out).
    func entry(_ path: String) -> ContextEntry? {
        let parts = Self.components(path)
        guard ignore.excluding(parts) == nil else { return nil }
        switch storage {
        case .entries(let table, _):
            return parts.isEmpty ? .directory : table[parts.joined(separator: "/")]
        case .directory(let root):
            return Self.lookup(([root] + parts).joined(separator: "/"))
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
                where Glob.matches(part, name) && ignore.excluding(prefix + [name]) == nil {
                    next.append(prefix + [name])
                    if next.count >= limit { break }
                }
            }
            found = next
            if found.isEmpty { return [] }
        }
        return found.map { $0.joined(separator: "/") }
    }

    /// The text of the file at `path` as the builder would send it, or nil when it is not a
    /// regular file there, `.dockerignore` leaves it out, or it is larger than `limit` bytes.
    func text(_ path: String, limit: Int = 1 << 20) -> String? {
        guard case .file = entry(path) else { return nil }
        let parts = Self.components(path)
        switch storage {
        case .entries(_, let texts):
            return texts[parts.joined(separator: "/")]
        case .directory(let root):
            guard
                case .success(let read) = BoundedFile.read(
                    ([root] + parts).joined(separator: "/"),
                    limit: limit
                ),
                read.complete
            else { return nil }
            return String(decoding: read.bytes, as: UTF8.self)
        }
    }

    private func children(_ prefix: [String]) -> [String] {
        switch storage {
        case .entries(let table, _):
            return table.keys.compactMap { key in
                let parts = key.split(separator: "/").map(String.init)
                guard parts.count == prefix.count + 1,
                    parts.prefix(prefix.count).elementsEqual(prefix)
                else { return nil }
                return parts.last
            }.sorted()
        case .directory(let root):
            let folder = ([root] + prefix).joined(separator: "/")
            return ((try? FileSystem.names(in: folder)) ?? []).sorted()
        }
    }

    private static func lookup(_ path: String) -> ContextEntry? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file(size: Int64(info.st_size))
        default: return nil
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

    private static func matchClass(_ p: [Unicode.Scalar], _ start: Int, _ c: Unicode.Scalar)
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

    /// One line: the file, what is wrong and what to do.
    public var description: String {
        "the build context's '\(path)' \(reason); the builder cannot use it either: make it a "
            + "text file of patterns under 1 MiB, or remove it"
    }
}
