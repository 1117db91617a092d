/// Picks the PyTorch wheels for a host: the newest torch release whose variant runs on the
/// host driver, carries kernels for every GPU and supports the requested Python.
///
/// Pure: decides from the host facts and the catalog alone.
public enum TorchMatcher {
    /// One (patch, variant) pair and what the rules made of it.
    struct Candidate {
        let line: TorchReleaseLine
        let patch: TorchPatch
        let variant: TorchVariant
        /// Hard reasons it cannot be used at all.
        var rejections: [String] = []
        /// The wheel's CUDA is above the driver's native CUDA.
        var minorCompat = false
        var covered: [MatchHost.GPU] = []
        var leftOut: [MatchHost.GPU] = []
        /// GPUs that run only through PTX JIT.
        var throughPTX: [MatchHost.GPU] = []

        var confirmed: Bool { line.confirmed && patch.confirmed && variant.confirmed }
        var hasAudio: Bool { patch.torchaudio != nil && variant.torchaudio }
        var cuda: CUDAVersion? { variant.cuda.flatMap(CUDAVersion.init) }
        var name: String { "\(patch.torch)+\(variant.name)" }
    }

    /// Decides.
    ///
    /// - Parameters:
    ///   - host: the host facts.
    ///   - catalog: the PyTorch catalog.
    ///   - request: `--python`, `--torch`, `--pip-index-url`.
    /// - Returns: the PyTorch part of the plan.
    public static func match(
        host: MatchHost,
        catalog: TorchCatalog,
        request: TorchRequest
    ) -> TorchPlan {
        if host.gpus.isEmpty && host.ascendSoftwarePresent {
            return TorchPlan(
                status: .ascend,
                explanation: [
                    "An Ascend host: install torch together with the torch_npu release listed in "
                        + "the Ascend part; CUDA wheels do not apply."
                ]
            )
        }
        // NVIDIA software on a bus without an NVIDIA GPU is a machine without GPUs: CPU wheels,
        // as for any such host (the driver part says why, and that it may be the wrong host).
        if host.gpus.isEmpty && host.nvidiaSoftwarePresent && !host.pciShowsNoNvidiaGPU {
            return TorchPlan(
                status: .none,
                explanation: [
                    "The report shows NVIDIA software but no GPU details, so no wheel can be "
                        + "checked against the GPUs: fix the host (see the driver part), probe it "
                        + "again, and match again."
                ]
            )
        }
        if !host.gpus.isEmpty && !host.hasNvidiaDriver {
            return TorchPlan(
                status: .none,
                explanation: [
                    "The host has NVIDIA GPUs but no driver, so no CUDA wheel can run yet: install "
                        + "the driver on the host (see the driver part for the branches that serve "
                        + "each GPU), probe again, and match again."
                ]
            )
        }
        let wantsCUDA = !host.gpus.isEmpty
        let machine = host.machine ?? "x86_64"
        var notes: [String] = []
        if host.machine == nil {
            notes.append("The report does not say the host's machine; x86_64 wheels are assumed.")
        }

        // The driver's native CUDA, found once: every candidate is judged against it.
        let native = nativeCUDA(host, catalog)
        let lines = catalog.releases.sorted { compareVersions($0.minor, $1.minor) > 0 }
        var candidates: [Candidate] = []
        for line in lines {
            for patch in line.patches.sorted(by: { compareVersions($0.torch, $1.torch) > 0 }) {
                if let pin = request.torch, !matches(pin: pin, patch: patch.torch) { continue }
                for variant in line.variants where applies(variant, patch, wantsCUDA: wantsCUDA) {
                    candidates.append(
                        evaluate(
                            Candidate(line: line, patch: patch, variant: variant),
                            host: host,
                            machine: machine,
                            catalog: catalog,
                            native: native,
                            request: request
                        )
                    )
                }
            }
        }
        let status: TorchPlan.Status = wantsCUDA ? .cuda : .cpu

        if let pin = request.torch, candidates.isEmpty {
            let known = lines.flatMap { $0.patches.map(\.torch) }.sorted {
                compareVersions($0, $1) > 0
            }
            return TorchPlan(
                status: .none,
                explanation: [
                    "torch \(pin) is not in the catalog (updated \(catalog.updated)); known "
                        + "releases: \(known.prefix(12).joined(separator: ", ")); pass one of "
                        + "them, or a newer catalog with --catalog."
                ] + notes
            )
        }

        // Confirmed facts first: a confirmed wheel for the most capable GPU beats an
        // unconfirmed one that would cover every GPU.
        let viable = candidates.filter { $0.rejections.isEmpty }
        let primary = wantsCUDA ? mostCapable(host.gpus) : nil
        let forPrimary = viable.filter { candidate in
            primary.map { gpu in candidate.covered.contains { $0 == gpu } } ?? false
        }
        let fullCover = viable.filter { $0.leftOut.isEmpty }
        let tiers = [
            fullCover.filter(\.confirmed), forPrimary.filter(\.confirmed), fullCover, forPrimary,
        ]
        let pool = tiers.first { !$0.isEmpty } ?? []
        let mixed = pool.contains { !$0.leftOut.isEmpty }
        guard let pick = pool.min(by: { better($0, than: $1) })
        else {
            var explanation = [noPickSentence(request: request, wantsCUDA: wantsCUDA, host: host)]
            explanation += notes
            return TorchPlan(
                status: .none,
                explanation: explanation,
                runnersUp: candidates.prefix(60).map {
                    TorchCandidate(
                        torch: $0.patch.torch,
                        variant: $0.variant.name,
                        reason: $0.rejections.isEmpty
                            ? "no kernels for " + $0.leftOut.map(\.label).joined(separator: ", ")
                            : $0.rejections.joined(separator: "; ")
                    )
                }
            )
        }

        var explanation = pickSentences(pick, host: host, native: native, request: request)
        if mixed {
            explanation.append(
                "No single wheel has kernels for every GPU: picked for the most capable, "
                    + "\(pick.covered.map(\.label).joined(separator: ", ")); left out: "
                    + pick.leftOut.map { gpuText($0) }.joined(separator: ", ")
                    + ". Those GPUs need a different image."
            )
        }
        explanation += notes

        let runnersUp =
            candidates
            .filter {
                $0.name != pick.name && compareVersions($0.patch.torch, pick.patch.torch) >= 0
            }
            .prefix(60)
            .map { candidate in
                TorchCandidate(
                    torch: candidate.patch.torch,
                    variant: candidate.variant.name,
                    reason: lossReason(candidate, against: pick, native: native)
                )
            }
        return TorchPlan(
            status: status,
            pick: TorchPick(
                torch: pick.patch.torch,
                torchvision: pick.patch.torchvision,
                torchaudio: pick.hasAudio ? pick.patch.torchaudio : nil,
                variant: pick.variant.name,
                cuda: pick.variant.cuda,
                indexURL: request.indexURL(variant: pick.variant.name),
                minorVersionCompatibility: pick.minorCompat,
                gpusCovered: pick.covered.map(\.label),
                gpusLeftOut: pick.leftOut.map(\.label),
                confirmed: pick.confirmed
            ),
            explanation: explanation,
            runnersUp: Array(runnersUp)
        )
    }

