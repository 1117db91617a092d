import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// gpuprobe's JSON coder under hostile numbers, bytes and values: every number decodes or is a
/// decoding error (never an overflow trap), invalid UTF-8 is refused where it is, and messages
/// repeat input as one short line.
@Suite struct JSONHardeningTests {
    struct Numbers: Decodable {
        var int: Int?
        var byte: UInt8?
        var unsigned: UInt64?
        var double: Double?
        var float: Float?
    }

    static func decode(_ text: String) throws -> Numbers {
        try JSONCoding.decode(Numbers.self, from: Array(text.utf8))
    }

    static let longDigits = "1" + String(repeating: "0", count: 100_000)

    /// Numbers at and past every limit, for each integer width and the floating types: an
    /// exponent of Int.max once overflowed `whole.count + exponent` and trapped.
    static let unfit: [(key: String, number: String)] = [
        ("int", "1e9223372036854775807"),
        ("int", "1E+9223372036854775807"),
        ("int", "1.5e9223372036854775807"),
        ("int", "123456789e9223372036854775800"),
        ("int", "-1e-9223372036854775808"),
        ("int", "1e-9223372036854775808"),
        ("int", "1E+99999999999999999999"),
        ("int", "1e-99999999999999999999"),
        ("int", "9223372036854775808"),
        ("int", "-9223372036854775809"),
        ("int", longDigits),
        ("int", "-" + longDigits),
        ("int", longDigits + ".0"),
        ("int", "0." + String(repeating: "0", count: 100_000) + "1"),
        ("byte", "256"),
        ("byte", "-1"),
        ("byte", "2.55e2000000000000000000"),
        ("unsigned", "18446744073709551616"),
        ("unsigned", "-1"),
        ("unsigned", "1e9223372036854775807"),
        ("double", "1e400"),
        ("double", "-1e400"),
        ("double", "1e9223372036854775807"),
        ("double", longDigits),
        ("float", "1e39"),
    ]

    @Test(arguments: unfit.indices)
    func aNumberPastItsTypeIsADecodingErrorNotATrap(index: Int) throws {
        let (key, number) = Self.unfit[index]
        #expect {
            try Self.decode(#"{"\#(key)": \#(number)}"#)
        } throws: { error in
            guard case .dataCorrupted(let context) = error as? DecodingError else { return false }
            return JSONCoding.path(context.codingPath) == key
                && context.debugDescription.hasPrefix("the number ")
                && context.debugDescription.utf8.count < 200
        }
    }

    @Test func numbersAtTheEdgesThatFitAreRead() throws {
        #expect(try Self.decode(#"{"int": 9223372036854775807}"#).int == .max)
        #expect(try Self.decode(#"{"int": -9223372036854775808}"#).int == .min)
        #expect(try Self.decode(#"{"int": 9.223372036854775807e18}"#).int == .max)
        #expect(try Self.decode(#"{"unsigned": 18446744073709551615}"#).unsigned == .max)
        #expect(try Self.decode(#"{"byte": 2.55e2}"#).byte == 255)
        // Zero times any power of ten is zero.
        #expect(try Self.decode(#"{"int": 0e9223372036854775807}"#).int == 0)
        #expect(try Self.decode(#"{"int": -0.000e99999999999999999999}"#).int == 0)
        #expect(try Self.decode(#"{"byte": -0}"#).byte == 0)
        #expect(try Self.decode(#"{"int": 1e0000000000000000000000000001}"#).int == 10)
        #expect(try Self.decode(#"{"int": 100000e-00000000000000000000000005}"#).int == 1)
        #expect(try Self.decode(#"{"double": 1e-400}"#).double == 0)
    }

    @Test func aLongNumberIsCutInTheMessage() throws {
        #expect {
            try Self.decode(#"{"int": \#(Self.longDigits)}"#)
        } throws: { error in
            guard case .dataCorrupted(let context) = error as? DecodingError else { return false }
            return context.debugDescription
                == "the number \(String(repeating: "1", count: 1) + String(repeating: "0", count: 39))"
                + "... (100001 characters) does not fit in Int"
        }
    }

    /// A raw byte that is not UTF-8, inside a string, is refused at that byte; one outside a
    /// string is not JSON at all.
    @Test(
        arguments: [
            ([0x5b, 0x22, 0xff, 0x22, 0x5d], "line 1, column 3: the byte 0xff is not valid UTF-8"),
            (
                Array(#"{"a":"ok","b":"x\"y"#.utf8) + [0xc0, 0xaf, 0x22, 0x7d],
                "line 1, column 20: the byte 0xc0"
            ),
            (
                Array("[\n\"é\\n".utf8) + [0xed, 0xa0, 0x80, 0x22, 0x5d],
                "line 2, column 6: the byte 0xed"
            ),
            (Array("[\"".utf8) + [0xe2, 0x82, 0x22, 0x5d], "line 1, column 3: the byte 0xe2"),
            ([0x5b, 0xff, 0x5d], "line 1, column 2: expected a value"),
        ] as [([UInt8], String)]
    )
    func invalidUTF8IsRefusedWhereItIs(bytes: [UInt8], message: String) {
        #expect {
            try JSONParser.parse(bytes)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func valuesInMessagesAreEscapedAndCut() {
        #expect(JSONValue.shown("550.54.14") == #""550.54.14""#)
        #expect(JSONValue.shown("a\nb\u{202E}c\u{7}\"\\") == #""a\u000ab\u202ec\u0007\"\\""#)
        let long = String(repeating: "x", count: 120_000)
        #expect(
            JSONValue.shown(long) == "\"" + String(repeating: "x", count: 80)
                + "\"... (120000 characters)"
        )
        #expect(JSONValue.oneLine("bad\nvalue\u{2028}") == #"bad\u000avalue\u2028"#)
        #expect(JSONValue.oneLine(long).count == 303)
    }

    /// A key from the document (a dictionary member) in an error path is quoted and escaped.
    @Test func keysFromTheDocumentAreEscapedInPaths() throws {
        struct Info: Decodable { var info: [String: String] }
        #expect {
            try JSONCoding.decode(Info.self, from: Array(#"{"info": {"a\nb\u202e": 1}}"#.utf8))
        } throws: { error in
            guard case .typeMismatch(_, let context) = error as? DecodingError else { return false }
            return JSONCoding.path(context.codingPath) == #"info["a\u000ab\u202e"]"#
        }
    }

    /// The standard library's own error for a raw value outside an enum repeats the value.
    @Test func anEnumValueInAMessageIsOneLine() throws {
        let value = "fatal\n" + String(repeating: "\u{202E}x", count: 60_000)
        let text = #"{"severity": "\#(value.replacingOccurrences(of: "\n", with: "\\n"))"}"#
        struct Holder: Decodable { var severity: Diagnostic.Severity }
        #expect {
            try JSONCoding.decode(Holder.self, from: Array(text.utf8))
        } throws: { error in
            guard case .dataCorrupted(let context) = error as? DecodingError else { return false }
            let message = context.debugDescription
            return message.utf8.count < 400 && !message.contains("\n")
                && !message.unicodeScalars.contains("\u{202E}")
        }
    }
}
