import Foundation
import Testing

@testable import GPUProbe

/// Host reports for the emitter, run-flags and `check` tests, built from captured tool outputs
/// through the real parsers and report builder, and the checker called the way the command
/// calls it.
enum TestHosts {
    /// The machine every snapshot reports: Debian 12's kernel on x86_64, named `test`.
    static let uname = Uname(
        sysname: "Linux",
        nodename: "test",
        release: "6.1.0-27-amd64",
        machine: "x86_64"
    )

    /// A snapshot with no PCI devices unless `pciDump` names a dump, the tools given
    /// (others not found) and the files given.
    static func snapshot(
        pciDump: String? = nil,
        tools: [String: ToolRun] = [:],
        files: [String: FileContent] = [:]
    ) throws -> HostSnapshot {
        let pci: Result<LibPCI.Scan, PCIError> =
            if let pciDump {
                Result { () throws(PCIError) in
                    try LibPCI.scan(.dump(file: Fixtures.url(pciDump).path))
                }
            } else {
                .success(LibPCI.Scan(devices: [], configSpace: [:], method: "none"))
            }
        var allTools = [
            "nvidia-smi": ToolRun(arguments: ["-q", "-x"], path: nil, outcome: .notFound),
            "npu-smi": ToolRun(arguments: ["info"], path: nil, outcome: .notFound),
        ]
        allTools.merge(tools) { _, new in new }
        return HostSnapshot(uname: uname, files: files, tools: allTools, pci: pci)
    }

    /// A tool run that printed the fixture and exited with `status`.
    static func toolRun(_ fixture: String, status: Int32, arguments: [String] = ["-q", "-x"]) throws
        -> ToolRun
    {
        ToolRun(
            arguments: arguments,
            path: "/usr/bin/tool",
            outcome: .exited(status),
            stdout: Array(try Data(contentsOf: Fixtures.url(fixture)))
        )
    }

    /// The packaging guide's host: nvidia-smi's table, driver 535.171.04, CUDA 12.2,
    /// an RTX A6000.
    static func guideNvidia() throws -> HostReport {
        try nvidia("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt")
    }

    /// A host whose only NVIDIA facts are one nvidia-smi capture (exit status 0), on a
    /// `machine` (`uname -m`) host.
    static func nvidia(_ fixture: String, machine: String = "x86_64") throws -> HostReport {
        var snapshot = try TestHosts.snapshot(
            tools: ["nvidia-smi": TestHosts.toolRun(fixture, status: 0)]
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
            try TestHosts.snapshot(
                tools: [
                    "npu-smi": TestHosts.toolRun(
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
        try TestPlans.report(name)
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

    /// The A100 host's report written to `folder/host.json`, with the machine filled in so
    /// architectures are checked; its path.
    static func a100Host(in folder: URL) throws -> String {
        try Fixtures.editedReport("a100-sxm4-mig-xml", to: folder, as: "host.json") { report in
            var host = try #require(report["host"] as? [String: Any])
            host["architecture"] = "x86_64"
            report["host"] = host
        }
    }
}

extension CheckReport {
    /// The findings of one kind.
    func kind(_ kind: Finding.Kind) -> [Finding] { findings.filter { $0.kind == kind } }

    /// `line:severity:kind` of every finding, for whole-report comparisons.
    var summary: [String] { findings.map { "\($0.line):\($0.severity.rawValue):\($0.kind)" } }
}