    // MARK: Rules

    static func matches(pin: String, patch: String) -> Bool {
        let pinParts = numericParts(pin) ?? []
        let patchParts = numericParts(patch) ?? []
        return pinParts.count == 2
            ? Array(patchParts.prefix(2)) == pinParts : pinParts == patchParts
    }

    static func applies(_ variant: TorchVariant, _ patch: TorchPatch, wantsCUDA: Bool) -> Bool {
        if let only = variant.patches, !only.contains(patch.torch) { return false }
        return wantsCUDA ? variant.name.hasPrefix("cu") : variant.name == "cpu"
    }

    static func evaluate(
        _ start: Candidate,
        host: MatchHost,
        machine: String,
        catalog: TorchCatalog,
        native: CUDAVersion?,
        request: TorchRequest
    ) -> Candidate {
        var candidate = checkDriverAndKernels(
            start,
            host: host,
            machine: machine,
            catalog: catalog,
            native: native
        )
        // After the driver and kernel reasons, which matter more to a reader.
        candidate.rejections += laterReasons(candidate, request)
        return candidate
    }

    static func checkDriverAndKernels(
        _ start: Candidate,
        host: MatchHost,
        machine: String,
        catalog: TorchCatalog,
        native: CUDAVersion?
    ) -> Candidate {
        var candidate = start
        guard let targets = candidate.variant.builds[machine] else {
            candidate.rejections.append("no \(machine) wheels are known for this variant")
            return candidate
        }
        guard let cuda = candidate.cuda else { return candidate }  // cpu

        let driver = host.targetDriverVersion
        if let driver {
            if let family = catalog.cudaFamilies.first(where: { $0.major == cuda.major }) {
                if !family.admits(driver) {
                    candidate.rejections.append(
                        "needs driver >= \(family.minDriver), host has \(driver.text)"
                    )
                }
            } else if let native, native < cuda {
                candidate.rejections.append(
                    "CUDA \(cuda) has no minor-version compatibility and needs a driver for CUDA "
                        + "\(cuda), the host's supports \(native)"
                )
            }
        }
        if let native, native < cuda { candidate.minorCompat = true }

        let sass = targets.sass.compactMap(ComputeCapability.init)
        let ptx = targets.ptx.compactMap(ComputeCapability.init)
        for gpu in host.gpus {
            guard let cc = gpu.computeCapability else {
                // Unknown chip: nothing to check against; the pick names it.
                candidate.covered.append(gpu)
                continue
            }
            if sass.contains(where: { $0.sassRuns(on: cc) }) {
                candidate.covered.append(gpu)
            } else if !candidate.minorCompat, ptx.contains(where: { $0.ptxRuns(on: cc) }) {
                candidate.covered.append(gpu)
                candidate.throughPTX.append(gpu)
            } else {
                candidate.leftOut.append(gpu)
            }
        }
        return candidate
    }

