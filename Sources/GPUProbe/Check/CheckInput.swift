/// What every judge reads: the Dockerfile's facts, the host and the catalog.
struct CheckInput {
    /// What the Dockerfile does.
    let facts: BuildFacts
    /// The host facts, as `match` takes them.
    let host: MatchHost
    /// The host report, for what `MatchHost` does not carry (Ascend files).
    let report: HostReport
    /// The PyTorch catalog.
    let catalog: TorchCatalog
    /// Where `COPY` reads from.
    let context: BuildContext
    /// The CUDA version the host driver supports natively.
    let native: CUDAVersion?
    /// `NVIDIA_REQUIRE_CUDA` of every nvidia/cuda image.
    let cudaImages: CUDAImageTable
    /// GPU names with their brand.
    let gpuBrands: GPUBrandTable

    init(
        facts: BuildFacts,
        report: HostReport,
        catalog: TorchCatalog,
        context: BuildContext,
        cudaImages: CUDAImageTable = .embedded,
        gpuBrands: GPUBrandTable = .embedded
    ) {
        self.facts = facts
        self.report = report
        self.catalog = catalog
        self.context = context
        self.cudaImages = cudaImages
        self.gpuBrands = gpuBrands
        host = MatchHost.from(report)
        native = TorchMatcher.nativeCUDA(host, catalog)
        isBootable = Self.bootable(facts)
    }

    /// The image is a bootable container (see ``bootable(_:)``); read once, as every installer
    /// the file runs asks.
    let isBootable: Bool

    /// The host's machine, x86_64 when the report does not say (as `match` assumes).
    var machine: String { host.machine ?? "x86_64" }

    /// The stages the image is made of: the last one and those it is built `FROM`.
    var finalChain: Set<Int> {
        guard let last = facts.finalStage else { return [] }
        return Set(facts.chain(from: last.index).map(\.index))
    }

    /// `driver 535.171.04 (kernel module)`, for messages.
    var driverText: String {
        guard let target = host.targetDriverVersion else { return "no NVIDIA driver" }
        return host.kernelModuleVersion != nil
            ? "kernel module \(target.text)" : "driver \(target.text) (nvidia-smi)"
    }

    /// The GPUs by name, for messages.
    var gpuText: String {
        let names = host.gpus.prefix(3).map(\.label).joined(separator: ", ")
        return host.gpus.count > 3 ? names + " and \(host.gpus.count - 3) more" : names
    }
}

extension Finding {
    /// A note that words a judge read hold variables with no known value, saying for each what
    /// would give it one (`--build-arg` for an `ARG`; the base image's environment, which
    /// `check` cannot read, for a name nothing in the Dockerfile sets).
    ///
    /// - Parameters:
    ///   - line: the instruction's line.
    ///   - names: the unresolved names, as ``Expanded/unresolved`` holds them.
    ///   - what: what was judged without them (`the base image 'x'`).
    ///   - origins: where names get values; by default those of the Dockerfile being checked
    ///     (``UnresolvedOrigins/current``).
    /// - Returns: the note, nil when `names` is empty.
    static func unresolved(
        line: Int,
        names: [String],
        what: String,
        origins: UnresolvedOrigins = UnresolvedOrigins.current
    ) -> Finding? {
        guard !names.isEmpty else { return nil }
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }.prefix(4)
        var reasons: [String] = []
        var fixes: [String] = []
        func add(_ reason: String, _ fix: String) {
            if !reasons.contains(reason) { reasons.append(reason) }
            if !fixes.contains(fix) { fixes.append(fix) }
        }
        for name in unique {
            if name.hasPrefix("$(") || name.hasPrefix("`") {
                add(
                    "the output of \(name) is known only when the build runs",
                    "check the value that command prints by hand"
                )
            } else if name.hasPrefix("${") {
                add(
                    "\(name) is an expansion gpuprobe does not work out",
                    "check the value by hand"
                )
            } else if name.hasPrefix("$") {
                add(
                    "\(name) is set only when the build runs",
                    "check the value by hand"
                )
            } else if !origins.known {
                add(
                    "$\(name) is an ARG with no default and no --build-arg, or set only by the "
                        + "base image",
                    "pass --build-arg \(name)=VALUE to gpuprobe check if it is an ARG"
                )
            } else if origins.arguments.contains(name) {
                add(
                    "ARG \(name) has no default and no --build-arg \(name)=... was given",
                    "pass --build-arg \(name)=VALUE to gpuprobe check, the value docker build "
                        + "will get"
                )
            } else if origins.partial.contains(name) {
                add(
                    "$\(name) extends the base image's value, which gpuprobe cannot read",
                    "check the base image's \(name) (docker inspect) by hand"
                )
            } else {
                add(
                    "nothing in this Dockerfile sets $\(name): the base image may, and gpuprobe "
                        + "cannot read an image's environment",
                    "if the value matters, set it here (ENV \(name)=..., or ARG \(name) with "
                        + "--build-arg \(name)=...)"
                )
            }
        }
        let list = unique.map { $0.hasPrefix("$") || $0.hasPrefix("`") ? $0 : "$" + $0 }
            .joined(separator: ", ")
        return Finding(
            line: line,
            severity: .note,
            kind: .unresolvedVariable,
            message: "\(list) \(unique.count == 1 ? "has" : "have") no value known here ("
                + reasons.joined(separator: "; ") + "), so \(what) was judged without it",
            fix: fixes.joined(separator: "; ")
        )
    }
}

extension Finding {
    /// The finding as it holds for a command that may not run.
    ///
    /// A command under a condition whose value is not known here makes the finding one severity
    /// lower (an error becomes a warning, a warning a note), and the message says which branch.
    /// Unchanged for a command that always runs.
    func when(_ command: CommandFact) -> Finding {
        guard let condition = command.condition else { return self }
        var result = self
        result.severity =
            switch severity {
            case .error: .warning
            case .warning, .note: .note
            }
        result.message += " (only when \(condition) holds; its value is not known here)"
        return result
    }
}
