import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct PCIAddressTests {
    @Test(arguments: [
        (text: "0000:65:00.0", canonical: "0000:65:00.0"),
        (text: "65:00.0", canonical: "0000:65:00.0"),
        (text: "00000000:00:09.0", canonical: "0000:00:09.0"),
        (text: "00000001:C1:1F.7", canonical: "0001:c1:1f.7"),
        (text: "  0000:81:00.0 ", canonical: "0000:81:00.0"),
        (text: "d7ed:00:00.0", canonical: "d7ed:00:00.0"),
    ])
    func parsesEverySpelling(text: String, canonical: String) throws {
        let address = try #require(PCIAddress(text))
        #expect(address.description == canonical)
    }

    @Test(arguments: [
        "", "NA", "xxxx:xx:xx.x", "0000:65:00", "0000:65:20.0", "0000:65:00.8",
        "0000:165:00.0", "123456789:00:00.0", "0000:65:00.0.1", ":00.0",
    ])
    func rejectsMalformed(text: String) {
        #expect(PCIAddress(text) == nil)
    }

    @Test func ordersAsLspciPrints() throws {
        let texts = ["0001:00:00.0", "0000:65:00.1", "0000:65:00.0", "0000:03:00.0"]
        let sorted = texts.compactMap(PCIAddress.init).sorted().map(\.description)
        #expect(sorted == ["0000:03:00.0", "0000:65:00.0", "0000:65:00.1", "0001:00:00.0"])
    }
}