    static func laterReasons(_ candidate: Candidate, _ request: TorchRequest) -> [String] {
        var reasons: [String] = []
        if let python = request.python {
            if let range = candidate.line.python {
                if compareVersions(python, range.min) < 0 || compareVersions(python, range.max) > 0
                {
                    reasons.append(
                        "supports Python \(range.min) to \(range.max), not \(python)"
                    )
                }
            } else {
                reasons.append("its Python range is not known")
            }
        }
        if candidate.patch.torchvision == nil {
            reasons.append(
                "no torchvision is known for torch \(candidate.patch.torch) (not released, or the "
                    + "pairing is not confirmed)"
            )
        }
        return reasons
    }

    /// The driver's native CUDA: nvidia-smi's, else the catalog's branch table.
    static func nativeCUDA(_ host: MatchHost, _ catalog: TorchCatalog) -> CUDAVersion? {
        if let cuda = host.cudaVersion { return cuda }
        guard let branch = host.targetDriverVersion?.branch else { return nil }
        return catalog.driverBranches
            .filter { $0.branch <= branch }
            .max { $0.branch < $1.branch }
            .flatMap { CUDAVersion($0.cuda) }
    }

    static func mostCapable(_ gpus: [MatchHost.GPU]) -> MatchHost.GPU? {
        gpus.compactMap { gpu in gpu.computeCapability.map { (gpu, $0) } }
            .max { $0.1 < $1.1 }?.0
    }

    /// The ranking: newest release; then all three packages; then no reliance on minor-version
    /// compatibility; then CUDA closest to the driver's; then more GPUs covered; then
    /// advertised; then by name for a stable order.
    static func better(_ a: Candidate, than b: Candidate) -> Bool {
        let release = compareVersions(a.patch.torch, b.patch.torch)
        if release != 0 { return release > 0 }
        if a.hasAudio != b.hasAudio { return a.hasAudio }
        if a.minorCompat != b.minorCompat { return !a.minorCompat }
        if let x = a.cuda, let y = b.cuda, x != y {
            // Within the native range the highest wins; above it the lowest.
            return a.minorCompat ? x < y : x > y
        }
        if a.covered.count != b.covered.count { return a.covered.count > b.covered.count }
        if a.variant.advertised != b.variant.advertised { return a.variant.advertised }
        return a.variant.name < b.variant.name
    }

    // MARK: Sentences

    static func gpuText(_ gpu: MatchHost.GPU) -> String {
        gpu.label + (gpu.computeCapability.map { ", compute capability \($0)" } ?? "")
    }

