/// A version as pip orders it (PEP 440), for the releases the catalog holds.
///
/// Release numbers and a local label (`2.4.0+cu121`); pre-, post- and dev-releases are not read.
struct PipVersion: Hashable, Sendable, Comparable {
    /// `[2, 4, 0]`.
    var release: [Int]
    /// The local label's segments, lower case (`["cu121"]`, `["rocm6", "1"]`).
    var local: [String]

    init(release: [Int], local: [String]) {
        self.release = release
        self.local = local
    }

    /// Reads `2.4`, `2.4.0`, `v2.4.0+cu121`; nil for anything else.
    init?(_ text: some StringProtocol) {
        var body = Substring(text)
        if body.first == "v" || body.first == "V" { body = body.dropFirst() }
        let plus = body.firstIndex(of: "+")
        let public_ = plus.map { body[..<$0] } ?? body
        var release: [Int] = []
        for part in public_.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...6).contains(part.count), part.utf8.allSatisfy(ASCIIBytes.isDigit),
                let value = Int(part)
            else { return nil }
            release.append(value)
        }
        guard (1...4).contains(release.count) else { return nil }
        self.release = release
        if let plus {
            let label = body[body.index(after: plus)...].lowercased()
            let segments = label.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" })
            guard !segments.isEmpty,
                segments.allSatisfy({
                    $0.utf8.allSatisfy { ASCIIBytes.isDigit($0) || (0x61...0x7A).contains($0) }
                })
            else { return nil }
            local = segments.map(String.init)
        } else {
            local = []
        }
    }

    /// Release numbers compared as pip does: missing parts are zeros (`2.4` = `2.4.0`).
    static func compareRelease(_ left: [Int], _ right: [Int]) -> Int {
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    /// PEP 440's local ordering: a label sorts above none; segments compare in turn, numbers
    /// above words, words alphabetically; a longer label above its own prefix.
    static func compareLocal(_ left: [String], _ right: [String]) -> Int {
        for index in 0..<min(left.count, right.count) where left[index] != right[index] {
            let a = Int(left[index])
            let b = Int(right[index])
            switch (a, b) {
            case (let a?, let b?): return a < b ? -1 : 1
            case (.some, nil): return 1
            case (nil, .some): return -1
            case (nil, nil): return left[index] < right[index] ? -1 : 1
            }
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    static func < (left: PipVersion, right: PipVersion) -> Bool {
        let release = compareRelease(left.release, right.release)
        if release != 0 { return release < 0 }
        return compareLocal(left.local, right.local) < 0
    }
}

/// One clause of a version specifier: `>=2.1`, `==2.4.*`, `~=2.4.0`, `!=2.3.0`.
struct PipSpecifier: Hashable, Sendable {
    /// `==`, `!=`, `<=`, `>=`, `<`, `>`, `~=` (`===` reads as `==`).
    var op: String
    /// The version, local label included.
    var version: PipVersion
    /// `==2.4.*`: a prefix match.
    var wildcard = false

    /// The clauses of `>=2.1,<2.4` (blanks already removed); nil when one is not understood.
    static func parse(_ text: some StringProtocol) -> [PipSpecifier]? {
        var clauses: [PipSpecifier] = []
        for clause in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard
                let op = ["===", "==", "!=", "~=", ">=", "<=", ">", "<"].first(where: {
                    clause.hasPrefix($0)
                })
            else { return nil }
            var rest = clause.dropFirst(op.count)
            var wildcard = false
            if rest.hasSuffix(".*") {
                guard op == "==" || op == "!=" else { return nil }
                rest = rest.dropLast(2)
                wildcard = true
            }
            guard let version = PipVersion(rest), op != "~=" || version.release.count >= 2
            else { return nil }
            clauses.append(
                PipSpecifier(op: op == "===" ? "==" : op, version: version, wildcard: wildcard)
            )
        }
        return clauses.isEmpty ? nil : clauses
    }

    /// Whether pip takes `candidate` for this clause.
    ///
    /// A local label counts only for `==` and `!=` that name one; every other comparison
    /// ignores it (PEP 440).
    func admits(_ candidate: PipVersion) -> Bool {
        let order = PipVersion.compareRelease(candidate.release, version.release)
        switch op {
        case "==", "!=":
            let equal: Bool
            if wildcard {
                let prefix = Array(candidate.release.prefix(version.release.count))
                equal = PipVersion.compareRelease(prefix, version.release) == 0
            } else {
                equal = order == 0 && (version.local.isEmpty || version.local == candidate.local)
            }
            return op == "==" ? equal : !equal
        case ">=": return order >= 0
        case "<=": return order <= 0
        case ">": return order > 0
        case "<": return order < 0
        case "~=":
            let prefix = Array(version.release.dropLast())
            return order >= 0
                && PipVersion.compareRelease(Array(candidate.release.prefix(prefix.count)), prefix)
                    == 0
        default: return false
        }
    }
}

/// Where pip or uv looks for torch.
struct PipIndex: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// PyPI itself (`https://pypi.org/simple`), whose torch wheels carry no local label.
        case pypi
        /// One variant's index or wheel folder (`https://download.pytorch.org/whl/cu121`).
        case variant(String)
        /// Anything else: a mirror, a private index, a nightly index.
        case other
    }

    /// The URL as written, for messages.
    var url: String
    var kind: Kind

    /// PyPI and the public mirrors that copy it file for file (the Tsinghua, Aliyun, Huawei
    /// Cloud, USTC, Tencent, BFSU and Douban mirrors, each serving PyPI's simple API).
    static let pypiHosts: Set<String> = [
        "pypi.org", "www.pypi.org", "pypi.python.org", "pypi.tuna.tsinghua.edu.cn",
        "mirrors.tuna.tsinghua.edu.cn", "mirrors.aliyun.com", "repo.huaweicloud.com",
        "mirrors.huaweicloud.com", "pypi.mirrors.ustc.edu.cn", "mirrors.ustc.edu.cn",
        "mirrors.cloud.tencent.com", "mirrors.bfsu.edu.cn", "pypi.douban.com",
    ]

    /// What an index URL serves.
    static func kind(of url: String) -> Kind {
        let lower = url.lowercased()
        let path = lower.prefix { $0 != "#" && $0 != "?" }
        let segments = path.split(separator: "/").map(String.init)
        let host = lower.containsText("://") ? (segments.dropFirst().first ?? "") : ""
        if pypiHosts.contains(host), segments.last == "simple" { return .pypi }
        if segments.contains("nightly") || segments.contains("test") { return .other }
        if let last = segments.last, PipRequirement.isVariantName(last) { return .variant(last) }
        return .other
    }
}

