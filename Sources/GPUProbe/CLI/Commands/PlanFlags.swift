/// What `match` and `dockerfile` decide from: the host, the installers folder and the pins.
public struct PlanFlags: Equatable, Sendable {
    /// `--host` and `--arch`.
    public var host = HostFlags()
    /// `--drivers DIR`; nil means `Drivers` in the current folder, which may be absent.
    public var drivers: String?
    /// `--python X.Y`.
    public var python: String?
    /// `--torch VERSION`.
    public var torch: String?
    /// `--cann VERSION`: the CANN an Ascend image carries (`8.1.RC1`).
    public var cann: String?
    /// `--catalog FILE`; nil uses the catalog built in.
    public var catalog: String?
    /// `--pip-index-url URL`.
    public var pipIndexURL: String?

    /// Plan flags.
    public init(
        host: HostFlags = HostFlags(),
        drivers: String? = nil,
        python: String? = nil,
        torch: String? = nil,
        cann: String? = nil,
        catalog: String? = nil,
        pipIndexURL: String? = nil
    ) {
        self.host = host
        self.drivers = drivers
        self.python = python
        self.torch = torch
        self.cann = cann
        self.catalog = catalog
        self.pipIndexURL = pipIndexURL
    }

    static var catalogFlag: Flag<Self> {
        .text(
            ["--catalog"],
            \.catalog,
            .file("FILE"),
            "A PyTorch catalog to use instead of the one built in (format: catalog/pytorch.json, "
                + "schema gpuprobe/torch-catalog/v1)."
        )
    }

    static var flags: [Flag<Self>] {
        [
            HostFlags.host.lifted(\.host),
            HostFlags.arch.lifted(\.host),
            .text(
                ["--drivers"],
                \.drivers,
                .directory("DIR"),
                "The folder of NVIDIA-Linux-<arch>-<version>.run installers (default Drivers). "
                    + "Installers are read, never run; what was read is cached in "
                    + "$XDG_CACHE_HOME/gpuprobe (else ~/.cache/gpuprobe)."
            ),
            .optional(
                "--python",
                \.python,
                .text("X.Y"),
                "Only PyTorch releases that support this CPython.",
                expected: "a version such as 3.11"
            ) { TorchRequest.isPythonVersion($0) ? $0 : nil },
            .optional(
                "--torch",
                \.torch,
                .text("VERSION"),
                "Pin torch: 2.7.1, or 2.7 for its newest patch.",
                expected: "a version such as 2.7.1 or 2.7"
            ) { TorchRequest.isTorchVersion($0) ? $0 : nil },
            .optional(
                "--cann",
                \.cann,
                .text("VERSION"),
                "Ascend: pin the CANN the image carries (8.1.RC1, 9.0.0); torch_npu follows it.",
                expected: "a CANN version such as 8.1.RC1 or 9.0.0"
            ) { TorchRequest.cannVersion($0) },
            catalogFlag,
            .optional(
                "--pip-index-url",
                \.pipIndexURL,
                .text("URL"),
                "A mirror of the chosen PyTorch index; {variant} in URL is replaced by the "
                    + "variant (cu124, cpu).",
                expected: "an http(s) URL of letters, digits and ._~:/%+=@- ({variant} is "
                    + "replaced by the variant, for example cu124)"
            ) { TorchRequest.isSafeIndexURL($0) ? $0 : nil },
        ]
    }

    /// The plan, the host it is for, and notes on how the installers were read.
    struct Planned {
        var plan: Plan
        var report: HostReport
        var notes: [String]
    }

    /// Reads the host, the installers folder and the catalog, and plans.
    func plan(live: LiveFlags, _ context: CommandContext) throws(CommandFailure) -> Planned {
        let (report, hostSource) = try host.report(live: live, context)
        let catalog = try Self.catalog(catalog)
        let folder = drivers ?? "Drivers"
        var installers: [DriverInstaller] = []
        var notes: [String] = []
        do {
            let cache = DriverCache(
                environment: ["XDG_CACHE_HOME", "HOME"].reduce(into: [String: String]()) {
                    $0[$1] = context.environment($1)
                }
            )
            let scan = try DriverFolder.scan(folder, cache: cache)
            installers = scan.installers
            notes = (cache == nil ? [DriverCache.unavailableNote] : []) + scan.notes
        } catch .missing where drivers == nil {
            // The default folder is optional: a host without NVIDIA GPUs needs no installer.
            notes.append("no Drivers folder here; pass --drivers DIR to match driver installers")
        } catch {
            throw .input(error.description)
        }
        let plan = Matcher.plan(
            report: report,
            installers: installers,
            catalog: catalog,
            request: TorchRequest(
                python: python,
                torch: torch,
                pipIndexURL: pipIndexURL,
                cann: cann
            ),
            inputs: PlanInputs(
                host: hostSource,
                drivers: folder,
                catalog: self.catalog ?? "embedded",
                catalogUpdated: catalog.updated,
                python: python,
                torch: torch,
                pipIndexURL: pipIndexURL,
                cann: cann
            )
        )
        return Planned(plan: plan, report: report, notes: notes)
    }

    /// The catalog at `path`, or the one built in.
    static func catalog(_ path: String?) throws(CommandFailure) -> TorchCatalog {
        guard let path else { return TorchCatalog.embedded }
        do {
            return try TorchCatalog.load(path: path)
        } catch {
            throw .input(error.description)
        }
    }
}
