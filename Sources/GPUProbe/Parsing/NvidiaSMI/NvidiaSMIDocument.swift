/// Everything one nvidia-smi output told us, before it is reduced to the public result.
///
/// Kept internal and a little richer than ``NvidiaSMIParseResult`` (attached GPU count, MIG
/// device counts) so that tests can check what the text said without widening the public
/// model.
struct NvidiaSMIDocument: Hashable, Sendable {
    /// Which output form the text was recognised as.
    var format: NvidiaSMIFormat
    /// Driver version (R610+: KMD version) as printed.
    var driverVersion: String?
    /// CUDA version (R610+: CUDA UMD version) as printed.
    var cudaVersion: String?
    /// `Attached GPUs` from `-q` text or XML.
    var attachedGPUs: Int?
    /// The GPUs in the order printed.
    var gpus: [NvidiaSMIParsedGPU] = []
    /// The processes in the order printed.
    var processes: [NvidiaProcess] = []
    /// What was noticed along the way.
    var diagnostics: [Diagnostic] = []

    /// The public result.
    var result: NvidiaSMIParseResult {
        NvidiaSMIParseResult(
            format: format,
            section: NvidiaSection(
                driverVersion: driverVersion,
                cudaVersion: cudaVersion,
                gpus: gpus.map(\.gpu),
                processes: processes
            ),
            diagnostics: diagnostics
        )
    }
}

/// One GPU as a parser read it, with facts the public model has no field for.
struct NvidiaSMIParsedGPU: Hashable, Sendable {
    /// The public record.
    var gpu: NvidiaGPU
    /// How many MIG devices the text lists for this GPU; nil unless MIG is enabled.
    var migDeviceCount: Int?
}

extension NvidiaSMIDocument {
    /// An `incomplete_output` warning: the text was recognised but ends early or has rows we
    /// could not read.
    static func incomplete(_ what: String, context: [String: String] = [:]) -> Diagnostic {
        Diagnostic(
            .incompleteOutput,
            source: .nvidia,
            severity: .warning,
            message: "The nvidia-smi output \(what); the values shown are the complete ones, "
                + "so capture the whole output again for the rest.",
            context: context
        )
    }

    /// Sets each GPU's index from its position when the text lists every attached GPU.
    ///
    /// `-q` text and XML print no index, but nvidia-smi walks GPUs in index order, so when
    /// the number of GPU blocks equals `Attached GPUs` the position is the index. With
    /// `-i N` (fewer blocks than attached GPUs) the position says nothing, and the index stays
    /// nil. Processes of those forms get their GPU's index the same way.
    mutating func assignIndicesFromPositions(processGPUs: [Int]) {
        guard let attached = attachedGPUs, attached == gpus.count else { return }
        for position in gpus.indices { gpus[position].gpu.index = position }
        for (row, position) in zip(processes.indices, processGPUs) where position >= 0 {
            processes[row].gpuIndex = position
        }
    }

    /// Adds an `incomplete_output` warning when fewer GPU blocks are printed than attached.
    mutating func checkAttachedCount() {
        guard let attached = attachedGPUs, gpus.count < attached else { return }
        diagnostics.append(
            Self.incomplete(
                "lists \(attached) attached GPUs but has \(gpus.count) GPU blocks "
                    + "(a cut paste, or `-i` chose some)",
                context: ["attached_gpus": String(attached), "gpu_blocks": String(gpus.count)]
            )
        )
    }
}
