import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// gpuprobe's own JSON coder against Foundation's, which it replaced: the same compact bytes
/// out for every document it writes, the same values back, and JSON's grammar held to strictly.
/// (The pretty layout is Python's, not Foundation's: `JSONLayoutTests`.)
@Suite struct JSONCodingTests {
    static func foundation(_ value: some Encodable, pretty: Bool) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// `value` with every object member that is `null` left out, at every depth: what
    /// Foundation's JSONEncoder writes for a nil Optional of a synthesised `Encodable`.
    static func withoutNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(members.filter { $0.value != .null }.mapValues(withoutNulls))
        case .array(let elements): .array(elements.map(withoutNulls))
        default: value
        }
    }

    /// The same values as Foundation's JSONEncoder, except that a nil is written as `null`
    /// where Foundation leaves the key out (the nulls of the types that still write them by
    /// hand, the torch plan's, are in both).
    @Test(arguments: Fixtures.hostBundles)
    func hostReportAndPlanEncodeAsFoundationDidWithNullForNil(bundle: String) throws {
        let report = try TestPlans.report(bundle)
        let plan = TestPlans.plan(report)
        #expect(
            try Self.withoutNulls(JSONCoding.parse(JSONCoding.encode(report, layout: .compact)))
                == Self.withoutNulls(JSONCoding.parse(Self.foundation(report, pretty: false)))
        )
        #expect(
            try Self.withoutNulls(JSONCoding.parse(JSONCoding.encode(plan, layout: .compact)))
                == Self.withoutNulls(JSONCoding.parse(Self.foundation(plan, pretty: false)))
        )
        // The pretty layout holds the same value.
        #expect(
            try JSONCoding.parse(JSONCoding.encode(report, layout: .pretty))
                == JSONCoding.parse(JSONCoding.encode(report, layout: .compact))
        )
    }

    @Test(arguments: Fixtures.hostBundles)
    func documentsDecodeAsFoundationDid(bundle: String) throws {
        let report = try TestPlans.report(bundle)
        let plan = TestPlans.plan(report)
        let reportBytes = try Self.foundation(report, pretty: true)
        let planBytes = try Self.foundation(plan, pretty: false)
        #expect(try JSONCoding.decode(HostReport.self, from: reportBytes) == report)
        #expect(try JSONCoding.decode(Plan.self, from: planBytes) == plan)
        #expect(
            try JSONCoding.decode(HostReport.self, from: reportBytes)
                == JSONDecoder().decode(HostReport.self, from: Data(reportBytes))
        )
    }

    /// What the model's documents do not show: key order with digits, case and `_`; every
    /// control character; numbers at their limits; empty and nested containers; null.
    struct Edges: Codable, Equatable {
        var keys = ["ab": 1, "a_b": 2, "aB": 3, "a1": 4, "a10": 5, "a9": 6, "Zed": 7, "é": 8]
        var empty: [String: Int] = [:]
        var none: [Int] = []
        var nested: [[String: [Int]]] = [[:], ["x": []], ["y": [1, 2]]]
        var doubles: [Double] = [
            1, 0.1, 1e20, 1.5e-7, 123_456_789_012_345_680, -0.0, 2.5, 1e16, 1e15, 100, 3e-5,
            .leastNonzeroMagnitude, 1.797_693_134_862_315_7e308, 0.1 + 0.2,
        ]
        var floats: [Float] = [0.1, 1, 3.14]
        var text =
            (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\u{2028}\u{2029}é🙂/"
        var null: Int? = nil
        var extremes: [Int64] = [.min, .max]
        var unsigned: UInt64 = .max
        var small: Int8 = -3
        var flags = [true, false]

        enum CodingKeys: String, CodingKey {
            case keys, empty, none, nested, doubles, floats, text, null, extremes
            case unsigned, small, flags
        }

        init() {}

        /// As synthesised, but `null` written out where it is nil.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(keys, forKey: .keys)
            try c.encode(empty, forKey: .empty)
            try c.encode(none, forKey: .none)
            try c.encode(nested, forKey: .nested)
            try c.encode(doubles, forKey: .doubles)
            try c.encode(floats, forKey: .floats)
            try c.encode(text, forKey: .text)
            try c.encode(null, forKey: .null)
            try c.encode(extremes, forKey: .extremes)
            try c.encode(unsigned, forKey: .unsigned)
            try c.encode(small, forKey: .small)
            try c.encode(flags, forKey: .flags)
        }
    }

    @Test func edgesEncodeCompactAsFoundationDid() throws {
        let ours = try JSONCoding.encode(Edges(), layout: .compact)
        #expect(
            String(decoding: ours, as: UTF8.self)
                == String(decoding: try Self.foundation(Edges(), pretty: false), as: UTF8.self)
        )
        let decoded = try JSONCoding.decode(Edges.self, from: ours)
        #expect(decoded.doubles.map(\.bitPattern) == Edges().doubles.map(\.bitPattern))
        #expect(decoded == Edges())
    }

    /// A synthesised `Codable` with Optionals: nil is written as `null`, never left out, for
    /// every standard type the encoder has an `encodeIfPresent` for, and read back as nil.
    struct Optionals: Codable, Equatable {
        var text: String? = nil
        var flag: Bool? = nil
        var int: Int? = nil
        var int8: Int8? = nil
        var int16: Int16? = nil
        var int32: Int32? = nil
        var int64: Int64? = nil
        var uint: UInt? = nil
        var uint8: UInt8? = nil
        var uint16: UInt16? = nil
        var uint32: UInt32? = nil
        var uint64: UInt64? = nil
        var double: Double? = nil
        var float: Float? = nil
        var list: [Int]? = nil
        var nested: [String: Int?]? = ["a": nil]
        var present: String? = "here"
    }

    @Test func nilIsWrittenAsNull() throws {
        let bytes = try JSONCoding.encode(Optionals(), layout: .compact)
        let expected =
            #"{"double":null,"flag":null,"float":null,"int":null,"int16":null,"int32":null,"#
            + #""int64":null,"int8":null,"list":null,"nested":{"a":null},"present":"here","#
            + #""text":null,"uint":null,"uint16":null,"uint32":null,"uint64":null,"uint8":null}"#
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(try JSONCoding.decode(Optionals.self, from: bytes) == Optionals())
    }

    @Test func aNonFiniteNumberIsAnEncodingError() {
        #expect(throws: EncodingError.self) { try JSONCoding.encode([Double.nan], layout: .pretty) }
        #expect(throws: EncodingError.self) {
            try JSONCoding.encode([Float.infinity], layout: .compact)
        }
    }

    struct Reject: Sendable, CustomTestStringConvertible {
        let text: String
        let message: String
        var testDescription: String { message }
    }

    /// Text that is not JSON, and what the error says: Foundation's JSONDecoder accepted the
    /// trailing comma and read the first of two equal keys.
    static let rejected = [
        Reject(text: "", message: "line 1, column 1: expected a value, found the end"),
        Reject(text: "{\"a\": 1,}", message: "line 1, column 9: expected a key in quotes"),
        Reject(text: "[1,]", message: "line 1, column 4: expected a value"),
        Reject(
            text: "{\n  \"a\": 1,\n  \"a\": 2\n}",
            message: "line 3, column 3: the key \"a\" is given twice"
        ),
        Reject(text: "{\"a\" 1}", message: "line 1, column 6: expected ':' after the key"),
        Reject(
            text: "{\"\u{e9}\": 1, \"e\u{301}\": 2}",
            message: "line 1, column 11: the key \"e\u{301}\" is given twice (in two Unicode forms)"
        ),
        Reject(text: "[1 2]", message: "line 1, column 4: expected ',' or ']'"),
        Reject(text: "{\"a\": 1 \"b\"}", message: "line 1, column 9: expected ',' or '}'"),
        Reject(text: "[01]", message: "line 1, column 3: a number cannot start with 0"),
        Reject(text: "[-]", message: "line 1, column 3: expected a digit"),
        Reject(text: "[1.]", message: "line 1, column 4: expected a digit after '.'"),
        Reject(text: "[.5]", message: "line 1, column 2: expected a value"),
        Reject(text: "[1e]", message: "line 1, column 4: expected a digit in the exponent"),
        Reject(text: "[+1]", message: "line 1, column 2: expected a value"),
        Reject(text: "[NaN]", message: "line 1, column 2: expected a value"),
        Reject(text: "[tru]", message: "line 1, column 2: expected a value"),
        Reject(
            text: "[\"a\tb\"]",
            message: "line 1, column 4: a control character inside a string must be escaped"
        ),
        Reject(text: "[\"\\x\"]", message: "line 1, column 4: '\\x' is not a JSON escape"),
        Reject(text: "[\"\\ud800\"]", message: "line 1, column 9: a lone UTF-16 surrogate"),
        Reject(text: "[\"\\udc00\"]", message: "line 1, column 9: a lone UTF-16 surrogate"),
        Reject(
            text: "[\"\\u12\"]",
            message: "line 1, column 7: expected four hex digits after '\\u'"
        ),
        Reject(text: "[\"abc", message: "line 1, column 6: the string is not closed"),
        Reject(text: "{} {}", message: "line 1, column 4: unexpected text after the document"),
        Reject(
            text: String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
            message: "line 1, column 513: nested deeper than 512"
        ),
    ]

    @Test(arguments: rejected)
    func textThatIsNotJSONIsRejectedSayingWhere(_ reject: Reject) {
        #expect {
            try JSONParser.parse(Array(reject.text.utf8))
        } throws: { error in
            "\(error)" == reject.message
        }
    }

    @Test func invalidUTF8InAStringIsRejected() {
        #expect {
            try JSONParser.parse([0x5b, 0x22, 0xff, 0x22, 0x5d])
        } throws: { error in
            "\(error)"
                == "line 1, column 3: the byte 0xff is not valid UTF-8 here; save the file as UTF-8"
        }
    }

    @Test func whatJSONAllowsIsRead() throws {
        let text =
            "\u{FEFF} {\"a\" : [ \"\\ud83d\\ude42\\n\\/\\u00e9\", -0.5e+3, true, null ],\r\n\t\"b\":{}} "
        let expected = JSONValue.object([
            "a": .array([.string("🙂\n/é"), .number("-0.5e+3"), .bool(true), .null]),
            "b": .object([:]),
        ])
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(Array(deepest.utf8)) }
    }

    struct Numbers: Decodable {
        var int: Int?
        var byte: UInt8?
        var double: Double?
    }

    @Test func numbersDecodeExactlyOrNotAtAll() throws {
        func decode(_ text: String) throws -> Numbers {
            try JSONCoding.decode(Numbers.self, from: Array(text.utf8))
        }
        #expect(try decode(#"{"int": 1.0}"#).int == 1)
        #expect(try decode(#"{"int": 1e2}"#).int == 100)
        // Decided on the digits, not through a Double (which rounds above 2^53).
        #expect(try decode(#"{"int": 9007199254740993.0}"#).int == 9_007_199_254_740_993)
        #expect(try decode(#"{"int": 12.30e1}"#).int == 123)
        #expect(try decode(#"{"int": -5E+0}"#).int == -5)
        #expect(try decode(#"{"int": -0.0}"#).int == 0)
        #expect(try decode(#"{"int": -0}"#).int == 0)
        #expect(
            try decode(#"{"double": 12345678901234567890}"#).double == 12_345_678_901_234_567_168
        )
        for (text, message) in [
            (#"{"int": 1.5}"#, "the number 1.5 does not fit in Int"),
            (
                #"{"int": 99999999999999999999}"#,
                "the number 99999999999999999999 does not fit in Int"
            ),
            (#"{"byte": 300}"#, "the number 300 does not fit in UInt8"),
            (
                #"{"int": 1.0000000000000000001}"#,
                "the number 1.0000000000000000001 does not fit in Int"
            ),
            (#"{"int": 1e-400}"#, "the number 1e-400 does not fit in Int"),
            (#"{"int": 1e40}"#, "the number 1e40 does not fit in Int"),
            (#"{"double": 1e400}"#, "the number 1e400 does not fit in Double"),
        ] {
            #expect {
                try decode(text)
            } throws: { error in
                guard case .dataCorrupted(let context) = error as? DecodingError else {
                    return false
                }
                return context.debugDescription == message
                    && JSONCoding.path(context.codingPath) != ""
            }
        }
    }

    struct Inner: Decodable { var name: String }
    struct Outer: Decodable { var items: [Inner] }

    /// The errors messages are built from: their kind and the path to the value.
    @Test func wrongShapesSayWhichValue() {
        func failure(_ text: String) -> (String, String)? {
            do {
                _ = try JSONCoding.decode(Outer.self, from: Array(text.utf8))
                return nil
            } catch {
                switch error as? DecodingError {
                case .keyNotFound(let key, let context):
                    return ("keyNotFound \(key.stringValue)", JSONCoding.path(context.codingPath))
                case .valueNotFound(_, let context):
                    return ("valueNotFound", JSONCoding.path(context.codingPath))
                case .typeMismatch(_, let context):
                    return ("typeMismatch", JSONCoding.path(context.codingPath))
                case .dataCorrupted(let context):
                    return ("dataCorrupted", context.debugDescription)
                default:
                    return nil
                }
            }
        }
        #expect(failure(#"{"items": [{"name": "a"}, {}]}"#)! == ("keyNotFound name", "items[1]"))
        #expect(failure(#"{"items": [{"name": null}]}"#)! == ("valueNotFound", "items[0].name"))
        #expect(failure(#"{"items": [{"name": 5}]}"#)! == ("typeMismatch", "items[0].name"))
        #expect(failure(#"{"items": {}}"#)! == ("typeMismatch", "items"))
        #expect(failure(#"[]"#)! == ("typeMismatch", ""))
        #expect(
            failure(#"{"items": [}"#)! == (
                "dataCorrupted", "not valid JSON (line 1, column 12: expected a value)"
            )
        )
    }
}
