import Testing

@testable import GPUProbe

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
}
