import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Every bundle in Fixtures/hosts replays to its expected.json (which SchemaTests validates).
@Suite struct HostBundleTests {
    static let bundles = Fixtures.hostBundles

    @Test func thereAreBundles() {
        #expect(Self.bundles.count >= 3)
    }

    @Test(arguments: bundles)
    func replaysToExpectedReport(bundle: String) throws {
        let directory = Fixtures.url("hosts/\(bundle)").path
        let report = HostReportBuilder.build(try CaptureBundle.read(from: directory))
        let expectedBytes = Array(
            try Data(contentsOf: Fixtures.url("hosts/\(bundle)/expected.json"))
        )
        let expected = try HostReportDecoding.decode(expectedBytes)
        #expect(report == expected)
        #expect(JSONOutput.render(report) == String(decoding: expectedBytes, as: UTF8.self))
    }
}
