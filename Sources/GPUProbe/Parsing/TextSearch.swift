/// Substring search and replace, byte for byte in UTF-8.
///
/// The standard library's `contains(_:)`, `firstRange(of:)`, `replacing(_:with:)` and
/// `split(separator:)` taking a string live in `_StringProcessing`, whose code and regex parser
/// are 1 MB of the portable binary (`make dist`) for these four calls. gpuprobe searches for
/// ASCII words and marks in tool outputs, paths and shell text, where a byte match is also
/// the stricter one: a mark followed by a combining accent is still found.
extension StringProtocol {
    /// Whether `text` occurs in this string; an empty `text` always does.
    func containsText(_ text: some StringProtocol) -> Bool {
        rangeOfText(text) != nil
    }

    /// The first occurrence of `text`; nil when there is none.
    func rangeOfText(_ text: some StringProtocol) -> Range<Index>? {
        utf8.rangeOfRun(text.utf8)
    }

    /// A copy with every occurrence of `text`, left to right and not overlapping, replaced by
    /// `replacement`.
    func replacingText(_ text: some StringProtocol, with replacement: some StringProtocol) -> String
    {
        guard !text.isEmpty else { return String(self) }
        var result = ""
        var rest = self[...]
        while let range = rest.rangeOfText(text) {
            result.append(contentsOf: rest[..<range.lowerBound])
            result.append(contentsOf: replacement)
            rest = rest[range.upperBound...]
        }
        result.append(contentsOf: rest)
        return result
    }

    /// The pieces between occurrences of `separator`, empty pieces dropped (as `split` does).
    func splitting(onText separator: some StringProtocol) -> [SubSequence] {
        var pieces: [SubSequence] = []
        var rest = self[...]
        while !separator.isEmpty, let range = rest.rangeOfText(separator) {
            if range.lowerBound != rest.startIndex { pieces.append(rest[..<range.lowerBound]) }
            rest = rest[range.upperBound...]
        }
        if !rest.isEmpty { pieces.append(rest) }
        return pieces
    }
}

extension Collection where Element: Equatable {
    /// The first place where `run`'s elements occur one after another; an empty `run` is
    /// found at the start.
    func rangeOfRun(_ run: some Collection<Element>) -> Range<Index>? {
        guard let first = run.first else { return startIndex..<startIndex }
        var start = startIndex
        while let found = self[start...].firstIndex(of: first) {
            var end = found
            var matched = run.startIndex
            while matched != run.endIndex, end != endIndex, self[end] == run[matched] {
                run.formIndex(after: &matched)
                formIndex(after: &end)
            }
            if matched == run.endIndex { return found..<end }
            start = index(after: found)
        }
        return nil
    }
}
