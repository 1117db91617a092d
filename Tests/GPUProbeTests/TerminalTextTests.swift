import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct TerminalTextTests {
    @Test(arguments: [
        (text: "GeForce GTX 1050 Ti\n\tok", shown: "GeForce GTX 1050 Ti\n\tok"),
        (text: "Ge\u{1B}[31mForce", shown: "Ge\\x1b[31mForce"),
        (text: "a\rb\u{07}c\u{7F}", shown: "a\\x0db\\x07c\\x7f"),
        // C1 CSI: some terminals take U+009B alone as the start of an escape.
        (text: "x\u{9B}0m", shown: "x\\u009b0m"),
        (text: "Ascend 910B · 昇腾", shown: "Ascend 910B · 昇腾"),
    ])
    func writesControlCharactersOutVisibly(text: String, shown: String) {
        #expect(TerminalText.visible(text) == shown)
    }

    /// Text outputs escape each value's line breaks: a Dockerfile named with a newline gets
    /// its findings on their own lines, and no forged one.
    @Test func textOutputValuesCannotForgeLines() throws {
        let lines = TerminalText.lines(["GPU 0  A\nerror: forged", "\u{202E}fdp.exe", "plain\ttab"])
        #expect(lines == "GPU 0  A\\x0aerror: forged\n\\u202efdp.exe\nplain\ttab\n")
        #expect(TerminalText.visible("a\nb\u{2066}c") == "a\nb\\u2066c")
        let message = TerminalText.line(
            "cannot read '" + String(repeating: "x", count: 100_000) + "'; fix"
        )
        #expect(message.count < TerminalText.longMessage)
        #expect(message.hasSuffix("'; fix"))
        #expect(message.contains("characters cut"))
    }
}
