/// Judges CUDA base images (`nvidia/cuda:<cuda>-...`, `pytorch/pytorch:<torch>-cuda<cuda>-...`)
/// against the host driver.
///
/// Only the image the final stage is built on runs on the host; other stages' bases get a
/// note. `nvidia/cuda` images set `NVIDIA_REQUIRE_CUDA=cuda>=X.Y`, and the NVIDIA container
/// toolkit refuses to start them on a driver whose CUDA is older, minor-version
/// compatibility or not.
enum BaseImageJudge {
    static func findings(_ input: CheckInput) -> [Finding] {
        guard let final = input.facts.finalStage else { return [] }
        let root = input.facts.externalBase(of: final.index)?.stage.index
        var findings: [Finding] = []
        for stage in input.facts.stages {
            guard case .image(let image) = stage.base else { continue }
            let cuda: CUDAVersion
            switch image.kind {
            case .nvidiaCUDA(let version): cuda = version
            case .pytorch(_, let version, _): cuda = version
            case .other: continue
            }
            guard stage.index == root else {
                findings.append(
                    Finding(
                        line: stage.line,
                        severity: .note,
                        kind: "base-image-other-stage",
                        message: "\(stage.label) starts from \(image.text) (CUDA \(cuda)), but "
                            + "the image is built from \(final.label): only that stage's base "
                            + "runs on the host, so this one is not judged"
                    )
                )
                continue
            }
            findings += judge(image, cuda: cuda, line: stage.line, final: final, input)
        }
        return findings
    }

    static func judge(
        _ image: ImageReference,
        cuda: CUDAVersion,
        line: Int,
        final: StageFacts,
        _ input: CheckInput
    ) -> [Finding] {
        let host = input.host
        guard let driver = host.targetDriverVersion else {
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "base-image-no-host-driver",
                    message: "\(image.text) is a CUDA \(cuda) image, but the host has "
                        + (host.gpus.isEmpty
                            ? "no NVIDIA GPU or driver" : "no NVIDIA driver for \(input.gpuText)")
                        + ": CUDA cannot run in it there",
                    fix: host.gpus.isEmpty
                        ? "check against the host that will run the image"
                        : "install the NVIDIA driver on the host, then check again"
                )
            ]
        }
        let isNvidiaCUDA = image.repository == "nvidia/cuda"
        let upgrade = branch(for: cuda, input.catalog).map {
            "update the host driver to branch \($0) or newer (CUDA \(cuda))"
        }
        let family = input.catalog.cudaFamilies.first { $0.major == cuda.major }
        if let family, !family.admits(driver) {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: "base-image-driver-too-old",
                    message: "\(image.text) is a CUDA \(cuda) image; CUDA \(cuda.major) needs "
                        + "driver \(family.minDriver) or newer even with minor-version "
                        + "compatibility, and the host has \(driver.text)",
                    fix: lowerTag(image, input.native) + (upgrade.map { "; or " + $0 } ?? "")
                )
            ]
        }
        guard let native = input.native else {
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: "base-image-cuda-unknown",
                    message: "the CUDA version of driver \(driver.text) is not known (nvidia-smi "
                        + "did not say, and the catalog has no branch \(driver.branch)), so "
                        + "\(image.text) (CUDA \(cuda)) was not checked"
                )
            ]
        }
        if cuda <= native {
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: "base-image-ok",
                    message: "\(image.text) (CUDA \(cuda)) runs natively on driver "
                        + "\(driver.text) (CUDA \(native))"
                )
            ]
        }
        if family == nil {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: "base-image-driver-too-old",
                    message: "\(image.text) is a CUDA \(cuda) image; CUDA \(cuda.major) has no "
                        + "minor-version compatibility, and driver \(driver.text) supports "
                        + "CUDA \(native)",
                    fix: lowerTag(image, native) + (upgrade.map { "; or " + $0 } ?? "")
                )
            ]
        }
        let disabled = ["1", "true", "yes"].contains(
            (final.environment["NVIDIA_DISABLE_REQUIRE"] ?? "").lowercased()
        )
        if isNvidiaCUDA && !disabled {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: "base-image-cuda-newer",
                    message: "\(image.text) sets NVIDIA_REQUIRE_CUDA=cuda>=\(cuda), and driver "
                        + "\(driver.text) supports CUDA \(native): the NVIDIA container toolkit "
                        + "refuses to start the container (\"unsatisfied condition: "
                        + "cuda>=\(cuda)\")",
                    fix: lowerTag(image, native) + (upgrade.map { "; or " + $0 } ?? "")
                        + "; ENV NVIDIA_DISABLE_REQUIRE=1 starts it anyway on minor-version "
                        + "compatibility"
                )
            ]
        }
        return [
            Finding(
                line: line,
                severity: .warning,
                kind: "base-image-minor-compat",
                message: "\(image.text) is built with CUDA \(cuda), newer than driver "
                    + "\(driver.text) (CUDA \(native)): it runs on CUDA minor-version "
                    + "compatibility only (limited feature set, no PTX JIT)"
                    + (disabled ? ", with NVIDIA_DISABLE_REQUIRE set" : ""),
                fix: lowerTag(image, native) + (upgrade.map { "; or " + $0 } ?? "")
            )
        ]
    }

    /// The first driver branch whose native CUDA is at least `cuda`.
    static func branch(for cuda: CUDAVersion, _ catalog: TorchCatalog) -> Int? {
        catalog.driverBranches
            .filter { CUDAVersion($0.cuda).map { $0 >= cuda } ?? false }
            .map(\.branch)
            .min()
    }

    /// `use a CUDA 12.2 tag (nvidia/cuda:12.2.*-base-ubuntu22.04)`.
    static func lowerTag(_ image: ImageReference, _ native: CUDAVersion?) -> String {
        guard let native else { return "use an image of the host driver's CUDA or lower" }
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