/// `cuXYZ` index names download.pytorch.org served only for torch releases older than any the
/// catalog holds (pytorch.org/get-started/previous-versions: CUDA 7.5 to 11.5 wheels of torch
/// 0.4 to 1.11): a pin there is not judged, where a name outside this list and the catalog is
/// an index that does not exist.
let olderTorchIndexes: Set<String> = [
    "cu75", "cu80", "cu90", "cu91", "cu92", "cu100", "cu101", "cu110", "cu111", "cu115",
]

/// How uv picks among indexes (`--index-strategy`, `UV_INDEX_STRATEGY`).
enum IndexStrategy: String, Sendable {
    /// uv's default: the first index that has the package at all is the only one used.
    case firstIndex = "first-index"
    /// The first index that has a version that fits.
    case unsafeFirstMatch = "unsafe-first-match"
    /// Every index, the highest version wins: what pip always does.
    case unsafeBestMatch = "unsafe-best-match"
}

/// One torch wheel pip or uv can take: a catalog patch from PyPI or from a variant's index.
struct TorchWheel: Sendable {
    var release: TorchReleaseLine
    var patch: TorchPatch
    /// The variant (`cu121`); for PyPI, the variant PyPI's wheel for the machine is.
    var variant: String
    /// PyPI's build, when it comes from PyPI (no local label).
    var pypi: PyPIBuild?
    /// The index it comes from, for messages.
    var index: String
    /// The version pip compares: the patch, with the variant as local label off PyPI.
    let version: PipVersion

    init(
        release: TorchReleaseLine,
        patch: TorchPatch,
        variant: String,
        pypi: PyPIBuild?,
        index: String
    ) {
        self.release = release
        self.patch = patch
        self.variant = variant
        self.pypi = pypi
        self.index = index
        var version = PipVersion(patch.torch) ?? PipVersion(release: [0], local: [])
        if pypi == nil { version.local = [variant] }
        self.version = version
    }
}

/// What the indexes in play give for a torch requirement.
enum TorchResolution {
    /// The wheel pip or uv installs.
    case wheel(TorchWheel)
    /// No index in play has a fitting wheel, and the catalog knows each one's list: the
    /// install fails. The text says why.
    case missing(String)
    /// An index the catalog does not know could decide it.
    case unknown
}

/// Resolves torch against the indexes in play, as pip (highest version across every index)
/// or uv (by its index strategy) does.
///
/// Each index's list is built once and each distinct install resolved once, so a file of
/// thousands of installs costs a lookup per line.
struct TorchResolver {
    let catalog: TorchCatalog
    let machine: String
    private var lists: [String: [TorchWheel]?] = [:]
    private var answers: [String: TorchResolution] = [:]

    init(catalog: TorchCatalog, machine: String) {
        self.catalog = catalog
        self.machine = machine
    }
    /// Torch versions outside the catalog that a specifier might allow: when one is allowed
    /// and nothing in the catalog is, the install is not judged.
    static let outsideCatalog = ["0.4.1", "1.0.0", "1.5.0", "1.11.0", "2.99.0", "3.0.0"]
        .compactMap { PipVersion($0) }

    /// Every wheel an index has, nil when the catalog does not know the index's list.
    mutating func wheels(_ index: PipIndex) -> [TorchWheel]? {
        let key = index.url
        if let known = lists[key] { return known }
        let found = list(index)
        lists[key] = .some(found)
        return found
    }

