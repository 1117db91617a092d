/// Judges `FROM` names that are no image: a template's placeholder (`FROM <baseimg>`) or a
/// name Docker's reference grammar refuses, on which the build stops at once.
enum StageBaseJudge {
    static func findings(_ input: CheckInput) -> [Finding] {
        // Names with unknown variables already have their note; they are not judged here.
        let unresolvedLines = Set(
            input.facts.findings.filter { $0.kind == .unresolvedVariable }.map(\.line)
        )
        var findings: [Finding] = []
        for stage in input.facts.stages {
            let name: String
            switch stage.base {
            case .unknown(let text): name = text
            case .image(let image): name = image.text
            case .stage, .scratch: continue
            }
            guard !unresolvedLines.contains(stage.line), !ImageReference.isValid(name) else {
                continue
            }
            let placeholder = name.hasPrefix("<") || name.hasPrefix("{{") || name.hasPrefix("%")
            findings.append(
                Finding(
                    line: stage.line,
                    severity: .error,
                    kind: .baseImageInvalid,
                    message: "FROM \(name) is "
                        + (placeholder
                            ? "a placeholder, not an image" : "not an image name Docker accepts")
                        + ": the build stops at this line (\"invalid reference format\")",
                    fix: "replace '\(name)' with the image to build from, e.g. "
                        + "ubuntu:22.04 or nvidia/cuda:12.2.2-runtime-ubuntu22.04"
                )
            )
        }
        return findings
    }
}
