/// The Ascend driver (HDK) release a driver version belongs to.
///
/// version.info (`Version=` / `package_version=`) and npu-smi's banner write the driver as
/// `24.1.rc2.2`, `25.0.rc1.1`, `24.1.0.1`, `25.5.1` or `23.0.0`; Huawei's tables name the
/// release as `24.1.RC2`, `25.0.RC1`, `25.5.1`. A fourth part is a patch build of the release
/// (HDK 25.0.RC1.1 ships driver `25.0.rc1.1` for release 25.0.RC1; HDK 23.0.2.1), so it is
/// dropped; `rc` is matched in any case. Release candidates come before the numbered releases
/// of the same `X.Y` (24.1.rc2 < 24.1.0 < 24.1.1).
public struct AscendDriverRelease: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `24` of `24.1.rc2`.
    public var major: Int
    /// `1` of `24.1.rc2`.
    public var minor: Int
    /// `2` of `24.1.rc2`; nil for a numbered release.
    public var candidate: Int?
    /// `1` of `25.5.1`; nil for a release candidate.
    public var patch: Int?

    /// Reads a driver version; nil when it is not `X.Y.Z`, `X.Y.rcN`, or one of those with a
    /// fourth numeric part.
    public init?(_ version: String) {
        let parts = version.trimmingASCIIWhitespace().lowercased()
            .split(separator: ".", omittingEmptySubsequences: false)
        guard (3...4).contains(parts.count),
            let major = Self.number(parts[0]),
            let minor = Self.number(parts[1])
        else { return nil }
        if parts.count == 4 && Self.number(parts[3]) == nil { return nil }
        self.major = major
        self.minor = minor
        if parts[2].hasPrefix("rc") {
            guard let candidate = Self.number(parts[2].dropFirst(2)) else { return nil }
            self.candidate = candidate
        } else {
            guard let patch = Self.number(parts[2]) else { return nil }
            self.patch = patch
        }
    }

    /// The release as the catalog writes it (`24.1.rc2`, `25.5.1`).
    public var description: String {
        if let candidate { return "\(major).\(minor).rc\(candidate)" }
        return "\(major).\(minor).\(patch ?? 0)"
    }

    /// Whether a catalog `driver_prefix` covers this release: the same release, or a family
    /// `X.Y` and a numbered release of it (Ascend's `25.5.X` names no release candidate).
    public func isCovered(by prefix: String) -> Bool {
        let parts = prefix.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2 {
            return candidate == nil && Self.number(parts[0]) == major
                && Self.number(parts[1]) == minor
        }
        return Self(prefix).map { $0 == self } ?? false
    }

    /// Whether `prefix` is a release (`24.1.rc2`, `25.5.1`, lower case, no patch build) or a
    /// family `X.Y`, the forms the catalog accepts.
    static func isPrefix(_ prefix: String) -> Bool {
        let parts = prefix.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2 { return parts.allSatisfy { number($0) != nil } }
        guard parts.count == 3, let release = Self(prefix) else { return false }
        return release.description == prefix
    }

    /// Release order: by `X.Y`, then release candidates before numbered releases.
    public static func < (left: Self, right: Self) -> Bool {
        (left.major, left.minor, left.rank) < (right.major, right.minor, right.rank)
    }

    /// Release candidates first, then numbered releases.
    private var rank: Int {
        if let candidate { return candidate - 1_000_000 }
        return patch ?? 0
    }

    private static func number(_ text: Substring) -> Int? {
        guard (1...6).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(text)
    }
}

/// Orders CANN versions: `8.0.RC3` < `8.0.0` < `8.1.RC1` < `9.1.1`.
enum CANNVersion {
    /// Sort key: major, minor, then release candidates before numbered releases.
    static func key(_ version: String) -> [Int] {
        let parts = version.uppercased().split(separator: ".")
        var key = parts.prefix(2).map { Int($0) ?? 0 }
        if parts.count > 2 {
            if parts[2].hasPrefix("RC") {
                key += [0, Int(parts[2].dropFirst(2)) ?? 0]
            } else {
                key += [1, Int(parts[2]) ?? 0]
            }
        }
        return key
    }

    /// True when `left` is newer than `right`.
    static func isNewer(_ left: String, than right: String) -> Bool {
        key(right).lexicographicallyPrecedes(key(left))
    }
}
