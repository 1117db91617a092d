/// Judges CUDA base images (`nvidia/cuda:<cuda>-...`, `pytorch/pytorch:<torch>-cuda<cuda>-...`,
/// or any image whose `ENV` sets `CUDA_VERSION` or `NVIDIA_REQUIRE_*`) against the host, as the
/// NVIDIA container toolkit and then the CUDA driver judge them.
///
/// Only the image the final stage is built on runs on the host; other stages' bases get a
/// note. Two gates apply in turn:
/// - the toolkit's legacy hook (`docker run --gpus` with runc, or the `nvidia` runtime in legacy
///   mode, its default up to toolkit 1.17) evaluates the image's `NVIDIA_REQUIRE_*` for every
///   GPU (``RequireExpression``, ``ImageRequirement``) and refuses to start a container that
///   fails; CDI mode (toolkit 1.18+ `--runtime=nvidia`, GPU Operator 25.10+, `--device
///   nvidia.com/gpu=...`) does not check (NVIDIA/nvidia-container-toolkit#1470);
/// - the CUDA driver then runs a toolkit newer than its own CUDA only within one major version,
///   on minor-version compatibility, and never one of a newer major.
enum BaseImageJudge {
    static func findings(_ input: CheckInput) -> [Finding] {
        guard let final = input.facts.finalStage else { return [] }
        let root = input.facts.externalBase(of: final.index)?.stage.index
        var findings: [Finding] = []
        var judgedRoot = false
        for stage in input.facts.stages {
            guard case .image(let image) = stage.base,
                let base = CUDABase.of(image, table: input.cudaImages, machine: input.machine)
            else { continue }
            guard stage.index == root else {
                findings.append(
                    Finding(
                        line: stage.line,
                        severity: .note,
                        kind: .baseImageOtherStage,
                        message: "\(stage.label) starts from \(image.text) (CUDA "
                            + "\(base.cuda.map(\.description) ?? "unknown")), but the image is "
                            + "built from \(final.label): only that stage's base runs on the "
                            + "host, so this one is not judged"
                    )
                )
                continue
            }
            judgedRoot = true
            findings += judge(base, line: stage.line, final: final, input)
        }
        // A base not known as a CUDA image whose Dockerfile makes it one with its own ENV.
        if !judgedRoot, final.environment.keys.contains(where: Self.isRequirementVariable) {
            var base = CUDABase(requirements: [])
            if let root, case .image(let image) = input.facts.stages[root].base {
                base.image = image
                base.environmentUnknown = !image.isPlainDistribution
            }
            let line =
                ["CUDA_VERSION", "NVIDIA_REQUIRE_CUDA"].compactMap { final.environmentLines[$0] }
                .min() ?? final.environmentLines.values.min() ?? final.line
            findings += judge(base, line: line, final: final, input)
        }
        return findings
    }

    /// `CUDA_VERSION`, or a requirement the toolkit reads.
    static func isRequirementVariable(_ name: String) -> Bool {
        name == "CUDA_VERSION"
            || (name.hasPrefix("NVIDIA_REQUIRE_") && !name.hasPrefix("NVIDIA_REQUIRE_JETPACK"))
    }

    // MARK: Judging one base

