/// What a CUDA base image brings to the final image's environment, as far as the NVIDIA
/// container toolkit reads it: its `NVIDIA_REQUIRE_CUDA` and `CUDA_VERSION`.
struct CUDABase: Sendable {
    /// The `FROM` image; nil when only the Dockerfile's own `ENV` makes it a CUDA image.
    var image: ImageReference?
    /// The image's CUDA version, from its tag.
    var cuda: CUDAVersion?
    /// `CUDA_VERSION` in the image (`12.4.1`); nil for images that do not set it.
    var cudaVersion: String?
    /// The `NVIDIA_REQUIRE_CUDA` strings the image may carry: one when the table knows the
    /// tag, several when the flavour is not in the table and its flavours disagree, none when
    /// the image sets none.
    var requirements: [String]
    /// What the table said when it did not know the tag exactly, for messages.
    var tableNote: String?
    /// A `pytorch/pytorch:*-runtime` image: plain Ubuntu with torch, no requirement.
    var isTorchRuntime = false
    /// The base is an image whose environment is not known here (not nvidia/cuda, not
    /// pytorch/pytorch, not a plain distribution image).
    var environmentUnknown = false

    /// The base of `image`, when its name makes it a CUDA image.
    static func of(_ image: ImageReference, table: CUDAImageTable, machine: String) -> CUDABase? {
        switch image.kind {
        case .nvidiaCUDA(let cuda):
            let pieces = (image.tag ?? "").split(separator: "-").map(String.init)
            guard let version = pieces.first else { return nil }
            let flavour = pieces.count >= 2 ? pieces.last : nil
            var base = lookup(
                version: version,
                cuda: cuda,
                flavour: flavour,
                arch: CUDAImageTable.arch(machine: machine),
                table: table,
                image: "nvidia/cuda:\(version)"
            )
            base.image = image
            return base
        case .pytorch(_, let cuda, _):
            let pieces = (image.tag ?? "").split(separator: "-")
            guard pieces.last == "devel" else {
                // pytorch/pytorch's Dockerfile builds `-runtime` from `ubuntu:22.04`
                // (docker.Makefile BASE_RUNTIME) and keeps CUDA_VERSION an ARG: the image
                // carries neither variable, so the toolkit checks nothing.
                return CUDABase(image: image, cuda: cuda, requirements: [], isTorchRuntime: true)
            }
            // `-devel` is built `FROM nvidia/cuda:$(CUDA_VERSION)-devel-ubuntu22.04` for amd64
            // (pytorch/pytorch#125770), the full version of the tag's major.minor.
            guard let full = table.newestVersion(of: cuda) else {
                var base = fallback(cuda: cuda, version: nil, image: "nvidia/cuda:\(cuda)")
                base.image = image
                return base
            }
            var base = lookup(
                version: full,
                cuda: cuda,
                flavour: "ubuntu22.04",
                arch: "x86_64",
                table: table,
                image: "nvidia/cuda:\(full)-devel-ubuntu22.04, its base,"
            )
            base.image = image
            return base
        case .other:
            return nil
        }
    }

    private static func lookup(
        version: String,
        cuda: CUDAVersion,
        flavour: String?,
        arch: String,
        table: CUDAImageTable,
        image: String
    ) -> CUDABase {
        let rows = table.rows(version: version)
        guard !rows.isEmpty else { return fallback(cuda: cuda, version: version, image: image) }
        let onArch = rows.filter { $0.arch == arch }
        if let flavour, let row = onArch.first(where: { $0.flavour == flavour }) {
            return CUDABase(cuda: cuda, cudaVersion: version, requirements: [row.requirement])
        }
        let pool = onArch.isEmpty ? rows : onArch
        var strings: [String] = []
        for row in pool where !strings.contains(row.requirement) {
            strings.append(row.requirement)
        }
        let what =
            flavour.map { "no flavour \($0) of \(image) on \(arch)" }
            ?? "no flavour in the tag of \(image)"
        let note =
            strings.count == 1
            ? "the image table has \(what); every flavour it has carries the same string"
            : "the image table has \(what); its \(strings.count) strings for the other flavours "
                + "were each evaluated"
        return CUDABase(cuda: cuda, cudaVersion: version, requirements: strings, tableNote: note)
    }

    /// An image version the table does not know: the toolkit's rule for an image without a
    /// string of its own, `cuda>=major.minor`.
    private static func fallback(cuda: CUDAVersion, version: String?, image: String) -> CUDABase {
        CUDABase(
            cuda: cuda,
            cudaVersion: version ?? "\(cuda)",
            requirements: ["cuda>=\(cuda)"],
            tableNote: "the image table does not know \(image), so only cuda>=\(cuda) was "
                + "checked (pass --cuda-images FILE with its row to check its real string)"
        )
    }
}

