/// What the user asked of the PyTorch pick.
public struct TorchRequest: Hashable, Sendable {
    /// `--python X.Y`.
    public var python: String?
    /// `--torch VERSION`: a patch (`2.7.1`) or a line (`2.7`, its newest patch).
    public var torch: String?
    /// `--pip-index-url URL`: a mirror of the chosen index; `{variant}` in it is replaced by
    /// the variant name (`cu124`).
    public var pipIndexURL: String?
    /// `--cann VERSION`: the CANN an Ascend image carries (`8.1.RC1`, `9.0.0`).
    public var cann: String?

    /// Creates a request.
    public init(
        python: String? = nil,
        torch: String? = nil,
        pipIndexURL: String? = nil,
        cann: String? = nil
    ) {
        self.python = python
        self.torch = torch
        self.pipIndexURL = pipIndexURL
        self.cann = cann
    }

    /// `text` as a catalog CANN version (`8.1.rc1` → `8.1.RC1`), or nil when it is not
    /// `X.Y.Z` or `X.Y.RCN`.
    public static func cannVersion(_ text: String) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let third = parts[2].uppercased()
        let version = "\(parts[0]).\(parts[1]).\(third)"
        return CatalogShape.isCANN(version) ? version : nil
    }

    /// PyTorch's own index root.
    public static let defaultIndexRoot = "https://download.pytorch.org/whl"

    /// The index URL for a variant.
    public func indexURL(variant: String) -> String {
        guard let mirror = pipIndexURL else { return "\(Self.defaultIndexRoot)/\(variant)" }
        return mirror.replacingText("{variant}", with: variant)
    }

    /// Whether `text` is `3.X`.
    public static func isPythonVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0] == "3" && (1...2).contains(parts[1].count)
            && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether `text` is `X.Y` or `X.Y.Z` in decimal digits.
    public static func isTorchVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count)
            && parts.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }
            && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    /// Whether `text` is safe as a pip index URL in a shell line or Dockerfile: http(s), and
    /// only characters that no shell or Dockerfile parser treats specially.
    public static func isSafeIndexURL(_ text: String) -> Bool {
        guard text.hasPrefix("https://") || text.hasPrefix("http://"), text.count <= 512 else {
            return false
        }
        let allowed = Set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~:/%+=@-"
        )
        return text.replacingText("{variant}", with: "").allSatisfy(allowed.contains)
    }
}

/// Numeric parts of a dotted version (`2.10.0` → `[2, 10, 0]`); nil when a part is not 1–6
/// ASCII digits.
func numericParts(_ text: String) -> [Int]? { CatalogShape.numbers(text, parts: 1...8) }

/// Orders dotted versions numerically, padding the shorter with zeros (`580` == `580.0.0`).
func compareVersions(_ left: String, _ right: String) -> Int {
    let a = numericParts(left) ?? []
    let b = numericParts(right) ?? []
    for index in 0..<max(a.count, b.count) {
        let x = index < a.count ? a[index] : 0
        let y = index < b.count ? b[index] : 0
        if x != y { return x < y ? -1 : 1 }
    }
    return 0
}

extension PythonRange {
    /// True when `python` (`3.10`) lies in the range.
    public func admits(_ python: String) -> Bool {
        compareVersions(python, min) >= 0 && compareVersions(python, max) <= 0
    }
}
