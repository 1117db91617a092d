/// Text for people, made safe to print on a terminal.
///
/// gpuprobe writes no terminal escapes of its own (see docs/cli.md, "No colour"), but its text
/// outputs repeat what tools, files and pasted outputs said: a GPU name, a path, a Dockerfile
/// line. One of those carrying ESC or another control character would reach the terminal as a
/// command (colour, cursor moves, a changed window title) instead of text; one carrying a
/// newline would forge a line of its own (a fake `error:` or `fix:` line), and one carrying a
/// bidirectional override (U+202E) would show its text in another order than it has. So every
/// text output and message goes through ``visible(_:)``, ``lines(_:)`` or ``line(_:)`` first.
/// JSON needs none of this: its encoder escapes control characters.
public enum TerminalText {
    /// The text with every control character but newline and tab, and every bidirectional
    /// control, written out visibly.
    ///
    /// C0 controls and DEL become `\x1b`-style escapes, C1 controls (which some terminals read
    /// as escapes too, U+009B being CSI), the bidirectional embeddings, overrides, isolates and
    /// marks, and the Unicode line and paragraph separators `\u202e`-style ones; everything else
    /// is kept.
    ///
    /// - Parameter text: what a renderer produced.
    /// - Returns: the same text, safe to write to a terminal.
    public static func visible(_ text: String) -> String {
        escaping(text) { $0 != "\n" && $0 != "\t" }
    }

    /// Lines joined with newlines (and one at the end), each made ``visible(_:)`` with any line
    /// break inside it written out too: a renderer's line is one line whatever its values hold.
    public static func lines(_ lines: [String]) -> String {
        lines.map { escaping($0) { $0 != "\t" } }.joined(separator: "\n") + "\n"
    }

    /// A one-line message made safe: every control character, line break included, written
    /// out, and any value too long to read cut in its middle.
    ///
    /// A path or value of 100 KB would make a 100 KB error line whose advice nobody reads; its
    /// start and end are what tell it apart. A word (a run without spaces) over
    /// ``longWord`` characters keeps its first and last ``kept`` characters; a message still
    /// over ``longMessage`` keeps its start and its end, where the advice is.
    public static func line(_ message: String) -> String {
        let text = escaping(message) { $0 != "\t" }
        guard text.count > longWord else { return text }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            word.count > longWord ? cut(word, keeping: kept, kept) : String(word)
        }.joined(separator: " ")
        if words.count > longMessage { words = cut(words[...], keeping: longMessage / 2, kept * 4) }
        return words
    }

    /// Words longer than this are cut by ``line(_:)``.
    static let longWord = 400
    /// Characters kept at each end of a cut word.
    static let kept = 120
    /// Messages longer than this (after cutting words) are cut by ``line(_:)``.
    static let longMessage = 4000

    private static func cut(_ text: Substring, keeping head: Int, _ tail: Int) -> String {
        let dropped = text.count - head - tail
        return text.prefix(head) + "...[\(dropped) characters cut]..." + text.suffix(tail)
    }

    private static func isBidiOrSeparator(_ value: UInt32) -> Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || value == 0x200E || value == 0x200F || value == 0x061C || value == 0x2028
            || value == 0x2029
    }

    /// Writes out every control character that `escape` says to, and every bidirectional
    /// control and Unicode line separator.
    private static func escaping(_ text: String, _ escape: (Unicode.Scalar) -> Bool) -> String {
        func needs(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            if value < 0x20 || (0x7f...0x9f).contains(value) { return escape(scalar) }
            return isBidiOrSeparator(value)
        }
        guard text.unicodeScalars.contains(where: needs) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needs(scalar) else {
                result.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            let escaped =
                scalar.value <= 0x7f
                ? "\\x" + (hex.count == 1 ? "0" : "") + hex
                : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            result.append(contentsOf: escaped.unicodeScalars)
        }
        return String(result)
    }
}
