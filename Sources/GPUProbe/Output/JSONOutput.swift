/// Renders documents as pretty JSON with sorted keys: stable output that diffs well.
public enum JSONOutput {
    /// Encodes `value`; the text ends with a newline.
    ///
    /// - Parameter value: any of the model's documents.
    /// - Returns: UTF-8 JSON text.
    public static func render(_ value: some Encodable) -> String {
        // The model holds only strings, numbers, booleans and finite doubles; encoding cannot fail.
        guard let data = try? JSONCoding.encode(value, layout: .pretty) else {
            preconditionFailure("the host model failed to encode as JSON")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
