/// `gpuprobe check DOCKERFILE`: judge a Dockerfile against a host.
public struct CheckCommand: Command {
    /// The Dockerfile to read; `-` is standard input.
    public var dockerfile = ""
    /// `--host` and `--arch`.
    public var host = HostFlags()
    /// `--context DIR`; nil means the Dockerfile's folder.
    public var context: String?
    /// `--catalog FILE`; nil uses the catalog built in.
    public var catalog: String?
    /// `--cuda-images FILE`; nil uses the table built in.
    public var cudaImages: String?
    /// `--gpu-brands FILE`; nil uses the table built in.
    public var gpuBrands: String?
    /// `--build-arg NAME=VALUE` and `--build-arg NAME`, in order (a later one of the same name
    /// wins, as in `docker build`).
    public var buildArguments: [BuildArgument] = []
    /// `--format`.
    public var format = OutputFormat.text
    /// `--timeout`, `--root`, `--tool-path`, `--sysfs`, for a host probed here.
    public var live = LiveFlags()

    /// A check with no Dockerfile yet.
    public init() {}

    /// A check of `dockerfile` against `host`.
    public init(dockerfile: String, host: HostFlags = HostFlags(), context: String? = nil) {
        self.dockerfile = dockerfile
        self.host = host
        self.context = context
    }

    /// Name, usage, what it does and examples.
    public static let about = CommandSpec.About(
        name: "check",
        summary: "judge a Dockerfile against a host",
        synopsis: [
            "check DOCKERFILE|- [--host SOURCE]... [--arch ARCH] [--context DIR] [--catalog FILE]",
            "      [--build-arg NAME[=VALUE]]... [--cuda-images FILE] [--gpu-brands FILE]",
            "      [--format text|json]",
        ],
        details: "Read a Dockerfile and judge its NVIDIA installer, CUDA base image, PyTorch "
            + "install and Ascend COPY lines against the host; every finding names its line, "
            + "a severity and the fix. Exit 1 when the Dockerfile does not fit the host.",
        examples: [
            .init(
                line: "gpuprobe check Dockerfile --host nvidia-smi.txt",
                note: "Judge ./Dockerfile against the host whose nvidia-smi output was pasted."
            ),
            .init(
                line: "gpuprobe check Dockerfile --host host.json",
                note: "Judge ./Dockerfile against the host whose report is host.json."
            ),
            .init(
                line: "gpuprobe check - --host host.json < Dockerfile",
                note: "The same, reading the Dockerfile from standard input."
            ),
            .init(
                line: "gpuprobe check Dockerfile --host host.json --build-arg USE_CUDA=true",
                note: "Judge it as `docker build --build-arg USE_CUDA=true` builds it."
            ),
        ]
    )

    /// Its flags, each bound to the property it sets.
    public static var flags: [Flag<Self>] {
        [
            .choice(
                "--format",
                \.format,
                [.text, .json],
                "Findings for people (the default) or JSON."
            ),
            HostFlags.host.lifted(\.host),
            HostFlags.arch.lifted(\.host),
            .text(
                ["--context"],
                \.context,
                .directory("DIR"),
                "The build context COPY sources and pip -r files are read from, after its "
                    + ".dockerignore (default: the Dockerfile's folder)."
            ),
            Flag(PlanFlags.catalogFlag.spec) { check, path in check.catalog = path },
            .text(
                ["--cuda-images"],
                \.cudaImages,
                .file("FILE"),
                "The NVIDIA_REQUIRE_CUDA of each nvidia/cuda image, to use instead of the table "
                    + "built in (format: data/nvidia_require_cuda.tsv)."
            ),
            .text(
                ["--gpu-brands"],
                \.gpuBrands,
                .file("FILE"),
                "GPU names with their NVML brand, to use instead of the table built in (format: "
                    + "data/nvml_brand_by_name.tsv)."
            ),
            Flag(
                CommandSpec.Option(
                    ["--build-arg"],
                    .text("NAME[=VALUE]"),
                    "A build argument, as docker build takes it (repeatable): it replaces the "
                        + "default of every ARG NAME; NAME alone takes the value from this "
                        + "environment. Shell conditions on it (if, case, test) are then judged."
                )
            ) { check, text throws(UsageError) in
                guard let argument = BuildArgument(text) else {
                    throw .badValue(
                        flag: "--build-arg",
                        value: text,
                        expected: "NAME=VALUE or NAME, NAME of letters, digits and _"
                    )
                }
                check.buildArguments.append(argument)
            },
        ] + LiveFlags.flags.map { $0.lifted(\.live) }
    }

    /// Its positional arguments.
    public static var arguments: [Argument<Self>] {
        [
            .text(
                \.dockerfile,
                .file("DOCKERFILE|-"),
                missing: "the Dockerfile, as in `gpuprobe check Dockerfile`"
            )
        ]
    }

    /// Checks the flags together.
    public mutating func validate() throws(UsageError) {
        try host.validate(command: Self.about.name)
    }

    /// The build context: `--context`, else the Dockerfile's folder.
    var contextFolder: String {
        if let context { return context }
        guard dockerfile != "-", let slash = dockerfile.lastIndex(of: "/") else { return "." }
        return slash == dockerfile.startIndex ? "/" : String(dockerfile[..<slash])
    }

    /// Does the work; see ``Command/run(_:)``.
    public func run(_ context: inout CommandContext) throws(CommandFailure) -> CommandResult {
        let bytes = try context.read(dockerfile)
        let (report, _) = try host.report(live: live, context)
        let catalog = try PlanFlags.catalog(catalog)
        let images: CUDAImageTable
        let brands: GPUBrandTable
        do {
            images = try cudaImages.map(CUDAImageTable.load(path:)) ?? .embedded
            brands = try gpuBrands.map(GPUBrandTable.load(path:)) ?? .embedded
        } catch {
            throw .input(error.description)
        }
        let path = dockerfile == "-" ? "stdin" : dockerfile
        let buildContext: BuildContext
        do {
            buildContext = try BuildContext(directory: contextFolder)
        } catch {
            throw .input(error.description)
        }
        let checked: CheckReport
        do {
            // A Dockerfile that is not UTF-8 text is refused, not repaired: the repair would
            // judge different bytes from the ones docker build reads.
            checked = try DockerfileChecker.check(
                dockerfile: DockerfileChecker.text(from: bytes, path: path),
                path: path,
                report: report,
                catalog: catalog,
                context: buildContext,
                buildArguments: BuildArgument.values(
                    buildArguments,
                    environment: context.environment
                ),
                cudaImages: images,
                gpuBrands: brands
            )
        } catch {
            throw .input(error.description)
        }
        return CommandResult(
            format == .json
                ? JSONOutput.render(checked) : TerminalText.visible(CheckText.render(checked)),
            checked.compatible ? .done : .incompatible
        )
    }
}
