import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// supported-gpus.json from a hostile payload: bounded in size, values and entries, every value
/// the matcher uses checked, errors that say where; and NVIDIA's own lists pass all of it.
@Suite struct SupportedGPUsListBoundsTests {
    static func parse(_ text: String) throws(SupportedGPUsError) -> [SupportedChip] {
        try SupportedGPUsList.parse(Array(text.utf8))
    }

    @Test func aFileOverTheSizeLimitIsRefusedUnparsed() {
        let text = #"{"chips":[],"pad":""# + String(repeating: " ", count: 4 << 20) + #""}"#
        #expect(
            throws: SupportedGPUsError.tooLarge(
                reason: "is \(text.utf8.count) bytes, over the 4 MiB gpuprobe reads (NVIDIA's "
                    + "are under 350 KB)"
            )
        ) { try Self.parse(text) }
    }

    @Test func tooManyValuesAreRefusedBeforeTheTreeIsBuilt() {
        // 1.2 MB, but 300,000 values: a tree of tens of megabytes.
        let text = #"{"chips":[],"x":["# + String(repeating: "0,", count: 300_000) + "0]}"
        #expect(
            throws: SupportedGPUsError.tooLarge(
                reason: "holds more than 262144 JSON values (NVIDIA's hold about 30,000)"
            )
        ) { try Self.parse(text) }
    }

    @Test func tooManyEntriesAreRefused() {
        let entries = Array(repeating: #"{"devid":"1"}"#, count: 16_385)
        let text = #"{"chips":["# + entries.joined(separator: ",") + "]}"
        #expect(
            throws: SupportedGPUsError.tooLarge(
                reason: "lists 16385 chips, over the 16384 gpuprobe reads (NVIDIA's list about "
                    + "2,200)"
            )
        ) { try Self.parse(text) }
        #expect(throws: Never.self) {
            try Self.parse(#"{"chips":["# + entries.dropLast().joined(separator: ",") + "]}")
        }
    }

    @Test(arguments: [
        (
            json: "{\"chips\":[\n{\"devid\":\"0x1\"},\n{\"devid\" \"0x2\"}\n]}",
            reason: "not JSON: line 3, column 10: expected ':' after the key"
        ),
        ("", "not JSON: line 1, column 1: expected a value, found the end"),
        (
            "{\"chips\":[\n" + String(repeating: "[", count: 600),
            "not JSON: line 2, column 511: nested deeper than 512"
        ),
    ])
    func notJSONSaysWhereAndWhy(json: String, reason: String) {
        #expect(throws: SupportedGPUsError.notValid(reason: reason)) { try Self.parse(json) }
    }

    @Test(arguments: [
        (
            entry: #"{"devid":"0x1","legacybranch":"470.xx\n"}"#,
            reason: #"legacybranch '470.xx\x0a' is not a driver branch such as 470.xx"#
        ),
        (
            #"{"devid":"0x1","legacybranch":"\#(String(repeating: "9", count: 100)).xx"}"#,
            "legacybranch '\(String(repeating: "9", count: 64))...' is not a driver branch such "
                + "as 470.xx"
        ),
        (
            #"{"devid":"0x1","legacybranch":"xx"}"#,
            "legacybranch 'xx' is not a driver branch such as 470.xx"
        ),
        (
            #"{"devid":"0x1","legacybranch":"1.2.3.xx"}"#,
            "legacybranch '1.2.3.xx' is not a driver branch such as 470.xx"
        ),
        (
            #"{"devid":"0x1","features":["kernelopen","a b"]}"#,
            "feature 'a b' is not a word of letters, digits, '_', '-' or '.'"
        ),
        (
            #"{"devid":"0x1","features":[\#(Array(repeating: #""x""#, count: 65).joined(separator: ","))]}"#,
            "it has 65 features, more than 64"
        ),
        (
            #"{"devid":"0x1","name":"A100\u202E"}"#,
            #"name 'A100\xe2\x80\xae' is not a plain chip name"#
        ),
    ])
    func valuesAreChecked(entry: String, reason: String) {
        #expect(throws: SupportedGPUsError.badEntry(index: 0, reason: reason)) {
            try Self.parse(#"{"chips":[\#(entry)]}"#)
        }
    }

    @Test(arguments: ["470.xx", "390.xx", "173.14.xx", "71.86.xx", "96.43.xx", "580.xx"])
    func nvidiasBranchesAreBranches(branch: String) {
        #expect(SupportedGPUsList.isBranch(branch))
    }

    /// The first entry per (device, subsystem) is what the matcher can pick; the rest, and
    /// the features, are not kept.
    @Test func theRecordKeepsWhatTheMatcherReads() throws {
        let chips = try Self.parse(
            #"{"chips":[{"devid":"0x1","name":"a","features":["x"]},"#
                + #"{"devid":"0x1","name":"b","legacybranch":"470.xx"},"#
                + #"{"devid":"0x1","subdevid":"0x2","subvendorid":"0x10DE","name":"c"},"#
                + #"{"devid":"0x1","subdevid":"0x2","subvendorid":"0x10DE","name":"d"}]}"#
        )
        #expect(
            SupportedGPUsList.compacted(chips) == [
                SupportedChip(deviceID: 1, name: "a"),
                SupportedChip(
                    deviceID: 1,
                    subsystemDeviceID: 2,
                    subsystemVendorID: 0x10DE,
                    name: "c"
                ),
            ]
        )
    }

    /// NVIDIA's lists from 450 to 555 (as Debian ships them): read whole, and the record gives
    /// the same answer as the whole list for every device and subsystem they name.
    @Test(arguments: ["450.248.02", "555.58.02"])
    func nvidiasListsPassAndTheRecordAnswersAlike(version: String) throws {
        let path = Fixtures.url("supported-gpus/supported-gpus-\(version).json.gz").path
        let text = try FakeInstallers.output(["gzip", "-dc", path])
        let chips = try SupportedGPUsList.parse(Array(text.utf8))
        #expect(chips.count > 1_800)
        let whole = DriverInstaller(fileName: "x.run", size: 1, supportedGPUs: chips)
        let record = DriverInstaller(
            fileName: "x.run",
            size: 1,
            supportedGPUs: SupportedGPUsList.compacted(chips)
        )
        #expect(try #require(record.supportedGPUs).count <= chips.count)
        for chip in chips {
            for subsystem in [
                (chip.subsystemVendorID, chip.subsystemDeviceID), (nil, nil), (0x10DE, 0xFFFF),
            ] {
                #expect(
                    whole.support(
                        deviceID: chip.deviceID,
                        subsystemVendorID: subsystem.0,
                        subsystemDeviceID: subsystem.1
                    )
                        == record.support(
                            deviceID: chip.deviceID,
                            subsystemVendorID: subsystem.0,
                            subsystemDeviceID: subsystem.1
                        )
                )
            }
        }
    }
}
