/// What one table entry will write, and what it leaves out.
///
/// Items come in an order where a folder precedes its contents. A plan is made by reading only,
/// before anything is written, so the size limits and every refusal come before the first byte
/// lands in the context.
struct StagePlan {
    /// One thing to write below the entry.
    struct Item {
        enum Kind {
            /// `mode`: the host folder's permission bits.
            case folder(mode: UInt32)
            case file(mode: UInt32, size: Int)
            case link(text: String)
        }

        /// Components below the entry; empty for the entry itself.
        var relative: [String]
        var kind: Kind
    }

    /// Running totals over every entry, checked against the limits as the scan goes.
    struct Budget {
        var maxEntries: Int
        var maxBytes: Int
        var entries = 0
        var bytes = 0

        mutating func add(size: Int, at path: [String]) throws(StageError) {
            entries += 1
            bytes += size
            if entries > maxEntries {
                throw .tooManyEntries(path: RootResolver.hostPath(path), limit: maxEntries)
            }
            if bytes > maxBytes {
                throw .tooManyBytes(path: RootResolver.hostPath(path), limit: maxBytes)
            }
        }
    }

    var file: AscendFile
    /// The table's host path that was found.
    var source: String
    /// Its canonical path below the root, symbolic links resolved.
    var path: [String]
    var items: [Item] = []
    var skipped: [SkippedItem] = []
    /// Host paths of copied files that have other hard links: another name of the same file,
    /// which may lie outside the root and cannot be found from inside it.
    var hardLinked: [String] = []

    /// Plans a table entry whose source resolved to `path` with `info`.
    init(
        _ file: AscendFile,
        source: String,
        path: [String],
        info: FileInfo,
        resolver: RootResolver,
        budget: inout Budget
    ) throws(StageError) {
        self.file = file
        self.source = source
        self.path = path
        switch file.kind {
        case .file:
            try budget.add(size: Int(info.size), at: path)
            if info.linkCount > 1 { hardLinked.append(RootResolver.hostPath(path)) }
            var mode = info.permissions & 0o777
            // The image runs it: a host copy that lost its x bits must not break the image.
            if file.executable, mode & 0o111 == 0 { mode = 0o755 }
            items = [Item(relative: [], kind: .file(mode: mode, size: Int(info.size)))]
        case .directory:
            try budget.add(size: 0, at: path)
            items = [Item(relative: [], kind: .folder(mode: info.permissions))]
            try scanTree(resolver: resolver, budget: &budget)
        }
    }

    /// Lists the folder depth-first with an explicit stack (no recursion to run out of).
    private mutating func scanTree(
        resolver: RootResolver,
        budget: inout Budget
    ) throws(StageError) {
        var pending: [[String]] = [[]]
        while let folder = pending.popLast() {
            var subfolders: [[String]] = []
            for name in try list(path + folder, resolver: resolver) {
                let relative = folder + [name]
                let full = path + relative
                let info: FileInfo
                do {
                    info = try resolver.folder.status(full)
                } catch {
                    throw .unreadable(path: resolver.disk(full), reason: error.reason)
                }
                switch info.kind {
                case .directory:
                    try budget.add(size: 0, at: full)
                    items.append(Item(relative: relative, kind: .folder(mode: info.permissions)))
                    subfolders.append(relative)
                case .regular:
                    try budget.add(size: Int(info.size), at: full)
                    if info.linkCount > 1 { hardLinked.append(RootResolver.hostPath(full)) }
                    let kind = Item.Kind.file(mode: info.permissions & 0o777, size: Int(info.size))
                    items.append(Item(relative: relative, kind: kind))
                case .symbolicLink:
                    switch try linkText(full, resolver: resolver) {
                    case .success(let text):
                        try budget.add(size: 0, at: full)
                        items.append(Item(relative: relative, kind: .link(text: text)))
                    case .failure(let reason):
                        skip(full, reason.text)
                    }
                default:
                    skip(
                        full,
                        "is \(Self.describe(info.kind)), which a build context cannot hold"
                    )
                }
            }
            pending += subfolders.reversed()
        }
    }

    private struct Reason: Error { var text: String }

    /// The text a copied link gets, or why it is left out.
    ///
    /// Kept verbatim when every step of its resolution stays inside the tree, so the version
    /// chains of `lib64` (`libfoo.so` → `libfoo.so.1` → `libfoo.so.1.2`) look as they do on the
    /// host; rewritten as a relative path to where it lands when only the end is inside (an
    /// absolute target, or a detour through a parent folder); skipped otherwise: a link to
    /// anything outside is never followed, because the image would not have its target.
    private func linkText(
        _ link: [String],
        resolver: RootResolver
    ) throws(StageError) -> Result<String, Reason> {
        let text: String
        do {
            text = try resolver.readLink(link)
        } catch {
            guard case .unreadable(_, let reason) = error else {
                preconditionFailure("readlink fails only as unreadable")
            }
            throw .unreadable(path: resolver.disk(link), reason: reason)
        }
        let folder = Array(link.dropLast())
        if let inside = try? resolver.resolve(text, from: folder, fence: path),
            Self.copyable(inside.info)
        {
            return .success(text)
        }
        let shown = "links to '\(text)'"
        do {
            let (target, info) = try resolver.resolve(text, from: folder)
            guard target.starts(with: path) else {
                return .failure(Reason(text: "\(shown), outside \(RootResolver.hostPath(path))"))
            }
            guard Self.copyable(info) else {
                return .failure(Reason(text: "\(shown), \(Self.describe(info.kind))"))
            }
            return .success(RootResolver.relative(from: folder, to: target))
        } catch {
            let why =
                switch error {
                case .missing: "which does not exist"
                case .aboveRoot: "which climbs above the root"
                case .loop: "a loop of links"
                case .unreadable(_, let reason): "which cannot be looked up (\(reason))"
                case .leftFence:
                    preconditionFailure("an unfenced resolution cannot leave its fence")
                }
            return .failure(Reason(text: "\(shown), \(why)"))
        }
    }

    /// The names in a folder, sorted so the copy and the report are reproducible.
    private mutating func list(
        _ folder: [String],
        resolver: RootResolver
    ) throws(StageError) -> [String] {
        let entries: [[UInt8]]
        do {
            entries = try resolver.folder.openFolder(folder).consumeNames()
        } catch {
            throw .unreadable(path: resolver.disk(folder), reason: error.reason)
        }
        var names: [String] = []
        for bytes in entries {
            // A name that is not UTF-8 cannot round-trip through String: skip it, never mangle.
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = String(decoding: bytes, as: UTF8.self)
                skip(folder + [shown], "has a name that is not UTF-8")
                continue
            }
            names.append(name)
        }
        return names.sorted()
    }

    private mutating func skip(_ path: [String], _ reason: String) {
        skipped.append(SkippedItem(path: RootResolver.hostPath(path), reason: reason))
    }

    private static func copyable(_ info: FileInfo) -> Bool {
        info.kind == .regular || info.kind == .directory
    }

    /// The file type in words, with its article, for messages.
    static func describe(_ kind: FileInfo.Kind) -> String {
        switch kind {
        case .regular: "a file"
        case .directory: "a folder"
        case .symbolicLink: "a symbolic link"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        case .unknown: "an unknown kind of file"
        }
    }
}
