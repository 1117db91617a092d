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
    }

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
    /// A note that words a judge read hold variables with no known value.
    static func unresolved(line: Int, names: [String], what: String) -> Finding? {
        guard !names.isEmpty else { return nil }
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        let list = unique.prefix(4).map { $0.hasPrefix("$") ? $0 : "$" + $0 }
            .joined(separator: ", ")
        return Finding(
            line: line,
            severity: .note,
            kind: "unresolved-variable",
            message: "\(list) has no value known here (no default, or set by the base image or "
                + "at build time), so \(what) was judged without it",
            fix: "give the ARG a default, or check the value passed with --build-arg"
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
