import Testing

@testable import GPUProbe
@testable import TestSupport

/// Variable expansion and quoting in instruction arguments, as the builder does it.
@Suite struct DockerWordsTests {
    static let variables: Variables = ["DRIVER": "550.135", "EMPTY": "", "DIR": "/tmp"]

    static func process(_ word: String, escape: UInt8 = UInt8(ascii: "\\")) -> Expanded {
        DockerWords.process(word, variables: variables, escape: escape)
    }

    @Test(arguments: [
        (word: "NVIDIA-Linux-x86_64-$DRIVER.run", text: "NVIDIA-Linux-x86_64-550.135.run"),
        (word: "${DIR}/NVIDIA-${DRIVER}.run", text: "/tmp/NVIDIA-550.135.run"),
        (word: "${MISSING:-535.171.04}", text: "535.171.04"),
        (word: "${EMPTY:-x}", text: "x"),
        (word: "${EMPTY-x}", text: ""),
        (word: "${DRIVER:+set}", text: "set"),
        (word: "${EMPTY:+set}", text: ""),
        (word: "${MISSING:-${DIR}/a}", text: "/tmp/a"),
        (word: "'$DRIVER'", text: "$DRIVER"),
        (word: "\"$DRIVER\"", text: "550.135"),
        (word: "\\$DRIVER", text: "$DRIVER"),
        (word: "\"a\\\"b\"", text: "a\"b"),
        (word: "cost$", text: "cost$"),
        (word: "$1x", text: "$1x"),
    ])
    func expands(word: String, text: String) {
        let result = Self.process(word)
        #expect(result.text == text)
        #expect(result.unresolved.isEmpty)
    }

    @Test func unknownVariablesAreNamed() {
        #expect(Self.process("a-$NOPE-${ALSO}").unresolved == ["NOPE", "ALSO"])
        #expect(Self.process("a-$NOPE-${ALSO}").text == "a--")
        #expect(Self.process("${DRIVER%%.*}").unresolved == ["${DRIVER%%.*}"])
        #expect(Self.process("${UNCLOSED").unresolved == ["${UNCLOSED"])
    }

    @Test func backtickEscape() {
        let result = Self.process("C:\\dir\\`$DRIVER", escape: UInt8(ascii: "`"))
        #expect(result.text == "C:\\dir\\$DRIVER")
    }

    @Test func deepNestingIsOneUnresolvedWordWithoutOverflowingTheStack() {
        let depth = 50_000
        let word =
            String(repeating: "${A:-", count: depth) + "x" + String(repeating: "}", count: depth)
        let result = Self.process(word)
        #expect(result.text.isEmpty)
        #expect(result.unresolved.count == 1)
    }

    @Test func wordsSplitOnBlanksOutsideQuotes() {
        #expect(
            DockerWords.split(#"A=1 B="two words" C='x y'  D=a\ b"#, escape: UInt8(ascii: "\\"))
                == ["A=1", #"B="two words""#, "C='x y'", #"D=a\ b"#]
        )
    }
}
