import Testing

@testable import GPUProbe
@testable import TestSupport

/// The picks issue 14 asks for, through the catalog shipped in the binary: what PyPI showed on
/// 2026-12-05 (torch 2.15.0 with torchvision 0.29.2 and torchaudio 2.11.1, torch 2.14.1 with
/// torchvision 0.29.1, Python ranges read from the wheels, 2.4's arch lists read from its PyPI
/// twin) decides them.
@Suite struct CatalogPicksTests {
    /// H200 SXM (GH100, 0x2335) and A10 (GA102, 0x2236), as NvidiaChips names them.
    static let h200 = TorchMatcherTests.gpu("NVIDIA H200", 0x2335, "Hopper", "9.0")
    static let a10 = TorchMatcherTests.gpu("NVIDIA A10", 0x2236, "Ampere", "8.6")

    /// R610 as a real nvidia-smi prints it (Fixtures/hosts/rtx2080super-610-query).
    static let r610 = TorchMatcherTests.host([h200], driver: "610.57.04", cuda: "13.3")
    static let r535 = TorchMatcherTests.host([a10], driver: "535.183.01", cuda: "12.2")

    func pick(_ host: MatchHost, python: String? = nil, torch: String? = nil) -> TorchPlan {
        TorchMatcher.match(
            host: host,
            catalog: .embedded,
            request: TorchRequest(python: python, torch: torch)
        )
    }

    @Test func h200OnR610WithPython312GetsTorch215AndItsCompanions() throws {
        let plan = pick(Self.r610, python: "3.12")
        let chosen = try #require(plan.pick)
        #expect("\(chosen.torch)+\(chosen.variant)" == "2.15.0+cu132")
        #expect(chosen.torchvision == "0.29.2")
        #expect(chosen.torchaudio == "2.11.1")
        #expect(chosen.confirmed)
        #expect(!chosen.minorVersionCompatibility)
        #expect(
            chosen.installCommand
                == "pip install torch==2.15.0 torchvision==0.29.2 torchaudio==2.11.1 "
                + "--index-url https://download.pytorch.org/whl/cu132"
        )
        #expect(plan.explanation.contains("Python 3.12 is supported (3.11 to 3.15)."))
        // 3.14.1 concerns only a 3.14 request.
        #expect(!plan.explanation.contains { $0.contains("3.14.1") })
    }

    @Test func pinned2141GetsTorchvision0291() throws {
        let plan = pick(Self.r610, python: "3.12", torch: "2.14.1")
        let chosen = try #require(plan.pick)
        #expect(chosen.torch == "2.14.1")
        #expect(chosen.torchvision == "0.29.1")
        #expect(chosen.torchaudio == "2.11.0")
        #expect(chosen.variant == "cu130")
        #expect(chosen.confirmed)
    }

    /// PyPI has no cp315 wheel of torch 2.14 (3.15 was experimental, index only).
    @Test func torch214OnPython315HasNoWheel() {
        let plan = pick(Self.r610, python: "3.15", torch: "2.14")
        #expect(plan.status == .none)
        #expect(plan.pick == nil)
        #expect(plan.explanation[0].hasPrefix("torch 2.14 has no wheel for Python 3.15"))
        #expect(!plan.runnersUp.isEmpty)
        #expect(
            plan.runnersUp.allSatisfy {
                $0.reason.contains("supports Python 3.10 to 3.14, not 3.15")
            }
        )
    }

    /// 2.15 dropped Python 3.10 (RFC #197242; its wheels start at cp311).
    @Test func torch215OnPython310HasNoWheel() {
        let plan = pick(Self.r610, python: "3.10", torch: "2.15")
        #expect(plan.pick == nil)
        #expect(
            plan.runnersUp.allSatisfy {
                $0.reason.contains("supports Python 3.11 to 3.15, not 3.10")
            }
        )
        let newest = pick(Self.r610, python: "3.10").pick
        #expect(newest.map { "\($0.torch)+\($0.variant)" } == "2.14.1+cu130")
    }

    /// 2.4's cu121 list is read from its PyPI twin (2.4.1): confirmed, so Python 3.8 on an A10
    /// gets 2.4.1 rather than 2.3.1.
    @Test func a10On535WithPython38GetsTorch241() throws {
        let plan = pick(Self.r535, python: "3.8")
        let chosen = try #require(plan.pick)
        #expect("\(chosen.torch)+\(chosen.variant)" == "2.4.1+cu121")
        #expect(chosen.torchvision == "0.19.1" && chosen.torchaudio == "2.4.1")
        #expect(chosen.confirmed)
        #expect(!chosen.minorVersionCompatibility)
    }

    /// torchvision 0.26.0 and later declare `Requires-Python: !=3.14.1`.
    @Test func python314RequestIsWarnedOf3141() throws {
        let plan = pick(Self.r610, python: "3.14")
        let chosen = try #require(plan.pick)
        #expect(chosen.torch == "2.15.0")
        #expect(
            plan.explanation.contains(
                "pip refuses torchvision 0.29.2 with torch 2.15.0 on Python 3.14.1 exactly "
                    + "(Requires-Python excludes that release): use another Python 3.14 release "
                    + "in the image."
            )
        )
        // Without --python the warning stands, since 3.14 is in the range; torch 2.10's
        // torchvision 0.25.0 has no such exclusion.
        #expect(pick(Self.r610).explanation.contains { $0.contains("Python 3.14.1 exactly") })
        let older = pick(Self.r610, python: "3.14", torch: "2.10")
        #expect(older.pick?.torchvision == "0.25.0")
        #expect(!older.explanation.contains { $0.contains("3.14.1") })
    }

    /// PyPI's 1.12.1 (the cu102 build) has no sm_35: a Tesla K40 gets no 1.12 wheel.
    @Test func keplerK40GetsNo112Wheel() {
        let k40 = TorchMatcherTests.gpu("Tesla K40m", 0x1023, "Kepler", "3.5")
        let plan = pick(
            TorchMatcherTests.host([k40], driver: "470.256.02", cuda: "11.4"),
            torch: "1.12"
        )
        #expect(plan.pick == nil)
        #expect(
            plan.runnersUp.contains {
                $0.variant == "cu102" && $0.reason.hasPrefix("no kernels for Tesla K40m")
            }
        )
    }
}
