import Testing

@testable import GPUProbe
@testable import TestSupport

/// `CUDAVersion` reads `major.minor` with an optional `.patch`, one to three ASCII digits each.
@Suite struct CUDAVersionTests {
    @Test(arguments: [
        ("12.8", 12, 8), ("12.4.1", 12, 4), ("9.0", 9, 0), ("10.2.89", 10, 2), ("013.002", 13, 2),
    ])
    func readsMajorAndMinor(text: String, major: Int, minor: Int) throws {
        let version = try #require(CUDAVersion(text))
        #expect(version.major == major && version.minor == minor)
    }

    @Test(arguments: [
        "", "12", "12.", ".8", "12..8", "12.8.1.2", "1234.0", "12.8 ", " 12.8", "12.x", "12.٣",
        "12.8.", "-1.0", "+1.0",
    ])
    func rejectsOtherText(text: String) {
        #expect(CUDAVersion(text) == nil)
    }
}
