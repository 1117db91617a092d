import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Inputs the `json` fuzz target found trouble with (Fixtures/fuzz/json/), read again through
/// the same decoder.
@Suite struct JSONFuzzFindingsTests {
    /// ` 11.5e9223372036854775807`, out of range for every number type.
    ///
    /// The json target with the dictionary found it within a second on the decoder before the
    /// fix, where `whole.count + exponent` overflowed Int and trapped (SIGILL).
    @Test func anExponentOfIntMaxIsOutOfRangeForEveryType() throws {
        let bytes = Array(try Data(contentsOf: Fixtures.url("fuzz/json/overflow-exponent.json")))
        let value = try JSONParser.parse(bytes)
        #expect(value == .number("11.5e9223372036854775807"))
        func refuses<T: Decodable>(_ type: T.Type) -> Bool {
            do {
                _ = try JSONValueDecoder.decode(type, from: value)
                return false
            } catch DecodingError.dataCorrupted(let context) {
                return context.debugDescription
                    == "the number 11.5e9223372036854775807 does not fit in \(type)"
            } catch {
                return false
            }
        }
        #expect(refuses(Int.self))
        #expect(refuses(Int8.self))
        #expect(refuses(UInt64.self))
        #expect(refuses(Double.self))
        #expect(refuses(Float.self))
    }
}
