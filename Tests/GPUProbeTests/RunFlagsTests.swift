import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `docker run` arguments for real host reports.
@Suite struct RunFlagsTests {
    static func bundle(_ name: String) throws -> HostReport {
        try HostReportDecoding.decode(
            Array(try Data(contentsOf: Fixtures.url("hosts/\(name)/expected.json")))
        )
    }

    @Test func oneNvidiaGPU() throws {
        let flags = try RunFlagsBuilder.build(report: TestHosts.guideNvidia(), selection: .all)
        #expect(flags.arguments == ["--gpus", "all"])
        #expect(flags.shellLine == "--gpus all")
        #expect(flags.checkCommands == ["nvidia-smi"])
        let one = try RunFlagsBuilder.build(
            report: TestHosts.guideNvidia(),
            selection: .indices([0])
        )
        #expect(one.arguments == ["--gpus", "device=0"])
        #expect(one.shellLine == "--gpus device=0")
        #expect(one.devices.map(\.name) == ["NVIDIA RTX A6000"])
    }

    /// Docker reads `--gpus` as CSV: a list needs double quotes inside the value, and the shell
    /// line single quotes around those.
    @Test func severalNvidiaGPUsAreQuotedTwice() throws {
        var report = try TestHosts.guideNvidia()
        var second = try #require(report.nvidia?.gpus.first)
        second.index = 1
        report.nvidia?.gpus.append(second)
        let flags = try RunFlagsBuilder.build(report: report, selection: .indices([0, 1]))
        #expect(flags.arguments == ["--gpus", "\"device=0,1\""])
        #expect(flags.shellLine == "--gpus '\"device=0,1\"'")
        let echoed = try FakeInstallers.output(["sh", "-c", "printf '%s|' " + flags.shellLine])
        #expect(echoed == "--gpus|\"device=0,1\"|")
    }

    @Test func theGuidesAscendHostGetsTheGuidesFlags() throws {
        let flags = try RunFlagsBuilder.build(
            report: TestHosts.guideAscend(vnpu: false),
            selection: .indices([0])
        )
        #expect(
            flags.arguments == [
                "-e", "ASCEND_VISIBLE_DEVICES=0", "--device=/dev/davinci0",
                "--device=/dev/davinci_manager", "--device=/dev/devmm_svm",
                "--device=/dev/hisi_hdc", "-v",
                "/usr/local/Ascend/driver:/usr/local/Ascend/driver:ro",
                "-v", "/usr/local/dcmi:/usr/local/dcmi:ro",
            ]
        )
        #expect(flags.checkCommands == ["npu-smi info"])
        let problems = try JSONSchemaCheck.problems(
            in: Data(JSONOutput.render(flags).utf8),
            against: "run-flags-v1.schema.json"
        )
        #expect(problems == [])
        #expect(flags.devices.map(\.indexSource) == [.deviceID])
        // Only the note that the variable is for Ascend's runtime, with the runtime's form.
        #expect(flags.notes.count == 1)
        #expect(flags.notes.first?.hasPrefix("plain Docker ignores ASCEND_VISIBLE_DEVICES") == true)
        #expect(
            flags.ascendRuntime?.arguments == [
                "--runtime", "ascend", "-e", "ASCEND_VISIBLE_DEVICES=0",
            ]
        )
        #expect(flags.notes.first?.contains("--runtime ascend -e ASCEND_VISIBLE_DEVICES=0") == true)
        let all = try RunFlagsBuilder.build(
            report: TestHosts.guideAscend(vnpu: false),
            selection: .all
        )
        #expect(
            all.arguments.filter { $0.hasPrefix("--device=/dev/davinci") && $0.last!.isNumber } == [
                "--device=/dev/davinci0", "--device=/dev/davinci1",
            ]
        )
        #expect(all.arguments.contains("ASCEND_VISIBLE_DEVICES=0,1"))
    }

    /// A real `npu-smi info -m` (Huawei's 310 manual, via gpustack): NPU 215's four chips
    /// have logic IDs 0–3, and those are the davinci numbers, not the NPU ID.
    @Test func logicIDsFromInfoMNumberTheDavinciNodes() throws {
        let info = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/info_310_npusmi20.2.0_gpustack.txt")
        )
        let mapping = NPUSMIParser.parse(try Fixtures.text("npu-smi/info_m_310_gpustack.txt"))
        var report = try Self.bundle("ascend-910b4")
        report.ascend = NPUSMIParser.merge(info: info.section, mapping: mapping.section)
        let flags = try RunFlagsBuilder.build(report: report, selection: .indices([2, 3]))
        #expect(flags.devices.map(\.indexSource) == [.chipLogicID, .chipLogicID])
        #expect(
            flags.arguments.filter { $0.hasPrefix("--device=/dev/davinci") && $0.last!.isNumber }
                == [
                    "--device=/dev/davinci2", "--device=/dev/davinci3",
                ]
        )
        #expect(flags.ascendRuntime?.shellLine == "--runtime ascend -e ASCEND_VISIBLE_DEVICES=2,3")
        #expect(!flags.notes.contains { $0.contains("ls /dev/davinci*") })
        #expect(
            try RunFlagsBuilder.build(report: TestHosts.guideNvidia(), selection: .all)
                .ascendRuntime == nil
        )
    }

    /// The 910B4 host's npu-smi shows neither logic IDs nor a Device column: numbers follow the
    /// listing, and the flags say so.
    @Test func chipsWithoutIDsAreNumberedInOrderWithANote() throws {
        let report = try Self.bundle("ascend-910b4")
        let flags = try RunFlagsBuilder.build(report: report, selection: .all)
        let count = report.ascend?.npus.count ?? 0
        #expect(count > 0)
        #expect(flags.devices.map(\.index) == Array(0..<count))
        #expect(flags.devices.allSatisfy { $0.indexSource == .position })
        #expect(flags.notes.contains { $0.contains("ls /dev/davinci*") })
    }

    @Test func unknownDevicesAndEmptyHostsAreErrors() throws {
        #expect(throws: EmitError.self) {
            try RunFlagsBuilder.build(report: TestHosts.guideNvidia(), selection: .indices([3]))
        }
        let none = try Self.bundle("debian12-vm-no-gpu")
        #expect {
            try RunFlagsBuilder.build(report: none, selection: .all)
        } throws: { error in
            guard case .nothingToEmit = error as? EmitError else { return false }
            return true
        }
    }

    @Test func aGPUWithoutDriverGetsANote() throws {
        let report = try Self.bundle("laptop-mx150-no-driver")
        let flags = try RunFlagsBuilder.build(report: report, selection: .all)
        #expect(flags.arguments == ["--gpus", "all"])
        #expect(flags.notes.contains { $0.contains("no NVIDIA driver") })
    }

    @Test(arguments: ["all", "0", "0,1", "12"])
    func parsesDeviceLists(text: String) {
        #expect(DeviceSelection(text) != nil)
    }

    @Test(arguments: ["", ",", "0,", "a", "-1", "0,0", "1 2", "99999", "0;id"])
    func rejectsBadDeviceLists(text: String) {
        #expect(DeviceSelection(text) == nil)
    }
}
