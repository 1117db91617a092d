/// A CUDA compute capability (`8.6`), ordered by major then minor.
public struct ComputeCapability: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `8` in `8.6`.
    public let major: Int
    /// `6` in `8.6`.
    public let minor: Int

    /// Parses `major.minor` (one or two digits each); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
            (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            major >= 0, minor >= 0
        else { return nil }
        self.major = major
        self.minor = minor
    }

    /// `8.6`.
    public var description: String { "\(major).\(minor)" }

    /// Major first, then minor.
    public static func < (lhs: ComputeCapability, rhs: ComputeCapability) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// Tegra parts that no other SASS of their major runs on (5.0 does not cover 5.3, 6.0
    /// and 6.1 not 6.2, 7.0 not 7.2, 8.0 and 8.6 not 8.7), per PyTorch's own compatibility
    /// warning text.
    static let tegra: Set<ComputeCapability> = [
        .init(major: 5, minor: 3), .init(major: 6, minor: 2), .init(major: 7, minor: 2),
        .init(major: 8, minor: 7),
    ]

    private init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Whether SASS built for `self` runs on a GPU of capability `gpu`: same major, minor at
    /// or below the GPU's, Tegra parts only by their own SASS.
    public func sassRuns(on gpu: ComputeCapability) -> Bool {
        if Self.tegra.contains(gpu) { return self == gpu }
        return major == gpu.major && minor <= gpu.minor
    }

    /// Whether PTX built for `self` can be JIT-compiled for `gpu` (any newer capability).
    public func ptxRuns(on gpu: ComputeCapability) -> Bool { self <= gpu }
}

/// A CUDA toolkit version (`12.8`), ordered numerically.
public struct CUDAVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `12` in `12.8`.
    public let major: Int
    /// `8` in `12.8`.
    public let minor: Int

    /// Parses `major.minor` (a trailing `.patch` is ignored); nil otherwise.
    public init?(_ text: String) {
        // Read on the UTF-8 bytes: the check reads one per catalog row and base image, and
        // Character-level splitting was a measurable part of its time.
        var parts: [Int] = []
        var value = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts.count < 2 else { return nil }
                parts.append(value)
                value = 0
                digits = 0
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 3 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0, parts.count >= 1 else { return nil }
        parts.append(value)
        self.major = parts[0]
        self.minor = parts[1]
    }

    /// `12.8`.
    public var description: String { "\(major).\(minor)" }

    /// Major first, then minor.
    public static func < (lhs: CUDAVersion, rhs: CUDAVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
