import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Hosts whose GPUs run under a Windows driver model (WDDM, TCC, MCDM).
///
/// Windows' own nvidia-smi shows it, and so does Linux's inside WSL 2. Linux containers reach such GPUs through WSL 2 with
/// Windows' libraries, so no driver belongs in the image.
@Suite struct WindowsHostTests {
    /// Real outputs and the driver model each shows.
    @Test(
        arguments: [
            ("nvidia-smi/table_591.86_windows_wddm.txt", "WDDM"),
            ("nvidia-smi/table_610.62_windows_kmd.txt", "WDDM"),
            ("nvidia-smi/table_526.47_windows_tcc_wddm.txt", "WDDM"),
            ("nvidia-smi/csv_591.86_windows_header_units.csv", "WDDM"),
            ("nvidia-smi/q_510.06_wsl2_gtx1650ti.txt", "WDDM"),
            ("nvidia-smi/table_595.71.05_rtx2080super_linux.txt", nil),
            ("nvidia-smi/q_535.129.03_a10.txt", nil),
            ("nvidia-smi/xml_telegraf_a10g.xml", nil),
            ("nvidia-smi/csv_610.57.04_rtx2080super_header_units.csv", nil),
        ] as [(String, String?)]
    )
    func theDriverModelIsRead(file: String, model: String?) throws {
        let gpus = NvidiaSMIParser.parse(try Fixtures.text(file)).section.gpus
        #expect(!gpus.isEmpty)
        #expect(gpus.allSatisfy { $0.driverModel == model })
    }

    @Test func aWindowsHostNeedsNoDriverInTheImage() throws {
        let text = try Fixtures.text("nvidia-smi/table_591.86_windows_wddm.txt")
        let report = try #require(PastedHost.report(Array(text.utf8)))
        let plan = TestPlans.plan(report, [])
        #expect(plan.driver.status == .notNeeded)
        #expect(plan.driver.hostVersion == "591.86")
        #expect(plan.driver.downloadURLs.isEmpty)
        let explanation = plan.driver.explanation.joined(separator: " ")
        #expect(explanation.contains("WSL 2") && explanation.contains("/usr/lib/wsl/lib"))
        // The wheels still follow the driver's CUDA version.
        #expect(plan.torch.status == .cuda)
    }

    /// A probe made inside WSL 2 (`wsl` true) is a Windows-driver host even where its
    /// nvidia-smi output read has no driver model.
    @Test func aReportMadeInWSLIsAWindowsHost() throws {
        var report = try TestHosts.guideNvidia()
        #expect(MatchHost.from(report).windowsDriverModel == nil)
        report.host.wsl = true
        #expect(MatchHost.from(report).windowsDriverModel == "WDDM")
    }

    @Test func tccGPUsAreSaidToBeUnavailableToWSL() {
        let sentences = DriverMatcher.windowsSentences("TCC", DriverVersion("573.42"))
        #expect(sentences.count == 2)
        #expect(sentences[1].contains("not available to WSL 2"))
        #expect(DriverMatcher.windowsSentences("WDDM", nil).count == 1)
    }

    /// `apt-get install cuda-drivers` on a Windows host: the same error as a `.run`.
    @Test func aDistributionDriverOnAWindowsHostIsAnError() throws {
        let report = try TestHosts.nvidia("nvidia-smi/table_591.86_windows_wddm.txt")
        let checked = try TestHosts.check(
            "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y cuda-drivers-590\n",
            report
        )
        let finding = try #require(checked.findings.first { $0.kind == .driverOnWindowsHost })
        #expect(finding.severity == .error && finding.line == 2)
    }
}
