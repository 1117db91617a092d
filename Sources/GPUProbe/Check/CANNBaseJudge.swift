/// Judges an Ascend CANN base image against the host's Ascend driver.
///
/// The official images name their CANN first in the tag: `quay.io/ascend/cann:<cann>-<chip>-
/// <os>-py<python>` (Ascend/cann-container-image), and `ascendai/cann` uses the same scheme.
/// The CANN must be one the catalog's `ascend_drivers` table relates to the driver's release
/// (Huawei's CANN release notes and compatibility matrices, Ascend's quick-install data): a
/// CANN newer than all of those needs a newer driver than the host's.
enum CANNBaseJudge {
    static let repositories: Set<String> = ["ascend/cann", "ascendai/cann"]

    static func findings(_ input: CheckInput) -> [Finding] {
        guard let host = CANNPackageJudge.hostRelease(input) else { return [] }
        let (driver, release, options, newest) = (
            host.driver, host.release, host.options, host.newest
        )
        var findings: [Finding] = []
        for stage in input.facts.stages {
            guard case .image(let image) = stage.base, let cann = cannVersion(image) else {
                continue
            }
            let listed = options.map(\.cann).joined(separator: ", ")
            if let option = options.first(where: { $0.cann == cann }) {
                findings.append(
                    Finding(
                        line: stage.line,
                        severity: .note,
                        kind: .baseImageCANNPaired,
                        message: "\(image.text) carries CANN \(cann), which the catalog pairs "
                            + "with the host's Ascend driver \(driver) (release \(release), "
                            + "\(option.pairing.rawValue))"
                    )
                )
            } else if CANNVersion.isNewer(cann, than: newest) {
                findings.append(
                    Finding(
                        line: stage.line,
                        severity: .error,
                        kind: .baseImageCANNTooNew,
                        message: "\(image.text) carries CANN \(cann), newer than every CANN "
                            + "the catalog relates to the host's Ascend driver \(driver) (release "
                            + "\(release): \(listed)): its runtime needs a newer driver",
                        fix: "build from the CANN \(options[0].cann) image of the same chip and "
                            + "OS, or upgrade the host's driver (see `gpuprobe match`)"
                    )
                )
            } else {
                findings.append(
                    Finding(
                        line: stage.line,
                        severity: .warning,
                        kind: .baseImageCANNUnpaired,
                        message: "\(image.text) carries CANN \(cann), which no table in the "
                            + "catalog pairs with the host's Ascend driver \(driver) (release "
                            + "\(release)); related to it: \(listed)",
                        fix: "build from the CANN \(options[0].cann) image of the same chip and "
                            + "OS, whose pairing Huawei's tables state"
                    )
                )
            }
        }
        return findings
    }

    /// The CANN version of an official CANN image's tag (`8.1.rc1-910b-ubuntu22.04-py3.10`
    /// → `8.1.RC1`); nil for other images and tags in no known form (`latest`).
    static func cannVersion(_ image: ImageReference) -> String? {
        guard repositories.contains(image.repository),
            image.registry == nil || image.registry == "quay.io" || image.registry == "docker.io",
            let tag = image.tag, let first = tag.split(separator: "-").first
        else { return nil }
        return TorchRequest.cannVersion(String(first))
    }
}
