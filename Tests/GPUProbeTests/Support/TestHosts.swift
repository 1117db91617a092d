import Foundation

@testable import GPUProbe

/// Host reports for the emitter, run-flags and `check` tests, built from captured tool outputs
/// through the real parsers and report builder, and the checker called the way the command
/// calls it.
enum TestHosts {
    /// The packaging guide's host: nvidia-smi's table, driver 535.171.04, CUDA 12.2,
    /// an RTX A6000.
    static func guideNvidia() throws -> HostReport {
        try nvidia("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt")
    }

    /// A host whose only NVIDIA facts are one nvidia-smi capture (exit status 0), on a
    /// `machine` (`uname -m`) host.
    static func nvidia(_ fixture: String, machine: String = "x86_64") throws -> HostReport {
        var snapshot = try HostReportBuilderTests.snapshot(
            tools: ["nvidia-smi": HostReportBuilderTests.run(fixture, status: 0)]
        )
        snapshot.uname.machine = machine
        return HostReportBuilder.build(snapshot)
    }

    /// The packaging guide's Ascend host: npu-smi on a 310P3 card, a real version.info, and
    /// /etc/vnpu.cfg when `vnpu` is true.
    static func guideAscend(vnpu: Bool = false) throws -> HostReport {
        let versionInfo = Array(
            try Data(contentsOf: Fixtures.url("ascend/version_info_24.1.rc2.2.txt"))
        )
        return HostReportBuilder.build(
            try HostReportBuilderTests.snapshot(
                tools: [
                    "npu-smi": HostReportBuilderTests.run(
                        "npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide.txt",
                        status: 0,
                        arguments: ["info"]
                    )
                ],
                files: [
                    Paths.ascendVersionInfo: .content(versionInfo),
                    Paths.vnpuConfig: vnpu ? .content(Array("vnpu\n".utf8)) : .missing,
                ]
            )
        )
    }

    /// `report` as a JSON file in `folder`, for the command line.
    static func write(_ report: HostReport, in folder: URL, name: String = "host.json") throws
        -> String
    {
        let url = folder.appendingPathComponent(name)
        try Data(JSONOutput.render(report).utf8).write(to: url)
        return url.path
    }

    /// The A100 host bundle: 535.54.03, CUDA 12.2, compute capability 8.0.
    static func a100() throws -> HostReport {
        try bundle("a100-sxm4-mig-xml")
    }

    /// A host bundle's expected report.
    static func bundle(_ name: String) throws -> HostReport {
        try MatchPlanTests.report(name)
    }

    /// Checks `text` against `report`.
    static func check(
        _ text: String,
        _ report: HostReport,
        context: BuildContext = BuildContext(entries: [:]),
        buildArguments: [String: String] = [:]
    ) throws -> CheckReport {
        try DockerfileChecker.check(
            dockerfile: text,
            path: "Dockerfile",
            report: report,
            catalog: .embedded,
            context: context,
            buildArguments: buildArguments
        )
    }
}

extension CheckReport {
    /// The findings of one kind.
    func kind(_ kind: Finding.Kind) -> [Finding] { findings.filter { $0.kind == kind } }

    /// `line:severity:kind` of every finding, for whole-report comparisons.
    var summary: [String] { findings.map { "\($0.line):\($0.severity.rawValue):\($0.kind)" } }
}
