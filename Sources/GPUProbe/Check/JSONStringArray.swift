/// The exec form of `RUN`, `SHELL`, `CMD`, `COPY`: a JSON array of strings.
///
/// The builder treats text that is not such an array as the shell form, and so does this.
enum JSONStringArray {
    /// The strings of `text` (`["/bin/bash", "-c"]`), or nil when it is not exactly a JSON
    /// array of strings (surrounding blanks allowed).
    static func parse(_ text: Substring) -> [String]? {
        guard case .array(let elements)? = try? JSONParser.parse(Array(text.utf8)) else {
            return nil
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let string) = element else { return nil }
            strings.append(string)
        }
        return strings
    }
}