    static func pickSentences(
        _ pick: Candidate,
        host: MatchHost,
        native: CUDAVersion?,
        request: TorchRequest
    ) -> [String] {
        var out: [String] = []
        let packages =
            "torchvision \(pick.patch.torchvision ?? "none")"
            + (pick.hasAudio ? ", torchaudio \(pick.patch.torchaudio ?? "")" : "")
        if let cuda = pick.cuda, let driver = host.targetDriverVersion {
            let nativeText = native.map { " (CUDA \($0))" } ?? ""
            let scope = request.torch != nil ? "the best variant of the pinned" : "the newest"
            out.append(
                "Picked torch \(pick.name) with \(packages): \(scope) release whose wheel runs on "
                    + "driver \(driver.text)\(nativeText) and has kernels for "
                    + (pick.leftOut.isEmpty ? "every GPU." : "the most capable GPU.")
            )
            if pick.minorCompat {
                out.append(
                    "CUDA \(cuda) is newer than the driver's native CUDA"
                        + (native.map { " \($0)" } ?? "") + ": the wheel "
                        + "relies on CUDA minor-version compatibility (limited feature set, no PTX "
                        + "JIT); a driver supporting CUDA \(cuda) removes that limit."
                )
            }
            for gpu in pick.covered {
                guard let cc = gpu.computeCapability else {
                    out.append(
                        "\(gpu.label): its compute capability is unknown, so kernel coverage was "
                            + "not checked; check `torch.cuda.get_arch_list()` in the image."
                    )
                    continue
                }
                if pick.throughPTX.contains(gpu) {
                    out.append(
                        "\(gpuText(gpu)): no SASS for it in the wheel; it runs through PTX JIT "
                            + "(the first start compiles kernels and is slow)."
                    )
                } else {
                    out.append(
                        "\(gpuText(gpu)): SASS in the wheel covers sm_\(cc.major)\(cc.minor)."
                    )
                }
            }
        } else {
            out.append(
                "Picked torch \(pick.name) with \(packages): the host has no NVIDIA GPU, so the "
                    + "CPU wheels are the right ones."
            )
        }
        if !pick.hasAudio {
            out.append(
                "No torchaudio wheel goes with \(pick.name) on this index: torchaudio is left out."
            )
        }
        if let range = pick.line.python {
            if let python = request.python {
                out.append("Python \(python) is supported (\(range.min) to \(range.max)).")
            } else {
                out.append(
                    "Python was not given (--python): this release supports \(range.min) to "
                        + "\(range.max)."
                )
            }
        }
        out += excludedPythonSentences(pick, request: request)
        if !pick.variant.advertised {
            out.append(
                "\(pick.variant.name) wheels exist for \(pick.patch.torch) but are not advertised "
                    + "on pytorch.org."
            )
        }
        if !pick.confirmed {
            out.append(
                "Part of this pick is marked unconfirmed in the catalog (release, pairing or arch "
                    + "list); verify it before relying on it."
            )
        }
        return out
    }

    /// The Python releases pip refuses the pick's set on (torchvision 0.26.0 and later exclude
    /// 3.14.1), where they concern this request: the requested minor version, or any in the
    /// line's range when none was requested.
    static func excludedPythonSentences(_ pick: Candidate, request: TorchRequest) -> [String] {
        (pick.patch.excludedPython ?? []).compactMap { excluded in
            let minor = (numericParts(excluded) ?? []).prefix(2).map(String.init)
                .joined(separator: ".")
            if let python = request.python {
                guard compareVersions(python, minor) == 0 else { return nil }
            } else if let range = pick.line.python {
                guard compareVersions(minor, range.min) >= 0, compareVersions(minor, range.max) <= 0
                else { return nil }
            }
            let torchvision = pick.patch.torchvision.map { "torchvision \($0) with " } ?? ""
            return "pip refuses \(torchvision)torch \(pick.patch.torch) on Python \(excluded) "
                + "exactly (Requires-Python excludes that release): use another Python "
                + "\(minor) release in the image."
        }
    }

    static func lossReason(_ candidate: Candidate, against pick: Candidate, native: CUDAVersion?)
        -> String
    {
        if !candidate.rejections.isEmpty { return candidate.rejections.joined(separator: "; ") }
        if !candidate.leftOut.isEmpty {
            return "no kernels for " + candidate.leftOut.map { gpuText($0) }.joined(separator: ", ")
        }
        if pick.confirmed && !candidate.confirmed { return "marked unconfirmed in the catalog" }
        if compareVersions(candidate.patch.torch, pick.patch.torch) < 0 {
            return "older than \(pick.patch.torch)"
        }
        if candidate.hasAudio != pick.hasAudio { return "no torchaudio on this index" }
        if candidate.minorCompat && !pick.minorCompat {
            return
                "relies on CUDA minor-version compatibility (CUDA \(candidate.variant.cuda ?? "")"
                + " is above the driver's \(native.map(\.description) ?? "native CUDA"))"
        }
        if let x = candidate.cuda, let y = pick.cuda, x != y {
            return "CUDA \(x) is further from the driver's \(native.map(\.description) ?? "CUDA") "
                + "than \(y)"
        }
        if !candidate.variant.advertised { return "not advertised on pytorch.org" }
        return "ranked below \(pick.name)"
    }

    static func noPickSentence(request: TorchRequest, wantsCUDA: Bool, host: MatchHost) -> String {
        let python = request.python.map { " for Python \($0)" } ?? ""
        let wheel =
            wantsCUDA
            ? "wheel\(python) that runs on driver \(host.targetDriverVersion?.text ?? "unknown") "
                + "with kernels for this host's GPUs"
            : "CPU wheel\(python) with a matching torchvision"
        let subject = request.torch.map { "torch \($0) has no " } ?? "No torch release has a "
        return subject + wheel + "; each candidate's reason is listed. Change the pin, the Python "
            + "version" + (wantsCUDA ? " or the host driver." : ".")
    }
}
