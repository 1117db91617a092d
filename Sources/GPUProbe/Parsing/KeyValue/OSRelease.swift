/// Reads `/etc/os-release` (or `/usr/lib/os-release`) into an ``OSInfo``.
public enum OSRelease {
    /// The distribution's `ID`, `VERSION_ID` and `PRETTY_NAME`.
    ///
    /// An empty value counts as absent: Debian testing, for example, ships no usable
    /// `VERSION_ID`, and an empty string in the report would read as a version.
    ///
    /// - Parameter text: The file's contents.
    /// - Returns: The fields found; missing ones are nil.
    public static func parse(_ text: String) -> OSInfo {
        let values = KeyValueFile.dictionary(text)
        func field(_ key: String) -> String? {
            guard let value = values[key], !value.isEmpty else { return nil }
            return value
        }
        return OSInfo(
            id: field("ID"),
            versionID: field("VERSION_ID"),
            prettyName: field("PRETTY_NAME")
        )
    }
}
