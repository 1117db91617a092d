/// The PyTorch install line.
enum TorchLayer {
    static func lines(pick: TorchPick, plan: Plan) throws(EmitError) -> (
        lines: [String], warnings: [String]
    ) {
        let packages = [
            ("torch", Optional(pick.torch)), ("torchvision", pick.torchvision),
            ("torchaudio", pick.torchaudio),
        ]
        var requirements: [String] = []
        for case (let name, let version?) in packages {
            guard EmitValidation.isPackageVersion(version) else {
                throw .unsafe(
                    what: "the \(name) version",
                    value: version,
                    expected: "a version such as 2.7.1"
                )
            }
            requirements.append("\(name)==\(version)")
        }
        guard EmitValidation.isVariant(pick.variant) else {
            throw .unsafe(
                what: "the wheel variant",
                value: pick.variant,
                expected: "cpu or cuXYZ"
            )
        }
        guard TorchRequest.isSafeIndexURL(pick.indexURL), !pick.indexURL.containsText("{") else {
            throw .unsafe(
                what: "the PyTorch index URL",
                value: pick.indexURL,
                expected: "an http(s) URL of letters, digits and ._~:/%+=@-"
            )
        }
        var lines: [String] = []
        var warnings: [String] = []
        let what = pick.cuda.map { "CUDA \($0) (\(pick.variant))" } ?? pick.variant
        lines += DockerfileEmitter.comment(
            "PyTorch \(pick.torch) for \(what), as `gpuprobe match` chose it"
                + (pick.confirmed ? "" : " (not confirmed by a source; see the plan)")
                + ". It needs pip in the image (python3-pip, a venv or conda); Debian 12 and "
                + "Ubuntu 24.04 refuse pip on the system Python, so use a venv there."
        )
        if pick.minorVersionCompatibility {
            let warning =
                "the \(pick.variant) wheel is newer than the host driver's CUDA "
                + "\(plan.host.cudaVersion ?? "version"): it runs through CUDA minor-version "
                + "compatibility, where PTX JIT compilation is not available."
            warnings.append(warning)
            lines += DockerfileEmitter.comment("WARNING: " + warning)
        }
        if !pick.gpusLeftOut.isEmpty {
            let warning =
                "this wheel has no kernels for " + pick.gpusLeftOut.joined(separator: ", ")
                + "; PyTorch cannot use those GPUs."
            warnings.append(warning)
            lines += DockerfileEmitter.comment("WARNING: " + warning)
        }
        let words =
            ["python3", "-m", "pip", "install", "--no-cache-dir"] + requirements
            + ["--index-url", pick.indexURL]
        lines.append("RUN " + words.map(ShellWord.quote).joined(separator: " "))
        return (lines, warnings)
    }
}
