/// What `gpuprobe stage-ascend` copied into the build context (`gpuprobe/stage/v1`).
///
/// A public contract like the host report and the plan: keys are snake_case and every key is
/// always written (no field is optional, so nothing is ever left out); see
/// `Schemas/stage-v1.schema.json`.
public struct StageReport: Hashable, Sendable, Codable {
    /// The schema this build writes.
    public static let currentSchema = "gpuprobe/stage/v1"

    /// Always ``currentSchema``.
    public var schema: String = StageReport.currentSchema
    /// The root the host files were read under, canonical (`/` on a real host).
    public var root: String
    /// The build context written to, canonical.
    public var context: String
    /// One per table entry found on the host, in the table's order.
    public var entries: [StagedEntry]
    /// What was found inside copied folders but left out, and why.
    public var skipped: [SkippedItem]
    /// Host paths of optional entries this host does not have (`/etc/vnpu.cfg`).
    public var missingOptional: [String]
    /// Host paths of copied files that have other hard links.
    ///
    /// A hard link is the same file
    /// under another name, and that name may lie outside the root (a copy of `/etc/shadow`
    /// linked into the driver folder by whoever could write there); nothing inside the root
    /// can tell where the other names are, so these are listed for a person to look at.
    public var hardLinked: [String]

    /// Creates a report.
    public init(
        root: String,
        context: String,
        entries: [StagedEntry],
        skipped: [SkippedItem] = [],
        missingOptional: [String] = [],
        hardLinked: [String] = []
    ) {
        self.root = root
        self.context = context
        self.entries = entries
        self.skipped = skipped
        self.missingOptional = missingOptional
        self.hardLinked = hardLinked
    }

    enum CodingKeys: String, CodingKey {
        case schema, root, context, entries, skipped
        case missingOptional = "missing_optional"
        case hardLinked = "hard_linked"
    }

    /// Regular files copied, over every entry.
    public var files: Int { entries.reduce(0) { $0 + $1.files } }
    /// Bytes copied, over every entry.
    public var bytes: Int { entries.reduce(0) { $0 + $1.bytes } }
}

/// One table entry as staged.
public struct StagedEntry: Hashable, Sendable, Codable {
    /// Its path in the build context (`ascend/dcmi`), as the `COPY` line reads it.
    public var contextPath: String
    /// The host path it was copied from, as seen on the host (without the root): the table's
    /// path that exists, even when that path is a symbolic link to the real file.
    public var source: String
    /// Folder or file.
    public var kind: AscendFile.Kind
    /// Regular files written (1 for a file entry).
    public var files: Int
    /// Bytes of file content written.
    public var bytes: Int
    /// Symbolic links recreated inside a folder.
    public var symlinks: Int

    /// Creates the record.
    public init(
        contextPath: String,
        source: String,
        kind: AscendFile.Kind,
        files: Int,
        bytes: Int,
        symlinks: Int
    ) {
        self.contextPath = contextPath
        self.source = source
        self.kind = kind
        self.files = files
        self.bytes = bytes
        self.symlinks = symlinks
    }

    enum CodingKeys: String, CodingKey {
        case contextPath = "context_path"
        case source, kind, files, bytes, symlinks
    }

    /// Reads the record; `kind` is `directory` or `file`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contextPath = try c.decode(String.self, forKey: .contextPath)
        source = try c.decode(String.self, forKey: .source)
        let raw = try c.decode(String.self, forKey: .kind)
        guard let kind = AscendFile.Kind(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: c,
                debugDescription: "'\(raw)' is not directory or file"
            )
        }
        self.kind = kind
        files = try c.decode(Int.self, forKey: .files)
        bytes = try c.decode(Int.self, forKey: .bytes)
        symlinks = try c.decode(Int.self, forKey: .symlinks)
    }

    /// Writes every key; `kind` as its raw value, so the shared table type needs no `Codable`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(contextPath, forKey: .contextPath)
        try c.encode(source, forKey: .source)
        try c.encode(kind.rawValue, forKey: .kind)
        try c.encode(files, forKey: .files)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(symlinks, forKey: .symlinks)
    }
}

/// Something inside a copied folder that was not copied.
public struct SkippedItem: Hashable, Sendable, Codable {
    /// Its host path, without the root.
    public var path: String
    /// Why: a link that leads outside the folder or nowhere, a device, a FIFO, a socket.
    public var reason: String

    /// Creates the record.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
