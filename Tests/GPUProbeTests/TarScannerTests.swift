import Testing

@testable import GPUProbe

@Suite struct TarScannerTests {
    static let sizes: [(field: [UInt8], value: Int64)] = [
        (Array("00000001750\0".utf8), 1000),
        (Array("     1750 \0\0\0".utf8), 1000),
        ([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34], 0x1234),
        ([0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], 1 << 48),
    ]

    @Test(arguments: sizes)
    func readsSizes(field: [UInt8], value: Int64) {
        #expect(TarScanner.size(field[...]) == value)
    }

    @Test(arguments: [
        Array("12 9\0".utf8), Array("\0\0\0".utf8), [0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ])
    func rejectsBadSizes(field: [UInt8]) {
        #expect(TarScanner.size(field[...]) == nil)
    }

    @Test func readsThePaxPathRecord() {
        let records = "20 ctime=1700000000\n" + "30 path=a/supported-gpus.json\n" + "12 uid=1000\n"
        #expect(TarScanner.paxPath(Array(records.utf8)) == "a/supported-gpus.json")
        #expect(TarScanner.paxPath(Array("99 path=x\n".utf8)) == nil)
    }

    @Test func aBadChecksumIsCorruption() throws {
        var scanner = TarScanner(limit: 100) { _ in true }
        var block = [UInt8](repeating: 0, count: 512)
        block.replaceSubrange(0..<4, with: Array("file".utf8))
        block.replaceSubrange(124..<136, with: Array("00000000001\0".utf8))
        block.replaceSubrange(148..<156, with: Array("0000001\0".utf8))
        #expect(
            throws: PayloadError.corrupt("tar header at uncompressed byte 0 fails its checksum")
        ) {
            _ = try block.withUnsafeBytes { bytes throws(PayloadError) in try scanner.consume(bytes)
            }
        }
    }
}
