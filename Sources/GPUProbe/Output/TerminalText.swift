/// Text for people, made safe to print on a terminal.
///
/// gpuprobe writes no terminal escapes of its own (see the README, "No colour"), but its text
/// outputs repeat what tools, files and pasted outputs said: a GPU name, a path, a Dockerfile
/// line. One of those carrying ESC or another control character would reach the terminal as a
/// command (colour, cursor moves, a changed window title) instead of text, so every text output
/// and message goes through ``visible(_:)`` first. JSON needs none of this: its encoder escapes
/// control characters.
public enum TerminalText {
    /// The text with every control character but newline and tab written out visibly.
    ///
    /// C0 controls and DEL become `\x1b`-style escapes and C1 controls (which some terminals
    /// read as escapes too, U+009B being CSI) `\u009b`-style ones; everything else is kept.
    ///
    /// - Parameter text: what a renderer produced.
    /// - Returns: the same text, safe to write to a terminal.
    public static func visible(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\n" && scalar != "\t")
                || (0x7f...0x9f).contains(scalar.value)
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                result.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            let escaped =
                scalar.value <= 0x7f
                ? "\\x" + (hex.count == 1 ? "0" : "") + hex : "\\u00" + hex
            result.append(contentsOf: escaped.unicodeScalars)
        }
        return String(result)
    }
}
