import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct SHA256Tests {
    /// FIPS 180-4 / NIST CSRC example vectors.
    @Test(arguments: [
        (
            message: "",
            digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                + "klmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test func oneMillionAs() {
        var hasher = SHA256()
        let block = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(block) }
        #expect(
            hasher.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    /// Lengths around the 55/56/64-byte padding edges, fed whole and in uneven pieces.
    @Test(arguments: [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097])
    func piecesGiveTheSameDigest(length: Int) {
        let bytes = FakeInstallers.filler(length)
        let whole = SHA256.hexDigest(of: bytes)
        for piece in [1, 3, 63, 64, 65, 500] {
            var hasher = SHA256()
            var start = 0
            while start < bytes.count {
                let end = min(start + piece, bytes.count)
                hasher.update(Array(bytes[start..<end]))
                start = end
            }
            #expect(hasher.hexDigest() == whole, "length \(length), pieces of \(piece)")
        }
    }

    @Test func agreesWithSha256sum() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        for length in [0, 64, 1_000_003] {
            let bytes = FakeInstallers.filler(length)
            let path = try fakes.write(bytes, name: "blob-\(length)")
            #expect(SHA256.hexDigest(of: bytes) == (try FakeInstallers.sha256sum(path)))
        }
    }
}