    private func list(_ index: PipIndex) -> [TorchWheel]? {
        switch index.kind {
        case .other:
            return nil
        case .pypi:
            var out: [TorchWheel] = []
            for release in catalog.releases {
                guard let build = release.pypiDefault?.builds?[machine] else { continue }
                for patch in release.patches {
                    out.append(
                        TorchWheel(
                            release: release,
                            patch: patch,
                            variant: build.variant,
                            pypi: build,
                            index: index.url == "PyPI" ? "PyPI" : "PyPI (through \(index.url))"
                        )
                    )
                }
            }
            return out
        case .variant(let name):
            var out: [TorchWheel] = []
            for release in catalog.releases {
                guard let variant = release.variants.first(where: { $0.name == name })
                else { continue }
                for patch in release.patches where variant.patches?.contains(patch.torch) ?? true {
                    out.append(
                        TorchWheel(
                            release: release,
                            patch: patch,
                            variant: name,
                            pypi: nil,
                            index: index.url
                        )
                    )
                }
            }
            if out.isEmpty, olderTorchIndexes.contains(name) || !name.hasPrefix("cu") {
                return nil
            }
            return out
        }
    }

    /// The wheel installed for `specifiers` (empty: any version) from `indexes`, in the order
    /// the tool searches them, narrowed to `patches` where a companion pins torch.
    mutating func resolve(
        _ specifiers: [PipSpecifier],
        indexes: [PipIndex],
        strategy: IndexStrategy,
        patches: Set<String>? = nil
    ) -> TorchResolution {
        var key = strategy.rawValue
        for clause in specifiers {
            key += "\u{1}" + clause.op + (clause.wildcard ? "*" : "")
            key += clause.version.release.map(String.init).joined(separator: ".")
            key += "+" + clause.version.local.joined(separator: ".")
        }
        for index in indexes { key += "\u{2}" + index.url }
        key += "\u{3}" + (patches.map { $0.sorted().joined(separator: ",") } ?? "-")
        if let known = answers[key] { return known }
        let answer = decide(specifiers, indexes: indexes, strategy: strategy, patches: patches)
        answers[key] = answer
        return answer
    }

    private mutating func decide(
        _ specifiers: [PipSpecifier],
        indexes: [PipIndex],
        strategy: IndexStrategy,
        patches: Set<String>?
    ) -> TorchResolution {
        func fits(_ wheel: TorchWheel) -> Bool {
            (patches?.contains(wheel.patch.torch) ?? true)
                && specifiers.allSatisfy { $0.admits(wheel.version) }
        }
        let outsideAllowed =
            patches == nil
            && Self.outsideCatalog.contains { version in
                specifiers.allSatisfy { $0.admits(version) }
            }
        func best(_ wheels: [TorchWheel]) -> TorchWheel? {
            wheels.filter(fits).max { $0.version < $1.version }
        }
        /// `https://.../cu124 has torch 2.4.0 to 2.6.0, none that fits`.
        func holds(_ index: PipIndex, _ wheels: [TorchWheel]) -> String {
            let versions = wheels.map(\.patch.torch)
            guard let low = versions.min(by: { compareVersions($0, $1) < 0 }),
                let high = versions.max(by: { compareVersions($0, $1) < 0 })
            else {
                if case .variant(let name) = index.kind {
                    return "\(index.url) serves no torch (no release in the catalog has \(name) "
                        + "wheels)"
                }
                return "\(index.url) has no torch for \(machine)"
            }
            return
                "\(index.url) has torch \(low == high ? low : "\(low) to \(high)"), none that fits"
        }
        var lists: [[TorchWheel]?] = []
        for index in indexes { lists.append(wheels(index)) }
        let missing = zip(indexes, lists).map { holds($0, $1 ?? []) }.joined(separator: "; ")
        switch strategy {
        case .unsafeBestMatch:
            let all = lists.compactMap { $0 }.flatMap { $0 }
            if let found = best(all) { return .wheel(found) }
            // An index with torch may hold releases outside the catalog that the specifier
            // allows; one with none (an index that does not exist) holds nothing.
            let unknown = lists.contains { $0 == nil }
            if unknown || outsideAllowed && !all.isEmpty || indexes.isEmpty { return .unknown }
            return .missing(missing)
        case .firstIndex, .unsafeFirstMatch:
            for (index, list) in zip(indexes, lists) {
                guard let wheels = list else { return .unknown }
                guard !wheels.isEmpty else { continue }
                if let found = best(wheels) { return .wheel(found) }
                if strategy == .firstIndex {
                    if outsideAllowed { return .unknown }
                    return .missing(
                        "uv takes torch only from the first index that has it, "
                            + holds(index, wheels)
                            + " (uv's default index strategy first-index; "
                            + "--index-strategy unsafe-best-match searches every index)"
                    )
                }
            }
            let anyTorch = lists.contains { !($0 ?? []).isEmpty }
            if outsideAllowed && anyTorch || indexes.isEmpty { return .unknown }
            return .missing(missing)
        }
    }
}
