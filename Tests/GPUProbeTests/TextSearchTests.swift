import Testing

@testable import GPUProbe
@testable import TestSupport

/// The byte-wise search and replace that stands in for `_StringProcessing`'s.
@Suite struct TextSearchTests {
    @Test func findsTheFirstOccurrence() throws {
        let text = "nvidia-driver nvidia-smi"
        let range = try #require(text.rangeOfText("nvidia"))
        #expect(text[range] == "nvidia" && range.lowerBound == text.startIndex)
        #expect(text.rangeOfText("smi").map { text[$0.lowerBound...] } == "smi")
        #expect(text.rangeOfText("nvidia-smix") == nil)
        #expect(text.rangeOfText("") == text.startIndex..<text.startIndex)
        #expect("".rangeOfText("a") == nil)
        // A partial match that fails must not hide one that starts inside it.
        #expect("aaab".rangeOfText("aab").map { "aaab"[$0] } == "aab")
        #expect("WSL2 Microsoft".dropFirst(2).containsText("2 M"))
        #expect(!"WSL2".containsText("wsl"))
    }

    @Test func comparesBytesNotCharacters() {
        // "e" then a combining acute accent: one Character, still found byte for byte.
        let accented = "caf\u{65}\u{301}"
        #expect(accented.containsText("e"))
        #expect(!accented.contains("e" as Character))
        #expect("née".containsText("é") && !"nee".containsText("é"))
    }

    @Test func replacesEveryOccurrenceLeftToRight() {
        #expect("it's 'x'".replacingText("'", with: "'\\''") == "it'\\''s '\\''x'\\''")
        #expect("aaaa".replacingText("aa", with: "b") == "bb")
        #expect("aaa".replacingText("aa", with: "b") == "ba")
        #expect("abc".replacingText("", with: "x") == "abc")
        #expect("{variant}/{variant}".replacingText("{variant}", with: "cu126") == "cu126/cu126")
        #expect("x".replacingText("x", with: "xx") == "xx")
    }

    @Test func splitsOnAWholeSeparator() {
        #expect("a\\nb\\n\\nc\\n".splitting(onText: "\\n") == ["a", "b", "c"])
        #expect("abc".splitting(onText: "\\n") == ["abc"])
        #expect("".splitting(onText: "\\n").isEmpty)
        #expect("a,b".splitting(onText: "") == ["a,b"])
    }

    @Test func findsRunsOfBytes() {
        let line = Array("# generated using Makeself 2.4.5".utf8)[...]
        let marker = Array("Makeself ".utf8)
        #expect(line.rangeOfRun(marker) == 18..<27)
        #expect(line.dropFirst(20).rangeOfRun(marker) == nil)
        #expect([1, 2, 1, 2, 3].rangeOfRun([1, 2, 3]) == 2..<5)
    }
}
