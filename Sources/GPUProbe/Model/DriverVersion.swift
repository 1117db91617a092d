/// An NVIDIA driver version (`550.54.14`, `570.26`, `550.135`), ordered part by part as numbers.
///
/// The text is kept as written: userspace and kernel module must match as strings, and
/// `535.171.04` is not the same release as `535.171.4` to NVML.
public struct DriverVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The version exactly as written.
    public let text: String
    /// The numeric parts (`[550, 54, 14]`).
    public let parts: [Int]

    /// Parses two to four dot-separated decimal parts; nil for anything else.
    public init?(_ text: String) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...4).contains(pieces.count) else { return nil }
        var parts: [Int] = []
        for piece in pieces {
            guard !piece.isEmpty, piece.count <= 6,
                piece.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(piece)
            else { return nil }
            parts.append(value)
        }
        self.text = text
        self.parts = parts
    }

    /// The branch: the first part (`550` for `550.54.14`).
    public var branch: Int { parts[0] }

    /// The version as written.
    public var description: String { text }

    /// Numeric order part by part; `570.26` < `570.124.06`.
    public static func < (lhs: DriverVersion, rhs: DriverVersion) -> Bool {
        for (left, right) in zip(lhs.parts, rhs.parts) where left != right { return left < right }
        if lhs.parts.count != rhs.parts.count { return lhs.parts.count < rhs.parts.count }
        return lhs.text < rhs.text
    }

    /// Same text: `535.171.04` and `535.171.4` are different builds to NVML.
    public static func == (lhs: DriverVersion, rhs: DriverVersion) -> Bool { lhs.text == rhs.text }

    /// Hashes the text, consistent with ``==(lhs:rhs:)``.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
