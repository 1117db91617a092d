import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `match` on Ascend hosts: the CANN the host's driver supports, then the newest torch +
/// torch_npu for it, on real hosts (the 910B4 capture, pasted npu-smi outputs, the packaging
/// guide's 310P3 host).
@Suite struct AscendMatchTests {
    static func choice(_ plan: Plan) throws -> AscendChoice {
        try #require(plan.ascend?.choice)
    }

    // MARK: The acceptance

    /// 24.1.rc2 ↔ CANN 8.1.RC1 (Ascend/docs package_info.js); CANN 8.1.RC1 ↔ torch_npu 2.5.1.
    @Test func the910B4CaptureGetsCANN81RC1AndTorch251() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4())
        let ascend = try #require(plan.ascend)
        #expect(ascend.driverVersion == "24.1.rc2.2")
        #expect(ascend.driverRelease == "24.1.rc2")
        #expect(ascend.chipFamily == "910B")
        let choice = try Self.choice(plan)
        #expect(choice.cann == "8.1.RC1")
        #expect(choice.torch == "2.5.1" && choice.torchNPU == "2.5.1")
        #expect(choice.pairing == .paired && choice.confirmed)
        #expect(choice.python == PythonRange(min: "3.9", max: "3.11"))
        // torch_npu 2.5.1's x86_64 wheel requires torch==2.5.1+cpu, which only PyTorch's CPU
        // index has; setuptools 82 dropped the pkg_resources its torchair imports.
        #expect(
            choice.installCommand
                == "pip install torch==2.5.1 torch-npu==2.5.1 pyyaml 'setuptools<82' "
                + "--extra-index-url https://download.pytorch.org/whl/cpu"
        )
        #expect(choice.sources.contains("ascend-docs-package-info"))
        #expect(ascend.cann == ["8.1.RC1", "8.0.0", "8.0.RC3"])
        #expect(plan.complete)
        // Runners-up: the older torch_npu of the same CANN, then the older CANN with reasons.
        #expect(ascend.runnersUp.first?.torchNPU == "2.4.0.post4")
        #expect(
            ascend.runnersUp.contains {
                $0.cann == "8.0.0" && $0.torchNPU == nil
                    && $0.reason.contains("8.1.RC1 ranks first")
            }
        )
    }

    /// A real 910B4 npu-smi with driver 25.0.rc1.1: CANN 8.2.RC1 (package_info.js), torch_npu
    /// 2.6.0; MindSpeed-MM's 8.1.RC1 is only a secondary source.
    @Test func driver250RC1GetsCANN82RC1AndTorchNPU260() throws {
        let plan = TestPlans.ascendPlan(
            try TestPlans.pasted("npu-smi/info_910B4_64G_masked_busid.txt")
        )
        let choice = try Self.choice(plan)
        #expect(choice.cann == "8.2.RC1")
        #expect(choice.torchNPU == "2.6.0" && choice.torch == "2.6.0")
        #expect(choice.confirmed)
        let ascend = try #require(plan.ascend)
        let secondary = try #require(
            ascend.runnersUp.first { $0.cann == "8.1.RC1" && $0.torchNPU == nil }
        )
        #expect(secondary.reason.contains("only a secondary source"))
        #expect(secondary.reason.contains("MindSpeed-MM"))
        // CANN 9.1.1's matrix covers 25.0.X: the numbered releases, not this RC.
        #expect(!ascend.cann.contains("9.0.0"))
    }

    /// 25.5.1 gets CANN 9.0.0 with torch_npu 2.10.0.
    ///
    /// The release notes pair CANN 8.5.0, 8.5.2, 9.0.0 and 9.0.1 with it; 9.0.1 and 8.5.2 have
    /// no torch_npu in Ascend/pytorch's table.
    /// CANN 9.1.X is only declared compatible (9.1.1's matrix) and ranks after the pairings.
    @Test func driver2551GetsCANN900AndItsTorchNPU() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4(driver: "25.5.1"))
        let choice = try Self.choice(plan)
        #expect(choice.cann == "9.0.0")
        #expect(choice.torchNPU == "2.10.0" && choice.torch == "2.10.0")
        #expect(choice.pairing == .paired && choice.confirmed)
        #expect(choice.python == PythonRange(min: "3.10", max: "3.13"))
        let ascend = try #require(plan.ascend)
        #expect(ascend.cann.prefix(4) == ["9.0.1", "9.0.0", "8.5.2", "8.5.0"])
        let none = try #require(ascend.runnersUp.first { $0.cann == "9.0.1" })
        #expect(none.reason.contains("no torch_npu"))
        let declared = try #require(
            ascend.runnersUp.first { $0.cann == "9.1.1" && $0.torchNPU == nil }
        )
        #expect(declared.reason.contains("declared compatible"))
    }

    // MARK: Pins

    @Test func cannPinPicksTheTorchNPUOfThatCANN() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4(), TorchRequest(cann: "8.0.0"))
        let choice = try Self.choice(plan)
        #expect(choice.cann == "8.0.0" && choice.torchNPU == "2.4.0.post2" && choice.confirmed)
        #expect(
            plan.ascend?.runnersUp.contains { $0.reason.contains("not the pinned 8.0.0") } == true
        )
    }

    @Test func aCANNNoSourcePairsIsTheUsersChoiceUnconfirmed() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4(), TorchRequest(cann: "9.1.1"))
        let choice = try Self.choice(plan)
        #expect(choice.cann == "9.1.1" && choice.torchNPU == "2.12.0.post2")
        #expect(choice.pairing == .pinned && !choice.confirmed)
        #expect(plan.ascend?.explanation.contains { $0.contains("no source pairs it") } == true)
    }

    @Test func torchPinFindsItsTorchNPU() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4(), TorchRequest(torch: "2.1"))
        let choice = try Self.choice(plan)
        #expect(choice.cann == "8.1.RC1" && choice.torchNPU == "2.1.0.post12")
    }

    /// Every torch_npu for 24.1.rc2's CANN versions ends at Python 3.11.
    @Test func aPythonNoTorchNPUSupportsLeavesThePlanIncomplete() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4(), TorchRequest(python: "3.12"))
        #expect(plan.ascend?.choice == nil)
        #expect(!plan.complete)
        #expect(plan.ascend?.explanation.last?.contains("on Python 3.12") == true)
        #expect(
            plan.ascend?.runnersUp.contains { $0.reason.contains("3.9–3.11, not 3.12") } == true
        )
        let on310 = TestPlans.ascendPlan(try TestPlans.capture910B4(), TorchRequest(python: "3.10"))
        #expect(on310.ascend?.choice?.torchNPU == "2.5.1")
    }

    // MARK: Chips and releases no source names

    /// The packaging guide's host: a 310P3 card with version.info 24.1.rc2.2.
    @Test func theGuides310PHostGetsThe310PPairing() throws {
        let plan = TestPlans.ascendPlan(try TestHosts.guideAscend())
        #expect(plan.ascend?.chipFamily == "310P")
        let choice = try Self.choice(plan)
        #expect(choice.cann == "8.1.RC1" && choice.torchNPU == "2.5.1" && choice.confirmed)
    }

    /// The guide's npu-smi pasted alone: driver 24.1.0.1, a release no table names; the CANN
    /// paired with 24.1.rc2 is offered, unconfirmed.
    @Test func anUnnamedReleaseIsInferredFromTheOlderOneUnconfirmed() throws {
        let plan = TestPlans.ascendPlan(
            try TestPlans.pasted("npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide.txt")
        )
        #expect(plan.ascend?.driverRelease == "24.1.0")
        let choice = try Self.choice(plan)
        #expect(choice.cann == "8.1.RC1" && choice.pairing == .inferred && !choice.confirmed)
        #expect(plan.ascend?.explanation.contains { $0.contains("older 24.1.rc2") } == true)
    }

    /// CANN 7.0.0 went with driver 23.0.3 on 910b and 23.0.1 on 310p (package_info.js): on
    /// 23.0.1 a 310P card gets it paired, a 910B only by inference from 23.0.rc3 (7.0.RC1).
    @Test func pairingsDifferPerChip() throws {
        var host = try TestPlans.capture910B4(driver: "23.0.1")
        let on910B = try Self.choice(TestPlans.ascendPlan(host))
        #expect(on910B.cann == "7.0.RC1" && on910B.pairing == .inferred)
        let renamed = (host.ascend?.npus ?? []).map {
            var npu = $0
            npu.name = "310P3"
            return npu
        }
        host.ascend?.npus = renamed
        let on310P = try Self.choice(TestPlans.ascendPlan(host))
        #expect(on310P.cann == "7.0.0" && on310P.pairing == .paired && on310P.torchNPU == "2.1.0")
    }

    /// A real A3 npu-smi on 25.2.1: CANN 9.1.1's matrix declares 8.5.2, 9.0.X and 9.1.X.
    @Test func anA3On2521GetsTheNewestDeclaredCANN() throws {
        let plan = TestPlans.ascendPlan(
            try TestPlans.pasted("npu-smi/info_A3_Ascend910_npusmi25.2.1.txt")
        )
        #expect(plan.ascend?.chipFamily == "A3")
        let choice = try Self.choice(plan)
        #expect(choice.cann == "9.1.1" && choice.torchNPU == "2.12.0.post2")
        #expect(choice.pairing == .compatible && choice.confirmed)
    }

    @Test func anUnreadableDriverVersionListsEverything() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4(driver: "V100R001C18"))
        let ascend = try #require(plan.ascend)
        #expect(ascend.choice == nil && ascend.driverRelease == nil)
        #expect(ascend.torchNPU.count == TorchCatalog.embedded.torchNPU.count)
        #expect(ascend.torchNPU.allSatisfy { !$0.confirmed })
    }

    // MARK: Output

    @Test func textShowsTheChoiceLikeTheCUDAPart() throws {
        let text = PlanText.render(TestPlans.ascendPlan(try TestPlans.capture910B4()))
        #expect(text.contains("ascend: driver 24.1.rc2.2 (release 24.1.rc2)  910B\n"))
        #expect(
            text.contains(
                "  CANN 8.1.RC1  pip install torch==2.5.1 torch-npu==2.5.1 pyyaml 'setuptools<82' "
                    + "--extra-index-url https://download.pytorch.org/whl/cpu  (Python 3.9-3.11)\n"
            )
        )
        #expect(text.contains("  pairing: paired, confirmed\n"))
        #expect(text.contains("    CANN 8.0.0: Huawei pairs CANN 8.0.0 with driver 24.1.rc2"))
    }

    @Test func thePlanRoundTripsAndOldPlansStillRead() throws {
        let plan = TestPlans.ascendPlan(try TestPlans.capture910B4())
        let json = JSONOutput.render(plan)
        let decoded = try JSONDecoder().decode(Plan.self, from: Data(json.utf8))
        #expect(decoded == plan)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        )
        var ascend = try #require(object["ascend"] as? [String: Any])
        let choice = try #require(ascend["choice"] as? [String: Any])
        #expect(choice["torch_npu"] as? String == "2.5.1")
        #expect(choice["extra_index_url"] as? String == "https://download.pytorch.org/whl/cpu")
        // A plan written before these fields existed.
        var olderChoice = choice
        olderChoice["extra_index_url"] = nil
        var older = object
        ascend["choice"] = olderChoice
        older["ascend"] = ascend
        let olderPlan = try JSONDecoder().decode(
            Plan.self,
            from: try JSONSerialization.data(withJSONObject: older)
        )
        #expect(olderPlan.ascend?.choice?.extraIndexURL == "https://download.pytorch.org/whl/cpu")
        for key in ["choice", "runners_up", "driver_release", "chip_family"] { ascend[key] = nil }
        var old = object
        old["ascend"] = ascend
        let oldData = try JSONSerialization.data(withJSONObject: old)
        let oldPlan = try JSONDecoder().decode(Plan.self, from: oldData)
        #expect(oldPlan.ascend?.choice == nil && oldPlan.ascend?.runnersUp == [])
    }

    @Test func theCommandLineTakesACANNPin() throws {
        let match = try #require(
            try Commands.parse(["match", "--cann", "8.1.rc1"]) as? MatchCommand
        )
        #expect(match.plan.cann == "8.1.RC1")
        #expect(
            throws: UsageError.badValue(
                flag: "--cann",
                value: "8.1",
                expected: "a CANN version such as 8.1.RC1 or 9.0.0"
            )
        ) {
            try Commands.parse(["match", "--cann", "8.1"])
        }
    }
}
