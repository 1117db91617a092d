import Foundation

@testable import GPUProbe

/// Host reports built, through the real parsers and report builder, from the two hosts of the
/// packaging guide: its `nvidia-smi` (RTX A6000, driver 535.171.04, CUDA 12.2) and its
/// `npu-smi info` (a 310P3 card with two chips).
enum GuideHosts {
    static let uname = Uname(
        sysname: "Linux",
        nodename: "guide-host",
        release: "6.1.0-27-amd64",
        machine: "x86_64"
    )

    static func snapshot(tools: [String: ToolRun], files: [String: FileContent]) -> HostSnapshot {
        var all = [
            "nvidia-smi": ToolRun(arguments: ["-q", "-x"], path: nil, outcome: .notFound),
            "npu-smi": ToolRun(arguments: ["info"], path: nil, outcome: .notFound),
        ]
        all.merge(tools) { _, new in new }
        return HostSnapshot(
            uname: uname,
            files: files,
            tools: all,
            pci: .success(LibPCI.Scan(devices: [], configSpace: [:], method: "none"))
        )
    }

    static func run(_ fixture: String, _ arguments: [String]) throws -> ToolRun {
        ToolRun(
            arguments: arguments,
            path: "/usr/bin/tool",
            outcome: .exited(0),
            stdout: Array(try Data(contentsOf: Fixtures.url(fixture)))
        )
    }

    /// The NVIDIA host the guide's Dockerfile was written next to.
    static func nvidia() throws -> HostReport {
        HostReportBuilder.build(
            snapshot(
                tools: [
                    "nvidia-smi": try run(
                        "nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt",
                        []
                    )
                ],
                files: [:]
            )
        )
    }

    /// The guide's Ascend host, with a real version.info, with or without /etc/vnpu.cfg.
    static func ascend(vnpu: Bool) throws -> HostReport {
        let versionInfo = Array(
            try Data(contentsOf: Fixtures.url("ascend/version_info_24.1.rc2.2.txt"))
        )
        return HostReportBuilder.build(
            snapshot(
                tools: [
                    "npu-smi": try run(
                        "npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide.txt",
                        ["info"]
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
}
