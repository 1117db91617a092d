import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The Ascend driver release a host's driver version belongs to, and the catalog's driver ↔
/// CANN ↔ torch_npu facts.
@Suite struct AscendPairingTests {
    struct Captured: Sendable, CustomTestStringConvertible {
        /// A real version.info or npu-smi output under Fixtures.
        let fixture: String
        let driver: String
        let release: String
        var testDescription: String { fixture }
    }

    /// Every real driver version the fixtures hold: version.info files and npu-smi banners.
    static let captured = [
        Captured(
            fixture: "ascend/version_info_24.1.rc2.2.txt",
            driver: "24.1.rc2.2",
            release: "24.1.rc2"
        ),
        Captured(
            fixture: "ascend/version_info_25.0.rc1.1.txt",
            driver: "25.0.rc1.1",
            release: "25.0.rc1"
        ),
        Captured(
            fixture: "hosts/ascend-910b4/files/usr/local/Ascend/driver/version.info",
            driver: "24.1.rc2.2",
            release: "24.1.rc2"
        ),
        Captured(
            fixture: "npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide.txt",
            driver: "24.1.0.1",
            release: "24.1.0"
        ),
        Captured(
            fixture: "npu-smi/info_310_npusmi20.2.0_gpustack.txt",
            driver: "20.2.0",
            release: "20.2.0"
        ),
        Captured(
            fixture: "npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt",
            driver: "22.0.3.1",
            release: "22.0.3"
        ),
        Captured(
            fixture: "npu-smi/info_910B4_64G_masked_busid.txt",
            driver: "25.0.rc1.1",
            release: "25.0.rc1"
        ),
        Captured(
            fixture: "npu-smi/info_910B4_npusmi24.1.1_1panel.txt",
            driver: "24.1.1",
            release: "24.1.1"
        ),
        Captured(
            fixture: "npu-smi/info_A3_Ascend910_npusmi25.2.1.txt",
            driver: "25.2.1",
            release: "25.2.1"
        ),
        Captured(
            fixture: "npu-smi/info_A3_Ascend910_npusmi26.0.rc2_wide.txt",
            driver: "26.0.rc2",
            release: "26.0.rc2"
        ),
    ]

    static func driverVersion(_ fixture: String) throws -> String? {
        let text = try Fixtures.text(fixture)
        if fixture.hasPrefix("npu-smi/") {
            return PastedHost.report(Array(text.utf8))?.ascend?.driverVersion
        }
        return AscendVersionInfo.driverVersion(from: text)
    }

    @Test(arguments: captured)
    func aCapturedDriverVersionBelongsToItsRelease(_ sample: Captured) throws {
        let driver = try #require(try Self.driverVersion(sample.fixture))
        #expect(driver == sample.driver)
        #expect(AscendDriverRelease(driver)?.description == sample.release)
    }

    /// The forms Huawei's tables and file names write (HDK 25.0.RC1.1, driver 6.0.rc1.2 of
    /// HDK 22.0.RC3.2, `24.1.RC2` in the quick-install table).
    @Test(arguments: [
        ("24.1.RC2", "24.1.rc2"), ("25.0.RC1.1", "25.0.rc1"), ("25.5.1", "25.5.1"),
        ("23.0.0", "23.0.0"), ("6.0.rc1.2", "6.0.rc1"), (" 26.1.0\n", "26.1.0"),
    ])
    func aWrittenFormNormalises(_ form: String, _ release: String) {
        #expect(AscendDriverRelease(form)?.description == release)
    }

    @Test(arguments: [
        "", "24.1", "24.1.rc", "24.1.rc2.x", "24.1.rc2.2.1", "V100R001C18", "24.1.b2",
    ])
    func otherTextIsNoRelease(_ text: String) {
        #expect(AscendDriverRelease(text) == nil)
    }

