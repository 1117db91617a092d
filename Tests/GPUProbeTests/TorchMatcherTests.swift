import Testing

@testable import GPUProbe
@testable import TestSupport

/// The PyTorch pick on the catalog shipped in the binary, for the hosts the issue names.
@Suite struct TorchMatcherTests {
    static let catalog = TorchCatalog.embedded

    static func gpu(_ name: String, _ id: UInt16, _ arch: String, _ cc: String, slot: Int = 1)
        -> MatchHost.GPU
    {
        MatchHost.GPU(
            address: PCIAddress("0000:0\(slot):00.0"),
            name: name,
            deviceID: id,
            architecture: arch,
            computeCapability: ComputeCapability(cc)
        )
    }

    static let rtx5090 = gpu("NVIDIA GeForce RTX 5090", 0x2B85, "Blackwell", "12.0")
    static let b200 = gpu("NVIDIA B200", 0x2901, "Blackwell", "10.0")
    static let p40 = gpu("Tesla P40", 0x1B38, "Pascal", "6.1", slot: 2)
    static let v100 = gpu("Tesla V100-SXM2-16GB", 0x1DB1, "Volta", "7.0")
    static let a100 = gpu("NVIDIA A100-SXM4-80GB", 0x20B2, "Ampere", "8.0")
    static let t4 = gpu("Tesla T4", 0x1EB8, "Turing", "7.5")
    static let h100 = gpu("NVIDIA H100 PCIe", 0x2331, "Hopper", "9.0")

    static func host(_ gpus: [MatchHost.GPU], driver: String?, cuda: String?) -> MatchHost {
        MatchHost(
            machine: "x86_64",
            kernelModuleVersion: driver.flatMap(DriverVersion.init),
            driverVersion: driver.flatMap(DriverVersion.init),
            cudaVersion: cuda.flatMap(CUDAVersion.init),
            gpus: gpus
        )
    }

    func pick(_ host: MatchHost, _ request: TorchRequest = TorchRequest()) -> TorchPlan {
        TorchMatcher.match(host: host, catalog: Self.catalog, request: request)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let gpus: [MatchHost.GPU]
        let driver: String
        let cuda: String
        let python: String?
        let expected: String
        let minorCompat: Bool
        var testDescription: String { label }
    }