    static func judge(
        _ base: CUDABase,
        line: Int,
        final: StageFacts,
        _ input: CheckInput
    ) -> [Finding] {
        let host = input.host
        let cuda =
            base.cuda
            ?? final.environment["CUDA_VERSION"].flatMap {
                CUDAVersion($0) ?? CUDAVersion($0 + ".0")
            }
        let name = base.image?.text ?? "the image (ENV CUDA_VERSION/NVIDIA_REQUIRE_*)"
        let cudaText = cuda.map { "CUDA \($0)" } ?? "CUDA"
        guard let driver = host.targetDriverVersion else {
            if host.gpus.isEmpty, host.ascendNPUCount > 0 {
                return [
                    Finding(
                        line: line,
                        severity: .error,
                        kind: .baseImageCUDAOnAscend,
                        message: "\(name) is a \(cudaText) image, but the host has "
                            + "\(host.ascendNPUCount) Ascend NPU(s) and no NVIDIA GPU: CUDA "
                            + "cannot run there",
                        fix: "build from an Ascend CANN image (quay.io/ascend/cann, "
                            + "ascendai/cann) with torch_npu for this host, or check against "
                            + "the NVIDIA host that will run this image"
                    )
                ]
            }
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .baseImageNoHostDriver,
                    message: "\(name) is a \(cudaText) image, but the host has "
                        + (host.gpus.isEmpty
                            ? "no NVIDIA GPU or driver" : "no NVIDIA driver for \(input.gpuText)")
                        + ": CUDA cannot run in it there",
                    fix: host.gpus.isEmpty
                        ? "check against the host that will run the image"
                        : "install the NVIDIA driver on the host, then check again"
                )
            ]
        }
        let upgrade = cuda.flatMap { cuda in
            branch(for: cuda, input.catalog).map {
                "update the host driver to branch \($0) or newer (CUDA \(cuda))"
            }
        }
        let lower = lowerTag(base.image, input.native)
        let fixNewer = lower + (upgrade.map { "; or " + $0 } ?? "")
        let family = cuda.flatMap { cuda in
            input.catalog.cudaFamilies.first { $0.major == cuda.major }
        }
        if let cuda, let family, !family.admits(driver) {
            if let forward = forwardCompatible(
                base,
                cuda: cuda,
                driver: driver,
                line: line,
                final,
                input
            ) {
                return [forward]
            }
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: .baseImageDriverTooOld,
                    message: "\(name) is a \(cudaText) image; CUDA \(cuda.major) needs driver "
                        + "\(family.minDriver) or newer even with minor-version compatibility, "
                        + "and the host has \(driver.text): CUDA calls fail with \"CUDA driver "
                        + "version is insufficient for CUDA runtime version\" whatever the "
                        + "container toolkit does",
                    fix: fixNewer
                        + (base.requirements.isEmpty
                            ? ""
                            : "; or, on a data-centre GPU whose branch the image's "
                                + "NVIDIA_REQUIRE_CUDA lists, NVIDIA's forward compatibility "
                                + "(the image's /usr/local/cuda/compat libraries on the library "
                                + "path)")
                )
            ]
        }
        guard let native = input.native else {
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: .baseImageCUDAUnknown,
                    message: "the CUDA version of driver \(driver.text) is not known (nvidia-smi "
                        + "did not say, and the catalog has no branch \(driver.branch)), so "
                        + "\(name) (\(cudaText)) was not checked"
                )
            ]
        }
        if let cuda, family == nil, cuda > native {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: .baseImageDriverTooOld,
                    message: "\(name) is a CUDA \(cuda) image; CUDA \(cuda.major) has no "
                        + "minor-version compatibility, and driver \(driver.text) supports "
                        + "CUDA \(native)",
                    fix: fixNewer
                )
            ]
        }
        let newer = cuda.map { $0 > native } ?? false
        var accepted =
            "the image sets no NVIDIA_REQUIRE_CUDA, so the container toolkit does not "
            + "check it"
        if base.isTorchRuntime {
            accepted =
                "the image is plain Ubuntu with torch and sets no NVIDIA_REQUIRE_CUDA, so "
                + "the container toolkit does not check it"
        }
        var brandNote = ""
        let strings = base.requirements.isEmpty ? [nil] : base.requirements.map { Optional($0) }
        var verdicts: [(RequireVerdict, ImageRequirement, [Resolution])] = []
        for string in strings {
            let requirement = ImageRequirement(base: base, requireCUDA: string, stage: final)
            if let disabledAt = requirement.disabledAt, !requirement.values.isEmpty {
                accepted =
                    "NVIDIA_DISABLE_REQUIRE"
                    + (disabledAt > 0 ? " (line \(disabledAt))" : "")
                    + " turns the container toolkit's check off"
                verdicts = []
                break
            }
            guard !requirement.values.isEmpty else { continue }
            let resolutions = resolve(requirement, native: native, driver: driver, input)
            for resolution in resolutions {
                verdicts.append((resolution.verdict, requirement, resolutions))
            }
        }
        if !verdicts.isEmpty {
            let states = Set(verdicts.map(\.0.state))
            let (verdict, requirement, resolutions) = verdicts[0]
            if states.count > 1 {
                return [ambiguous(name, base, verdicts: verdicts, line: line, input)]
            }
            brandNote = Self.brandNote(resolutions.first?.guessed ?? [], requirement)
            switch verdict.state {
            case .accepted:
                let names = requirement.values.map(\.name).joined(separator: ", ")
                let terms = verdict.terms.joined(separator: " and ")
                accepted =
                    "the container toolkit accepts it"
                    + (terms.isEmpty ? "" : " through \(terms) of its \(names)") + brandNote
            case .refused, .invalid:
                return [
                    refused(
                        name,
                        base,
                        verdict: verdict,
                        cuda: cuda,
                        native: native,
                        driver: driver,
                        fix: fixNewer,
                        brandNote: brandNote,
                        line: line,
                        input
                    )
                ]
            case .unknown:
                return [
                    Finding(
                        line: verdict.value?.line ?? line,
                        severity: .note,
                        kind: .baseImageRequireUnknown,
                        message: "\(name)'s \(verdict.value?.name ?? "NVIDIA_REQUIRE_CUDA") "
                            + "needs \(verdict.message), which the host report does not give "
                            + "for \(verdict.gpu?.label ?? "the GPU"), so the container "
                            + "toolkit's check was not judged"
                    )
                ]
            }
        }
        let table = base.tableNote.map { " (\($0))" } ?? ""
        guard let cuda else {
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: .baseImageOK,
                    message: "\(name): \(accepted) on driver \(driver.text) (CUDA \(native))"
                        + table
                )
            ]
        }
        if newer {
            let what =
                base.isTorchRuntime
                ? "torch initialises CUDA on minor-version compatibility"
                : "it runs on CUDA minor-version compatibility"
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .baseImageMinorCompat,
                    message: "\(name) is built with CUDA \(cuda), newer than driver "
                        + "\(driver.text) (CUDA \(native)); \(accepted), and \(what): PTX built "
                        + "by the newer toolkit does not JIT, and calls that need a newer driver "
                        + "fail with cudaErrorCallRequiresNewerDriver"
                        + (base.isTorchRuntime
                            ? ""
                            : " (on a data-centre GPU the image's cuda-compat "
                                + "forward-compatibility libraries lift this)") + table,
                    fix: fixNewer
                )
            ]
        }
        let how = base.requirements.isEmpty && !base.isTorchRuntime ? "" : "; " + accepted
        return [
            Finding(
                line: line,
                severity: .note,
                kind: .baseImageOK,
                message: "\(name) (CUDA \(cuda)) runs natively on driver \(driver.text) "
                    + "(CUDA \(native))\(how)\(table)"
            )
        ]
    }

    // MARK: Brands

    /// A CUDA major the driver cannot run natively, on a branch the image's own
    /// `NVIDIA_REQUIRE_CUDA` lists for this GPU's brand: NVIDIA lists exactly the branches its
    /// forward compatibility (the image's `cuda-compat` libraries) supports on such GPUs.
    ///
    /// Recent container toolkits put `/usr/local/cuda/compat` on the loader's path by themselves
    /// when those libraries are newer than the host's driver (the `enable-cuda-compat` hook of
    /// the 1.17 series and later; the first release was not confirmed); with an older toolkit
    /// `LD_LIBRARY_PATH` must name it.
    static func forwardCompatible(
        _ base: CUDABase,
        cuda: CUDAVersion,
        driver: DriverVersion,
        line: Int,
        _ final: StageFacts,
        _ input: CheckInput
    ) -> Finding? {
        guard !base.requirements.isEmpty, !base.isTorchRuntime, let native = input.native
        else { return nil }
        var terms: [String] = []
        for string in base.requirements {
            let requirement = ImageRequirement(base: base, requireCUDA: string, stage: final)
            guard !requirement.values.isEmpty, requirement.disabledAt == nil else { return nil }
            for resolution in resolve(requirement, native: native, driver: driver, input) {
                let verdict = resolution.verdict
                guard verdict.state == .accepted, !verdict.terms.isEmpty,
                    verdict.terms.allSatisfy({ !$0.lowercased().hasPrefix("cuda") })
                else { return nil }
                terms += verdict.terms
            }
        }
        let name = base.image?.text ?? "the image"
        var seen = Set<String>()
        let listed = terms.filter { seen.insert($0).inserted }.prefix(2).joined(separator: " and ")
        return Finding(
            line: line,
            severity: .warning,
            kind: .baseImageForwardCompat,
            message: "\(name) is a CUDA \(cuda) image on driver \(driver.text) (CUDA \(native)): "
                + "its NVIDIA_REQUIRE_CUDA lists this branch for \(input.gpuText) (\(listed)), "
                + "so it runs through NVIDIA's forward compatibility, on the image's "
                + "/usr/local/cuda/compat libraries, which recent container toolkits (their "
                + "enable-cuda-compat hook) put in place by themselves; without them CUDA calls fail with \"CUDA driver version "
                + "is insufficient for CUDA runtime version\"",
            fix:
                "with a toolkit that lacks that hook add ENV LD_LIBRARY_PATH=/usr/local/cuda/compat:"
                + "$LD_LIBRARY_PATH; or "
                + lowerTag(base.image, input.native)
        )
    }

    /// One assignment of brands to the host's GPUs and the verdict under it.
    struct Resolution {
        var verdict: RequireVerdict
        /// The brand given to GPUs whose brand is not known (nil when every brand is known).
        var assumed: String?
        /// GPUs whose brand was read from their name, with the brand.
        var guessed: [(MatchHost.GPU, String)]
    }

    /// The brands a GPU of unknown brand is tried with: every physical brand, consumer first.
    static let unknownBrandCandidates = [
        "geforce", "titan", "quadro", "quadrortx", "nvidiartx", "tesla", "nvidia",
    ]

    /// Evaluates `requirement` with each GPU's brand; a GPU whose brand neither the report nor
    /// its name gives is tried with every brand of ``unknownBrandCandidates``.
    static func resolve(
        _ requirement: ImageRequirement,
        native: CUDAVersion,
        driver: DriverVersion,
        _ input: CheckInput
    ) -> [Resolution] {
        let gpus = input.host.gpus
        let found = gpus.map { GPUBrand.of($0, table: input.gpuBrands) }
        let guessed = zip(gpus, found).compactMap { gpu, found in
            found.origin == .reported ? nil : found.brand.map { (gpu, $0) }
        }
        let anyUnknown = found.contains { $0.brand == nil }
        let candidates: [String?] = anyUnknown ? unknownBrandCandidates : [nil]
        return candidates.map { candidate in
            let brands = found.map { $0.brand ?? candidate }
            return Resolution(
                verdict: RequireVerdict.evaluate(
                    requirement,
                    gpus: gpus,
                    brands: brands,
                    cuda: native,
                    driver: driver
                ),
                assumed: candidate,
                guessed: guessed
            )
        }
    }

    /// ` (brand nvidiartx of NVIDIA RTX A6000 read from its name, ...)` when a brand term
    /// counts and a brand was not nvidia-smi's.
    static func brandNote(_ guessed: [(MatchHost.GPU, String)], _ requirement: ImageRequirement)
        -> String
    {
        guard !guessed.isEmpty,
            requirement.values.contains(where: { $0.value.lowercased().containsText("brand") })
        else { return "" }
        var seen = Set<String>()
        let list = guessed.filter { seen.insert($0.0.name + $0.1).inserted }.prefix(3)
            .map { "\($0.1) for \($0.0.name)" }.joined(separator: ", ")
        return " (brand \(list) read from the GPU name, as the report has no Product Brand: "
            + "nvidia-smi -q shows it)"
    }

    // MARK: Findings

    static let legacyPath =
        "the legacy path checks this (docker run --gpus with runc, or the nvidia runtime in "
        + "legacy mode, its default up to nvidia-container-toolkit 1.17); CDI mode (toolkit 1.18+ "
        + "--runtime=nvidia, Kubernetes with GPU Operator 25.10+, --device nvidia.com/gpu=...) "
        + "does not check"

    static func refused(
        _ name: String,
        _ base: CUDABase,
        verdict: RequireVerdict,
        cuda: CUDAVersion?,
        native: CUDAVersion,
        driver: DriverVersion,
        fix: String,
        brandNote: String,
        line: Int,
        _ input: CheckInput
    ) -> Finding {
        let variable = verdict.value?.name ?? "NVIDIA_REQUIRE_CUDA"
        let fromDockerfile = verdict.value?.line
        let gpu = verdict.gpu.map { " for \($0.label)" } ?? ""
        let newer = cuda.map { $0 > native } ?? false
        let printed =
            verdict.state == .invalid ? "invalid expression" : verdict.message
        let table = base.tableNote.map { " (\($0))" } ?? ""
        var afterwards: String
        if verdict.state == .invalid {
            afterwards =
                "libnvidia-container cannot read \(verdict.message) (its keys are cuda, "
                + "driver, arch and brand); CDI mode starts it"
        } else if let cuda, newer {
            afterwards =
                "there the CUDA \(cuda) image runs on CUDA minor-version compatibility "
                + "with driver \(driver.text) (CUDA \(native))"
        } else {
            afterwards = "there it starts and CUDA \(cuda.map(\.description) ?? "") runs natively"
        }
        let disable =
            newer
            ? "; or ENV NVIDIA_DISABLE_REQUIRE=true, as CUDA minor-version compatibility holds "
                + "for this driver" : ""
        let whereSet = fromDockerfile.map { " (set on line \($0))" } ?? ""
        let what =
            variable == "CUDA_VERSION"
            ? "requirement \(verdict.value?.value ?? "") (the toolkit's rule for an image with "
                + "CUDA_VERSION and no NVIDIA_REQUIRE_CUDA)"
            : variable
        var message =
            "\(name): no alternative of its \(what)\(whereSet) holds\(gpu) on driver "
            + "\(driver.text) (CUDA \(native)), so the NVIDIA container toolkit refuses to start "
            + "it: \"nvidia-container-cli: requirement error: \(printed)\"; \(Self.legacyPath), "
            + "and \(afterwards)" + brandNote + table
        if base.environmentUnknown, variable == "CUDA_VERSION", let image = base.image {
            // The toolkit adds cuda>=X.Y only when NVIDIA_REQUIRE_CUDA is empty, and this base
            // may set one that it does not show here.
            message += " (assuming \(image.text) sets no NVIDIA_REQUIRE_CUDA of its own)"
            return Finding(
                line: fromDockerfile ?? line,
                severity: .warning,
                kind: newer ? .baseImageCUDANewer : .baseImageRequireUnmet,
                message: message,
                fix: fix + disable
            )
        }
        if newer {
            return Finding(
                line: line,
                severity: .error,
                kind: .baseImageCUDANewer,
                message: message,
                fix: fix + disable
            )
        }
        return Finding(
            line: fromDockerfile ?? line,
            severity: .error,
            kind: .baseImageRequireUnmet,
            message: message,
            fix: fromDockerfile == nil
                ? "use an image whose NVIDIA_REQUIRE_CUDA this host meets, or ENV "
                    + "NVIDIA_DISABLE_REQUIRE=true when the image's CUDA runs on this driver"
                : "correct or remove \(variable) on line \(fromDockerfile ?? 0) "
                    + "(cuda, driver, arch and brand are the keys it may use)"
        )
    }

    /// The verdict differs with a brand not known, or with a flavour not in the table.
    static func ambiguous(
        _ name: String,
        _ base: CUDABase,
        verdicts: [(RequireVerdict, ImageRequirement, [Resolution])],
        line: Int,
        _ input: CheckInput
    ) -> Finding {
        let resolutions = verdicts.first?.2 ?? []
        let byBrand = Set(resolutions.map(\.verdict.state)).count > 1
        if byBrand {
            let refused = resolutions.filter { $0.verdict.state != .accepted }
                .compactMap(\.assumed)
            let accepted = resolutions.filter { $0.verdict.state == .accepted }
                .compactMap(\.assumed)
            let unknown = input.host.gpus.filter {
                GPUBrand.of($0, table: input.gpuBrands).brand == nil
            }
            let names = unknown.prefix(3).map(\.name).joined(separator: ", ")
            let first = resolutions.first { $0.verdict.state != .accepted }?.verdict.message ?? ""
            return Finding(
                line: line,
                severity: .warning,
                kind: .baseImageBrandUnknown,
                message: "whether the NVIDIA container toolkit starts \(name) depends on the "
                    + "brand of \(names), which the host report does not give and the name does "
                    + "not tell: refused for brand \(refused.joined(separator: ", ")) (\"\(first)\"), "
                    + "accepted for \(accepted.joined(separator: ", ")); \(Self.legacyPath)",
                fix: "probe the host with gpuprobe (it reads nvidia-smi -q -x) or paste "
                    + "nvidia-smi -q, whose Product Brand decides; or use a tag of the driver's "
                    + "CUDA or lower"
            )
        }
        return Finding(
            line: line,
            severity: .note,
            kind: .baseImageRequireUnknown,
            message: "\(name): \(base.tableNote ?? "the image table does not know the tag"), and "
                + "those strings disagree on this host, so the container toolkit's check was not "
                + "judged",
            fix: nil
        )
    }

    /// The first driver branch whose native CUDA is at least `cuda`.
    static func branch(for cuda: CUDAVersion, _ catalog: TorchCatalog) -> Int? {
        catalog.driverBranches
            .filter { CUDAVersion($0.cuda).map { $0 >= cuda } ?? false }
            .map(\.branch)
            .min()
    }

    /// `use a CUDA 12.2 (or lower) tag: nvidia/cuda:12.2.*-base-ubuntu22.04`.
    static func lowerTag(_ image: ImageReference?, _ native: CUDAVersion?) -> String {
        guard let native else { return "use an image of the host driver's CUDA or lower" }
        guard let image else { return "use CUDA \(native) or lower" }
        let tag = image.tag ?? ""
        switch image.kind {
        case .nvidiaCUDA:
            let flavour = tag.drop { $0 != "-" }
            return "use a CUDA \(native) (or lower) tag: \(image.repository):\(native).*\(flavour)"
        case .pytorch(let torch, _, _):
            return "use a pytorch/pytorch tag built with CUDA \(native) or lower "
                + "(\(torch)-cuda\(native)-... where one exists)"
        case .other:
            return "use an image of CUDA \(native) or lower"
        }
    }
}
