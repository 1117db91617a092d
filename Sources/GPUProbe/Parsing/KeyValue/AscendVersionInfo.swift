/// Reads `/usr/local/Ascend/driver/version.info`, the Ascend driver's version file.
public enum AscendVersionInfo {
    /// The driver version: `package_version`, else `Version`, exactly as written.
    ///
    /// Older drivers (24.1.rc1 and before) have no `package_version`, and where both exist
    /// they agree, so the fallback loses nothing. Empty values count as absent.
    ///
    /// - Parameter text: The contents of `version.info`.
    /// - Returns: The version string, or nil when the file names none.
    public static func driverVersion(from text: String) -> String? {
        let values = KeyValueFile.dictionary(text)
        for key in ["package_version", "Version"] {
            if let value = values[key], !value.isEmpty { return value }
        }
        return nil
    }
}
