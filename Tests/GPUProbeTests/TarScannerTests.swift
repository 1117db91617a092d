import Testing

@testable import GPUProbe
@testable import TestSupport

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

@Suite struct PayloadScannerTests {
    /// Feeds `bytes` in pieces of `piece` and returns the error the scan ends with, if any.
    static func scan(_ bytes: [UInt8], skip: Int, piece: Int, offsetLimit: Int64) -> PayloadError? {
        var scanner = PayloadScanner(skip: skip, limit: 1 << 20, offsetLimit: offsetLimit)
        do throws(PayloadError) {
            var start = 0
            while start < bytes.count {
                let end = min(start + piece, bytes.count)
                let part = Array(bytes[start..<end])
                var failure: PayloadError?
                part.withUnsafeBytes { buffer in
                    do throws(PayloadError) { try scanner.consume(buffer) } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                start = end
            }
            try scanner.finish()
            return nil
        } catch {
            return error
        }
    }

    @Test func aSkipPastTheOffsetLimitIsBounded() {
        let bytes = Array("#! /bin/sh\nskip=9999999\n".utf8) + [UInt8](repeating: 0, count: 10_000)
        #expect(
            Self.scan(bytes, skip: 9_999_999, piece: 1000, offsetLimit: 4096)
                == .payloadTooFar(skip: 9_999_999, limit: 4096)
        )
        #expect(
            PayloadError.payloadTooFar(skip: 9_999_999, limit: 16 << 20).description.contains(
                "line 9999999, which is more than 16384 KiB into the file"
            )
        )
    }

    @Test(arguments: [1, 7, 512])
    func linesAreCountedAcrossPieces(piece: Int) {
        // Three stub lines, then a payload that is not compressed.
        let bytes = Array("a\nb\nc\nPK\u{3}\u{4}xxxxxxxx".utf8)
        #expect(
            Self.scan(bytes, skip: 4, piece: piece, offsetLimit: 1 << 20)
                == .unknownCompression(start: "50 4b 03 04 78 78 78 78")
        )
        #expect(
            Self.scan(Array(bytes.prefix(5)), skip: 4, piece: piece, offsetLimit: 1 << 20)
                == .endsBeforePayload(skip: 4)
        )
        #expect(
            Self.scan(Array(bytes.prefix(9)), skip: 4, piece: piece, offsetLimit: 1 << 20)
                == .truncated
        )
    }
}
