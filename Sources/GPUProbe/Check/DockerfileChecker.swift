/// Judges a Dockerfile against a host: the NVIDIA driver it installs, the CUDA base image,
/// the PyTorch wheels, the nouveau blacklist and the Ascend files it copies.
///
/// Pure apart from looking up `COPY` sources in the build context: the same Dockerfile, report,
/// catalog and context give the same findings.
public enum DockerfileChecker {
    /// Checks a Dockerfile.
    ///
    /// - Parameters:
    ///   - dockerfile: the Dockerfile's text.
    ///   - path: its path as the user gave it, for messages and the report.
    ///   - report: the host's probe report.
    ///   - catalog: the PyTorch catalog.
    ///   - context: the build context its `COPY` and `ADD` lines read.
    ///   - buildArguments: `--build-arg NAME=VALUE` values, used wherever an `ARG` is.
    ///   - cudaImages: the `NVIDIA_REQUIRE_CUDA` of every nvidia/cuda image
    ///     (`--cuda-images FILE`).
    ///   - gpuBrands: GPU names with their brand (`--gpu-brands FILE`).
    /// - Returns: the findings; ``CheckReport/compatible`` is false when one is an error.
    /// - Throws: ``DockerfileError`` when the text cannot be read as a Dockerfile (unterminated
    ///   heredoc, bad escape directive, not UTF-8 text, unknown instruction, no `FROM`).
    public static func check(
        dockerfile: String,
        path: String,
        report: HostReport,
        catalog: TorchCatalog,
        context: BuildContext,
        buildArguments: [String: String] = [:],
        cudaImages: CUDAImageTable = .embedded,
        gpuBrands: GPUBrandTable = .embedded
    ) throws(DockerfileError) -> CheckReport {
        let parsed = try DockerfileParser.parse(dockerfile, path: path)
        let host = MatchHost.from(report)
        let facts = DockerfileWalker.read(
            parsed,
            machine: host.machine,
            buildArguments: buildArguments
        )
        if let line = facts.commandsOverLimitAt {
            throw DockerfileError(
                .tooManyCommands(DockerfileWalker.commandLimit),
                line: line,
                path: path
            )
        }
        let input = CheckInput(
            facts: facts,
            report: report,
            catalog: catalog,
            context: context,
            cudaImages: cudaImages,
            gpuBrands: gpuBrands
        )
        var findings = facts.findings
        // The judges' notes on names with no value say what would give them one.
        UnresolvedOrigins.$current.withValue(facts.origins) {
            findings += StageBaseJudge.findings(input)
            findings += BaseImageJudge.findings(input)
            findings += CANNBaseJudge.findings(input)
            let installers = InstallerJudge.scan(input)
            findings += installers.findings
            findings += DistroDriverJudge.findings(input)
            findings += NouveauJudge.findings(input)
            findings += TorchJudge.findings(input)
            findings += AscendJudge.findings(input)
            findings += CANNPackageJudge.findings(input, runs: installers.ascend)
            findings += TorchNPUJudge.findings(input, runs: installers.ascend)
        }
        return CheckReport(
            dockerfile: path,
            host: PlanHost(host),
            catalogUpdated: catalog.updated,
            findings: findings
        )
    }

    /// Decodes a Dockerfile's bytes as the builder reads them: UTF-8 (a byte-order mark
    /// allowed), no NUL bytes.
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: its path, for the error message.
    /// - Returns: the text.
    /// - Throws: ``DockerfileError`` with ``DockerfileError/Problem/notUTF8`` or
    ///   ``DockerfileError/Problem/notText``, naming the line.
    public static func text(from bytes: [UInt8], path: String) throws(DockerfileError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // The line of the first byte that does not decode.
            var line = 1
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { line += 1 }
                case .emptyInput, .error:
                    break loop
                }
            }
            throw DockerfileError(.notUTF8, line: line, path: path)
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].filter { $0 == 0x0A }.count + 1
            throw DockerfileError(.notText, line: line, path: path)
        }
        return text
    }
}
