/// What `gpuprobe check` found when it judged a Dockerfile against a host
/// (`gpuprobe/check/v1`).
///
/// Like the host report and the plan it is a public contract: keys are snake_case, every key is
/// written, unknown values are null; within v1 fields are only added.
public struct CheckReport: Hashable, Sendable, Codable {
    /// The schema this build writes.
    public static let currentSchema = "gpuprobe/check/v1"

    /// Always ``currentSchema``.
    public var schema: String = CheckReport.currentSchema
    /// The gpuprobe version that made the report.
    public var gpuprobeVersion: String
    /// The Dockerfile's path as given.
    public var dockerfile: String
    /// The host facts the findings were judged against.
    public var host: PlanHost
    /// The PyTorch catalog's `updated` date.
    public var catalogUpdated: String
    /// True when no finding is an error (the exit status is then 0, else 1).
    public var compatible: Bool
    /// How many errors.
    public var errors: Int
    /// How many warnings.
    public var warnings: Int
    /// How many notes.
    public var notes: Int
    /// Every finding, by line, errors before warnings before notes on one line.
    public var findings: [Finding]

    /// Creates a report; ``compatible`` and the counts follow from `findings`.
    ///
    /// - Parameters:
    ///   - gpuprobeVersion: the version of the tool.
    ///   - dockerfile: the Dockerfile's path as given.
    ///   - host: the host facts.
    ///   - catalogUpdated: the catalog's date.
    ///   - findings: the findings, any order; they are sorted.
    public init(
        gpuprobeVersion: String = GPUProbeVersion.current,
        dockerfile: String,
        host: PlanHost,
        catalogUpdated: String,
        findings: [Finding]
    ) {
        self.gpuprobeVersion = gpuprobeVersion
        self.dockerfile = dockerfile
        self.host = host
        self.catalogUpdated = catalogUpdated
        var seen = Set<Finding>()
        self.findings = findings.filter { seen.insert($0).inserted }.sorted(by: Finding.order)
        errors = self.findings.filter { $0.severity == .error }.count
        warnings = self.findings.filter { $0.severity == .warning }.count
        notes = self.findings.filter { $0.severity == .note }.count
        compatible = errors == 0
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case gpuprobeVersion = "gpuprobe_version"
        case dockerfile, host
        case catalogUpdated = "catalog_updated"
        case compatible, errors, warnings, notes, findings
    }
}

/// One thing `check` found: where, how bad, what, and what to do.
public struct Finding: Hashable, Sendable, Codable {
    /// How bad a finding is.
    public enum Severity: String, Hashable, Sendable, Codable, CaseIterable {
        /// The image will not work on the host as written.
        case error
        /// It may work, with a limit or a risk the message names.
        case warning
        /// Worth knowing; nothing to fix.
        case note

        var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
    }

    /// The 1-based line of the instruction (its first line when it spans several).
    public var line: Int
    /// How bad it is.
    public var severity: Severity
    /// A stable kebab-case code (`installer-newer`, `torch-minor-compat`).
    public var kind: Kind
    /// One line saying what is wrong, with versions, files and GPUs named.
    public var message: String
    /// What to change, when there is something to change.
    public var fix: String?

    /// Creates a finding.
    public init(line: Int, severity: Severity, kind: Kind, message: String, fix: String? = nil) {
        self.line = line
        self.severity = severity
        self.kind = kind
        self.message = message
        self.fix = fix
    }

    enum CodingKeys: String, CodingKey {
        case line, severity, kind, message, fix
    }

    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.line != b.line { return a.line < b.line }
        if a.severity != b.severity { return a.severity.rank < b.severity.rank }
        // By the JSON code, as when kinds were strings, so the order in the report is unchanged.
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        return a.message < b.message
    }
}
