import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// scripts/verify-catalog reads PyPI's torch wheels by range and compares them with
/// catalog/pytorch.json; it needs the network, so `make test` runs only its unit test, which
/// parses cuts of real wheels (Fixtures/wheels/) and needs nothing but python3's standard library.
@Suite struct TorchCatalogVerifierTests {
    static let repository = Fixtures.root.deletingLastPathComponent()

    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let searchPath =
            path.split(separator: ":").map(String.init) + [
                repository.appendingPathComponent(".build/tools/bin").path
            ]
        return ToolRunner.locate("python3", in: searchPath)
    }()

    @Test func parsingTestsPass() throws {
        let python = try #require(Self.python, "python3 is not on PATH: install python3")
        let test = Self.repository.appendingPathComponent("scripts/test_verify_catalog.py").path
        let run = ToolRunner.run(python, [test], timeout: 120)
        let output = String(decoding: run.stderr + run.stdout, as: UTF8.self)
        #expect(run.outcome == .exited(0), "\(test): \(run.outcome)\n\(output)")
        // unittest's summary; a run that found no test also exits 0.
        #expect(output.hasSuffix("\nOK\n"), "\(output)")
        #expect(!output.contains("Ran 0 tests"), "\(output)")
    }
}