    @Test func releaseCandidatesComeBeforeTheNumberedReleases() throws {
        let order = ["23.0.3", "24.1.rc1", "24.1.rc2", "24.1.0", "24.1.1", "25.0.rc1", "25.5.1"]
        let releases = try order.map { try #require(AscendDriverRelease($0)) }
        #expect(releases.sorted() == releases)
    }

    /// A two-part prefix is Ascend's `X.Y.X`: its numbered releases, not its RCs.
    @Test func aFamilyCoversItsNumberedReleasesOnly() throws {
        let release = try #require(AscendDriverRelease("25.5.1"))
        #expect(release.isCovered(by: "25.5"))
        #expect(release.isCovered(by: "25.5.1"))
        #expect(!release.isCovered(by: "25.5.2"))
        #expect(!release.isCovered(by: "25"))
        let candidate = try #require(AscendDriverRelease("25.0.rc1.1"))
        #expect(!candidate.isCovered(by: "25.0"))
        #expect(candidate.isCovered(by: "25.0.rc1"))
    }

    @Test(arguments: [
        ("910B4", "910B"), ("Ascend 910B", "910B"), ("310P3", "310P"), ("Ascend 310P", "310P"),
        ("Ascend910", "A3"), ("Ascend 910 A3", "A3"),
    ])
    func aChipNameHasItsFamily(_ name: String, _ family: String) {
        #expect(AscendFamily.of(name: name) == family)
    }

    @Test(arguments: ["910A", "910ProB", "310", "Ascend 310", "Ascend 910"])
    func otherChipsHaveNoFamily(_ name: String) {
        #expect(AscendFamily.of(name: name) == nil)
    }

    // MARK: The catalog

    static let catalog = TorchCatalog.embedded

    static func rows(_ prefix: String) -> [AscendDriverGeneration] {
        catalog.ascendDrivers.filter { $0.driverPrefix == prefix }
    }

    /// Ascend/docs package_info.js (36ae37d) for 910b and 310p; the install guides second.
    @Test func quickInstallPairingsAreConfirmedAndGuidesAreNot() throws {
        let rc2 = try #require(Self.rows("24.1.rc2").first)
        #expect(rc2.cann == ["8.1.RC1", "8.0.0", "8.0.RC3"])
        #expect(rc2.confirmed && rc2.chips == ["910B", "310P"] && rc2.relation == .paired)
        let rc1 = Self.rows("25.0.rc1")
        #expect(rc1.filter(\.confirmed).map(\.cann) == [["8.2.RC1"]])
        #expect(rc1.filter { !$0.confirmed }.map(\.cann) == [["8.1.RC1"]])
        // CANN 7.0.0 went with different drivers per chip.
        #expect(Self.rows("23.0.3").map(\.chips) == [["910B"]])
        #expect(Self.rows("23.0.1").map(\.chips) == [["310P"]])
    }

    /// hicann/release-management: 9.1.1's matrix keeps CANN 9.1.X off HDK 25.0.X.
    @Test func releaseNotesPairAndTheMatrixDeclares() throws {
        let paired = try #require(Self.rows("25.5.1").first { $0.relation == .paired })
        #expect(paired.cann == ["9.0.1", "9.0.0", "8.5.2", "8.5.0"] && paired.confirmed)
        let family = try #require(Self.rows("25.0").first)
        #expect(family.relation == .compatible)
        #expect(!family.cann.contains { $0.hasPrefix("9.1.") })
        #expect(Self.rows("25.5").first?.cann.contains("9.1.1") == true)
        #expect(Self.rows("25.5.0").allSatisfy { !$0.confirmed })
    }

    /// Python ranges from Ascend/pytorch COMPATIBILITY.en.md, per torch.
    @Test func torchNPUCarriesItsPythonRange() throws {
        func python(_ torchNPU: String) -> PythonRange? {
            Self.catalog.torchNPU.first { $0.torchNPU == torchNPU }?.python
        }
        #expect(python("2.5.1") == PythonRange(min: "3.9", max: "3.11"))
        #expect(python("2.12.0.post2") == PythonRange(min: "3.10", max: "3.14"))
        #expect(python("2.2.0") == PythonRange(min: "3.8", max: "3.10"))
        // No source gives one for torch 1.11 and 2.0.
        #expect(python("1.11.0.post14") == nil && python("2.0.1") == nil)
    }

    @Test func everyRowNamesACANNThatHasTorchNPUOrSaysWhy() {
        // CANN versions a driver row names but no torch_npu row pairs (the matcher passes
        // them over): the patch and point releases Ascend/pytorch's table does not list.
        let known = Set(Self.catalog.torchNPU.map(\.cann))
        let named = Set(Self.catalog.ascendDrivers.flatMap(\.cann))
        #expect(
            named.subtracting(known).sorted() == [
                "6.0.RC1", "6.3.RC1", "6.3.RC2", "7.0.1", "8.2.RC2", "8.5.2", "9.0.1",
            ]
        )
    }
}
