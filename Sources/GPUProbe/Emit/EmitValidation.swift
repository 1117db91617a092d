/// The shapes a value must have before it is written into a generated line.
///
/// Anything else is refused with ``EmitError/unsafe(what:value:expected:)``: a Dockerfile line has no quoting
/// that survives a newline, and `COPY` substitutes `$VAR` even inside its JSON form.
enum EmitValidation {
    /// Letters, digits and `._-`.
    static func isWord(_ text: String, extra: String = "") -> Bool {
        !text.isEmpty && text.utf8.count <= 128
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || "._-".unicodeScalars.contains($0) || extra.unicodeScalars.contains($0)
            }
    }

    /// A Python package version as PyTorch publishes them: `2.7.1`, `0.22.1`, `2.0.0.post1`,
    /// `2.5.0a0`, `2.7.0rc1`.
    static func isPackageVersion(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("0"..."9").contains(first) else {
            return false
        }
        return isWord(text) && !text.contains("-") && !text.containsText("..")
    }

    /// A wheel variant: `cpu`, `cu128`, `rocm6.3`, `xpu`.
    static func isVariant(_ text: String) -> Bool {
        isWord(text) && !text.contains("-") && text.count <= 16
    }

    /// A relative path inside the build context: no `..`, no leading `/`, and only characters
    /// that a `COPY` line carries literally (letters, digits, `._-+@/` and spaces).
    static func isContextPath(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 1024, !text.hasPrefix("/") else { return false }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.contains(where: { $0 == ".." || $0.isEmpty && parts.count > 1 }) else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-+@/ ".unicodeScalars.contains($0)
        } && !text.hasPrefix(" ") && !text.hasSuffix(" ")
    }

    /// An image reference Docker takes: `ubuntu:22.04`, `registry:5000/team/image:tag@sha256:…`.
    ///
    /// The grammar is ``ImageReference/isValid(_:)``'s. Its characters (ASCII letters, digits,
    /// `._-/:@[]`) are all literal on a `FROM` line.
    static func isImageReference(_ text: String) -> Bool {
        text.utf8.count <= 512 && ImageReference.isValid(text)
    }

    /// Text for a comment line: control characters become spaces, and it is cut at `limit`.
    static func commentText(_ text: String, limit: Int = 160) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            let control =
                scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}"
            out.unicodeScalars.append(control ? " " : scalar)
        }
        return out
    }
}
