/// The flags of every command that may probe this machine: `--timeout`, `--root`,
/// `--tool-path`, `--sysfs`.
public struct LiveFlags: Equatable, Sendable {
    /// Seconds each tool may run.
    public var timeout: Double = 10
    /// Prefix for files read: a host's root mounted elsewhere, or a fake root.
    public var root: String = "/"
    /// Folders to search for tools instead of `$PATH` and the usual places.
    public var toolPath: [String]?
    /// libpci's sysfs folder instead of the default.
    public var sysfs: String?

    /// Every flag at its default.
    public init() {}

    static var flags: [Flag<Self>] {
        [
            .parsed(
                "--timeout",
                \.timeout,
                .text("S"),
                "Seconds each tool may run before it is killed (default 10).",
                expected: "seconds, more than 0 and at most 3600"
            ) { text in Double(text).flatMap { $0 > 0 && $0 <= 3600 ? $0 : nil } },
            .text(
                ["--root"],
                \.root,
                .directory("PATH"),
                "Read /proc, /sys and /etc files under PATH: a host root mounted elsewhere, or a "
                    + "fake root in tests."
            ),
            .optional(
                "--tool-path",
                \.toolPath,
                .directory("DIRS"),
                "Colon-separated folders to find nvidia-smi and npu-smi in, instead of $PATH "
                    + "and the usual install places.",
                expected: "folders"
            ) { $0.split(separator: ":").map(String.init) },
            .text(
                ["--sysfs"],
                \.sysfs,
                .directory("PATH"),
                "libpci's sysfs folder instead of /sys/bus/pci."
            ),
        ]
    }

    /// What ``LiveHost`` reads this machine with.
    func options(readConfig: Bool) -> LiveHost.Options {
        var live = LiveHost.Options()
        live.timeout = timeout
        live.root = root
        live.toolSearchPath = toolPath
        live.readPCIConfig = readConfig
        if let sysfs { live.pciSource = .sysfs(path: sysfs) }
        return live
    }

    /// This machine, probed.
    func snapshot(readConfig: Bool = false) -> HostSnapshot {
        LiveHost.snapshot(options(readConfig: readConfig))
    }
}

/// The output formats; each command takes some of them, its default first.
public enum OutputFormat: String, Equatable, Sendable, CaseIterable {
    /// Pretty JSON with sorted keys.
    case json
    /// A short summary for people.
    case text
    /// `probe` only: a node-feature-discovery local feature file (`name=value` labels).
    case nfd
}
