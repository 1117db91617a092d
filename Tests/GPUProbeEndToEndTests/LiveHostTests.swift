import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The probe on the machine the tests run on (CI has no GPU), with fake tools where a test
/// needs a sick host.
@Suite struct LiveHostTests {
    static let lspci = ["/usr/bin/lspci", "/usr/sbin/lspci", "/bin/lspci", "/sbin/lspci"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func hungNvidiaSMIReturnsWithinTimeoutPlusOneSecond() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        try tools.add("nvidia-smi", script: "sleep 1000")
        var options = LiveHost.Options()
        options.timeout = 1
        options.toolSearchPath = [tools.directory.path]
        let start = Date()
        let report = HostReportBuilder.build(LiveHost.snapshot(options))
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < options.timeout + 1, "took \(elapsed) s")
        #expect(report.diagnostics.contains { $0.code == .timeout && $0.source == .nvidia })
        #expect(report.nvidia != nil)
        // Everything else is still filled in.
        #expect(report.host.kernel != nil)
        #expect(!report.pciDevices.isEmpty)
        #expect(!report.diagnostics.contains { $0.code == .pciUnavailable })
    }

    @Test func toolsRunConcurrently() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        try tools.add("nvidia-smi", script: "sleep 1000")
        try tools.add("npu-smi", script: "sleep 1000")
        var options = LiveHost.Options()
        options.timeout = 1
        options.toolSearchPath = [tools.directory.path]
        let start = Date()
        let report = HostReportBuilder.build(LiveHost.snapshot(options))
        #expect(Date().timeIntervalSince(start) < options.timeout + 1)
        #expect(report.diagnostics.filter { $0.code == .timeout }.count == 2)
    }

    @Test func brokenToolsBecomeDiagnostics() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        try tools.add("nvidia-smi", script: "echo hi", executable: false)
        try tools.add("npu-smi", script: "printf '+------'; exit 3")
        var options = LiveHost.Options()
        options.toolSearchPath = [tools.directory.path]
        let report = HostReportBuilder.build(LiveHost.snapshot(options))
        #expect(report.diagnostics.contains { $0.code == .toolFailed && $0.source == .nvidia })
        #expect(report.diagnostics.contains { $0.source == .ascend && $0.severity == .error })
    }

    @Test func absentSysfsIsADiagnosticNotACrash() throws {
        var options = LiveHost.Options()
        options.pciSource = .sysfs(path: "/nonexistent/sys/bus/pci")
        options.toolSearchPath = []
        let report = HostReportBuilder.build(LiveHost.snapshot(options))
        #expect(report.pciDevices.isEmpty)
        #expect(report.diagnostics.contains { $0.code == .pciUnavailable })
    }

    @Test(.enabled(if: LiveHostTests.lspci != nil, "needs lspci (pciutils)"))
    func listsTheSameDevicesAsLspci() throws {
        let lspci = try #require(Self.lspci)
        let run = ToolRunner.run(lspci, ["-Dnn"], timeout: 10)
        #expect(run.outcome == .exited(0))
        let expected = LspciReader.read(String(decoding: run.stdout, as: UTF8.self)).section
            .pciDevices
        var options = LiveHost.Options()
        options.toolSearchPath = []
        let report = HostReportBuilder.build(LiveHost.snapshot(options))
        #expect(report.pciDevices.map(\.address) == expected.map(\.address))
        for (ours, theirs) in zip(report.pciDevices, expected) {
            #expect(ours.vendorID == theirs.vendorID)
            #expect(ours.deviceID == theirs.deviceID)
            #expect(ours.classCode == theirs.classCode)
            #expect(ours.revision == theirs.revision ?? "00")
            // lspci prints vendor and device name as one string.
            let ourName = [ours.vendorName, ours.deviceName].compactMap { $0 }.joined(
                separator: " "
            )
            let theirName = [theirs.vendorName, theirs.deviceName].compactMap { $0 }.joined(
                separator: " "
            )
            #expect(ourName == theirName, "\(ours.address)")
        }
        #expect(report.diagnostics.allSatisfy { $0.code == .notPresent }, "\(report.diagnostics)")
    }

    @Test func captureReplaysToTheSameReport() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let xml = Fixtures.url("nvidia-smi/xml_telegraf_tesla-t4.xml").path
        try tools.add("nvidia-smi", script: "cat '\(xml)'")
        var options = LiveHost.Options()
        options.toolSearchPath = [tools.directory.path]
        options.readPCIConfig = true
        let snapshot = LiveHost.snapshot(options)
        let bundle = tools.directory.appendingPathComponent("bundle").path
        try CaptureBundle.write(snapshot, to: bundle)
        #expect(throws: CaptureError.exists(path: bundle)) {
            try CaptureBundle.write(snapshot, to: bundle)
        }
        let replayed = HostReportBuilder.build(try CaptureBundle.read(from: bundle))
        #expect(replayed == HostReportBuilder.build(snapshot))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tools.directory.path)
        #expect(!leftovers.contains { $0.contains(".partial-") })
    }
}