/// The requirement the toolkit's legacy hook evaluates for the final image, from the base and
/// the Dockerfile's `ENV`.
///
/// From nvidia-container-toolkit `internal/config/image/cuda_image.go` (`GetRequirements`,
/// `IsLegacy`, `HasDisableRequire`): every variable named `NVIDIA_REQUIRE_*` except
/// `NVIDIA_REQUIRE_JETPACK*` is one requirement, all ANDed; an image with `CUDA_VERSION` and an
/// empty or unset `NVIDIA_REQUIRE_CUDA` gets `cuda>=<major.minor of CUDA_VERSION>`;
/// `NVIDIA_DISABLE_REQUIRE` read by Go's `strconv.ParseBool` as true turns all of it off.
struct ImageRequirement: Sendable {
    /// One variable's value, and where the Dockerfile set it (nil: from the base image).
    struct Value: Sendable {
        var name: String
        var value: String
        var line: Int?
    }

    /// The values, ANDed.
    var values: [Value]
    /// `NVIDIA_DISABLE_REQUIRE` is true, and the line that set it (0 when the base did).
    var disabledAt: Int?

    /// Go's `strconv.ParseBool` true values.
    static func parseBool(_ text: String) -> Bool {
        ["1", "t", "T", "TRUE", "true", "True"].contains(text)
    }

    /// The requirement with `requireCUDA` as the base's `NVIDIA_REQUIRE_CUDA`.
    init(base: CUDABase?, requireCUDA: String?, stage: StageFacts) {
        let environment = stage.environment
        var values: [Value] = []
        let userRequire = environment["NVIDIA_REQUIRE_CUDA"]
        let cudaVersion = environment["CUDA_VERSION"] ?? base?.cudaVersion
        if let userRequire {
            if !userRequire.isEmpty {
                values.append(
                    Value(
                        name: "NVIDIA_REQUIRE_CUDA",
                        value: userRequire,
                        line: stage.environmentLines["NVIDIA_REQUIRE_CUDA"]
                    )
                )
            }
        } else if let requireCUDA, !requireCUDA.isEmpty {
            values.append(Value(name: "NVIDIA_REQUIRE_CUDA", value: requireCUDA, line: nil))
        }
        if values.isEmpty, let cudaVersion, !cudaVersion.isEmpty,
            let cuda = CUDAVersion(cudaVersion) ?? CUDAVersion(cudaVersion + ".0")
        {
            let line =
                environment["CUDA_VERSION"] != nil
                ? stage.environmentLines["CUDA_VERSION"]
                : stage.environmentLines["NVIDIA_REQUIRE_CUDA"]
            values.append(Value(name: "CUDA_VERSION", value: "cuda>=\(cuda)", line: line))
        }
        for name in environment.keys.sorted()
        where name.hasPrefix("NVIDIA_REQUIRE_") && name != "NVIDIA_REQUIRE_CUDA"
            && !name.hasPrefix("NVIDIA_REQUIRE_JETPACK")
        {
            guard let value = environment[name], !value.isEmpty else { continue }
            values.append(Value(name: name, value: value, line: stage.environmentLines[name]))
        }
        self.values = values
        if let disable = environment["NVIDIA_DISABLE_REQUIRE"], Self.parseBool(disable) {
            disabledAt = stage.environmentLines["NVIDIA_DISABLE_REQUIRE"] ?? 0
        }
    }
}

/// The legacy hook's verdict on a host: every visible GPU must satisfy every value.
struct RequireVerdict: Sendable {
    enum State: Sendable, Equatable {
        case accepted
        case refused
        case invalid
        case unknown
    }

    var state: State
    /// The GPU that failed (refused, invalid, unknown).
    var gpu: MatchHost.GPU?
    /// The value that failed.
    var value: ImageRequirement.Value?
    /// libnvidia-container's message, or the factor it could not read.
    var message: String = ""
    /// The terms that held, one per GPU, in order, without repeats.
    var terms: [String] = []

    /// Evaluates `requirement` for every GPU of `gpus`, with `brands` as each GPU's brand.
    static func evaluate(
        _ requirement: ImageRequirement,
        gpus: [MatchHost.GPU],
        brands: [String?],
        cuda: CUDAVersion?,
        driver: DriverVersion
    ) -> RequireVerdict {
        var verdict = RequireVerdict(state: .accepted)
        var unknown: RequireVerdict?
        let devices: [(MatchHost.GPU?, String?)] =
            gpus.isEmpty ? [(nil, nil)] : zip(gpus, brands).map { ($0, $1) }
        for (gpu, brand) in devices {
            let subject = RequireExpression.Subject(
                cuda: cuda,
                driver: driver,
                brand: brand,
                arch: gpu?.computeCapability,
                noDevice: gpu == nil
            )
            for value in requirement.values {
                switch RequireExpression.evaluate(value.value, subject) {
                case .satisfied(let term):
                    if !term.isEmpty, !verdict.terms.contains(term) { verdict.terms.append(term) }
                case .unsatisfied(let message):
                    return RequireVerdict(state: .refused, gpu: gpu, value: value, message: message)
                case .invalid(let factor):
                    return RequireVerdict(state: .invalid, gpu: gpu, value: value, message: factor)
                case .unknown(let factor):
                    unknown =
                        unknown
                        ?? RequireVerdict(state: .unknown, gpu: gpu, value: value, message: factor)
                }
            }
        }
        return unknown ?? verdict
    }
}
