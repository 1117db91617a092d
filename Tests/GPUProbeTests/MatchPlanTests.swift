import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `match` over every host bundle's report: each host gets the decision its facts call for.
/// (SchemaTests validates the same plans, made by the built `gpuprobe match`.)
@Suite struct MatchPlanTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        let bundle: String
        let driver: DriverPlan.Status
        let torch: TorchPlan.Status
        let pick: String?
        let complete: Bool
        var testDescription: String { bundle }
    }

    static let expectations = [
        Expectation(
            bundle: "a100-sxm4-mig-xml",
            driver: .none,
            torch: .cuda,
            pick: "2.14.1+cu126",
            complete: false
        ),
        Expectation(
            bundle: "ascend-910b4",
            driver: .notNeeded,
            torch: .ascend,
            pick: nil,
            complete: true
        ),
        Expectation(
            bundle: "ascend-dcmi-8005",
            driver: .notNeeded,
            torch: .ascend,
            pick: nil,
            complete: false
        ),
        Expectation(
            bundle: "debian12-vm-no-gpu",
            driver: .notNeeded,
            torch: .cpu,
            pick: "2.14.1+cpu",
            complete: true
        ),
        // Real nvidia-smi 535.261.03 (exit 9) on the same kind of VM, which has no GPU.
        Expectation(
            bundle: "debian12-vm-smi535-no-gpu",
            driver: .notNeeded,
            torch: .cpu,
            pick: "2.14.1+cpu",
            complete: true
        ),
        // The live H100 capture: no installer in the folder, so the plan is incomplete.
        Expectation(
            bundle: "h100-sxm5-580-vm",
            driver: .none,
            torch: .cuda,
            pick: "2.15.0+cu132",
            complete: false
        ),
        Expectation(
            bundle: "laptop-mx150-no-driver",
            driver: .hostDriverMissing,
            torch: .none,
            pick: nil,
            complete: false
        ),
        Expectation(
            bundle: "nvidia-version-mismatch",
            driver: .hostUnknown,
            torch: .none,
            pick: nil,
            complete: false
        ),
        Expectation(
            bundle: "rtx2080super-610-query",
            driver: .none,
            torch: .cuda,
            pick: "2.15.0+cu132",
            complete: false
        ),
        Expectation(
            bundle: "x58-gt218-no-driver",
            driver: .hostDriverMissing,
            torch: .none,
            pick: nil,
            complete: false
        ),
    ]

    @Test func everyHostBundleHasAnExpectation() {
        #expect(Self.expectations.map(\.bundle).sorted() == Fixtures.hostBundles.sorted())
    }

    @Test(arguments: expectations)
    func planFollowsTheHost(_ expected: Expectation) throws {
        let plan = TestPlans.plan(try TestPlans.report(expected.bundle))
        #expect(plan.driver.status == expected.driver)
        #expect(plan.torch.status == expected.torch)
        #expect(plan.torch.pick.map { "\($0.torch)+\($0.variant)" } == expected.pick)
        #expect(plan.complete == expected.complete)
        #expect(!plan.driver.explanation.isEmpty)
        #expect(!plan.torch.explanation.isEmpty)
    }

    /// The choice itself: AscendMatchTests.
    @Test func ascendHostListsTheTorchNPUOfItsDriversCANN() throws {
        let plan = TestPlans.plan(try TestPlans.report("ascend-910b4"))
        let ascend = try #require(plan.ascend)
        #expect(ascend.driverVersion == "24.1.rc2.2")
        #expect(ascend.npus == 2)
        #expect(ascend.torchNPU.first?.torchNPU == "2.5.1")
        #expect(ascend.torchNPU.allSatisfy { $0.confirmed })
        #expect(Set(ascend.torchNPU.map(\.cann)) == ["8.1.RC1", "8.0.0", "8.0.RC3"])
    }

    @Test func brokenNVIDIAHostQuotesItsDiagnostics() throws {
        let plan = TestPlans.plan(try TestPlans.report("nvidia-version-mismatch"))
        #expect(plan.driver.explanation.contains { $0.hasPrefix("version_mismatch: ") })
    }

    /// Real nvidia-smi says it cannot talk to the driver also where there is no GPU: the
    /// report and the plan say that, not "modprobe nvidia" or "host unknown".
    @Test func nvidiaSoftwareWithoutAGPUIsToldSo() throws {
        let report = try TestPlans.report("debian12-vm-smi535-no-gpu")
        let diagnostic = try #require(report.diagnostics.first { $0.code == .driverNotLoaded })
        #expect(diagnostic.message.contains("PCI bus has no NVIDIA GPU"))
        #expect(!diagnostic.message.contains("modprobe"))
        #expect(diagnostic.context["nvidia_gpus_on_pci_bus"] == "0")
        let plan = TestPlans.plan(report)
        #expect(plan.driver.explanation.first == DriverMatcher.noGPUSentence)
        // With the GPU on the bus, the same nvidia-smi failure keeps the driver advice.
        let withGPU = try TestPlans.report("nvidia-version-mismatch")
        #expect(!withGPU.diagnostics.contains { $0.context["nvidia_gpus_on_pci_bus"] != nil })
    }

    @Test func planRoundTripsThroughJSON() throws {
        let plan = TestPlans.plan(try TestPlans.report("a100-sxm4-mig-xml"))
        let decoded = try JSONDecoder().decode(Plan.self, from: Data(JSONOutput.render(plan).utf8))
        #expect(decoded == plan)
    }
}