    @Test(arguments: [
        Case(
            label: "Blackwell on R570",
            gpus: [rtx5090],
            driver: "570.133.20",
            cuda: "12.8",
            python: nil,
            expected: "2.11.0+cu128",
            minorCompat: false
        ),
        Case(
            label: "Blackwell on R580",
            gpus: [b200],
            driver: "580.95.05",
            cuda: "13.0",
            python: nil,
            expected: "2.15.0+cu132",
            minorCompat: true
        ),
        Case(
            label: "Pascal on R580",
            gpus: [p40],
            driver: "580.95.05",
            cuda: "13.0",
            python: nil,
            expected: "2.14.1+cu126",
            minorCompat: false
        ),
        Case(
            label: "Volta on R570",
            gpus: [v100],
            driver: "570.133.20",
            cuda: "12.8",
            python: nil,
            expected: "2.14.1+cu126",
            minorCompat: false
        ),
        Case(
            label: "Ampere on 535 LTS",
            gpus: [a100],
            driver: "535.171.04",
            cuda: "12.2",
            python: nil,
            expected: "2.14.1+cu126",
            minorCompat: true
        ),
        Case(
            label: "Turing on R470",
            gpus: [t4],
            driver: "470.256.02",
            cuda: "11.4",
            python: nil,
            expected: "2.7.1+cu118",
            minorCompat: true
        ),
        Case(
            label: "Python 3.9 on a CUDA 13 driver",
            gpus: [h100],
            driver: "580.95.05",
            cuda: "13.0",
            python: "3.9",
            expected: "2.8.0+cu129",
            minorCompat: false
        ),
    ])
    func picksTheNewestWheelThatRunsAndHasKernels(_ c: Case) throws {
        let plan = pick(
            Self.host(c.gpus, driver: c.driver, cuda: c.cuda),
            TorchRequest(python: c.python)
        )
        let chosen = try #require(plan.pick)
        #expect(plan.status == .cuda)
        #expect("\(chosen.torch)+\(chosen.variant)" == c.expected)
        #expect(chosen.minorVersionCompatibility == c.minorCompat)
        #expect(chosen.gpusLeftOut.isEmpty)
        #expect(chosen.indexURL == "https://download.pytorch.org/whl/\(chosen.variant)")
        #expect(chosen.installCommand.hasPrefix("pip install torch==\(chosen.torch) torchvision=="))
        // The explanation says why, and names minor-version compatibility when it is relied on.
        #expect(plan.explanation[0].hasPrefix("Picked torch \(c.expected)"))
        #expect(
            plan.explanation.contains { $0.contains("minor-version compatibility") }
                == c.minorCompat
        )
        // Every newer release appears among the runners-up with its reason.
        #expect(!plan.runnersUp.isEmpty)
        #expect(plan.runnersUp.allSatisfy { !$0.reason.isEmpty })
    }

    @Test func blackwellOnR570ExplainsWhyNewerReleasesLost() throws {
        let plan = pick(Self.host([Self.rtx5090], driver: "570.133.20", cuda: "12.8"))
        let reasons = Dictionary(
            plan.runnersUp.map { ("\($0.torch)+\($0.variant)", $0.reason) },
            uniquingKeysWith: { first, _ in first }
        )
        #expect(reasons["2.14.0+cu130"] == "needs driver >= 580, host has 570.133.20")
        #expect(
            reasons["2.14.0+cu126"]?.hasPrefix("no kernels for NVIDIA GeForce RTX 5090") == true
        )
        #expect(plan.pick?.torchaudio == "2.11.0")
        #expect(plan.pick?.torchvision == "0.26.0")
    }

    @Test func mixedBlackwellAndPascalPicksForTheMostCapableAndNamesTheRest() throws {
        let plan = pick(Self.host([Self.rtx5090, Self.p40], driver: "580.95.05", cuda: "13.0"))
        let chosen = try #require(plan.pick)
        #expect("\(chosen.torch)+\(chosen.variant)" == "2.15.0+cu132")
        #expect(chosen.gpusCovered == ["NVIDIA GeForce RTX 5090 (0000:01:00.0)"])
        #expect(chosen.gpusLeftOut == ["Tesla P40 (0000:02:00.0)"])
        #expect(plan.explanation.contains { $0.contains("left out: Tesla P40 (0000:02:00.0)") })
    }

    @Test func hostWithoutDriverGetsNoCUDAWheel() {
        let plan = pick(Self.host([Self.p40], driver: nil, cuda: nil))
        #expect(plan.status == .none)
        #expect(plan.pick == nil)
        #expect(plan.explanation[0].contains("install the driver on the host"))
    }

    @Test func hostWithoutGPUGetsCPUWheels() throws {
        let plan = pick(Self.host([], driver: nil, cuda: nil))
        let chosen = try #require(plan.pick)
        #expect(plan.status == .cpu)
        #expect(chosen.variant == "cpu")
        #expect(chosen.indexURL == "https://download.pytorch.org/whl/cpu")
        #expect(chosen.torchvision != nil)
    }

    @Test func pinnedReleaseThatCannotRunSaysWhy() {
        let plan = pick(
            Self.host([Self.a100], driver: "535.171.04", cuda: "12.2"),
            TorchRequest(torch: "2.15")
        )
        #expect(plan.status == .none)
        #expect(plan.pick == nil)
        #expect(plan.explanation[0].hasPrefix("torch 2.15 has no wheel"))
        #expect(!plan.runnersUp.isEmpty)
        #expect(plan.runnersUp.allSatisfy { $0.torch.hasPrefix("2.15") })
        #expect(
            plan.runnersUp.contains {
                $0.reason.contains("needs driver >= 580, host has 535.171.04")
            }
        )
    }

    /// 2.4's cu121 list is read from its PyPI twin; cu124's is the builder script's only:
    /// the confirmed one wins, and cu124 is named as unconfirmed.
    @Test func pinnedReleaseThatRunsPicksItsBestVariant() throws {
        let plan = pick(
            Self.host([Self.a100], driver: "550.54.14", cuda: "12.4"),
            TorchRequest(torch: "2.4")
        )
        let chosen = try #require(plan.pick)
        #expect("\(chosen.torch)+\(chosen.variant)" == "2.4.1+cu121")
        #expect(chosen.confirmed)
        #expect(!chosen.minorVersionCompatibility)
        #expect(
            plan.runnersUp.contains {
                $0.torch == "2.4.1" && $0.variant == "cu124"
                    && $0.reason == "marked unconfirmed in the catalog"
            }
        )
        // 2.5's cu124 list is read from its PyPI twin: the driver's own CUDA wins there.
        let newer = pick(
            Self.host([Self.a100], driver: "550.54.14", cuda: "12.4"),
            TorchRequest(torch: "2.5")
        )
        #expect(newer.pick.map { "\($0.torch)+\($0.variant)" } == "2.5.1+cu124")
    }

    @Test func unknownPinIsNamed() {
        let plan = pick(
            Self.host([Self.a100], driver: "550.54.14", cuda: "12.4"),
            TorchRequest(torch: "9.9")
        )
        #expect(plan.status == .none)
        #expect(plan.explanation[0].hasPrefix("torch 9.9 is not in the catalog"))
    }

    @Test func mirrorURLReplacesTheIndex() throws {
        let plan = pick(
            Self.host([Self.a100], driver: "550.54.14", cuda: "12.4"),
            TorchRequest(pipIndexURL: "https://mirror.example/pytorch/{variant}")
        )
        let chosen = try #require(plan.pick)
        #expect(chosen.indexURL == "https://mirror.example/pytorch/\(chosen.variant)")
        #expect(chosen.installCommand.hasSuffix("--index-url \(chosen.indexURL)"))
    }

    @Test func kernelCoverageFollowsTheSASSRule() throws {
        let sm86 = try #require(ComputeCapability("8.6"))
        let sm89 = try #require(ComputeCapability("8.9"))
        let sm87 = try #require(ComputeCapability("8.7"))
        let sm90 = try #require(ComputeCapability("9.0"))
        #expect(sm86.sassRuns(on: sm89))
        #expect(!sm86.sassRuns(on: sm87))  // Orin (Tegra) needs its own SASS
        #expect(!sm89.sassRuns(on: sm86))
        #expect(!sm86.sassRuns(on: sm90))
        #expect(sm86.ptxRuns(on: sm90))
        #expect(!sm90.ptxRuns(on: sm86))
    }
}
