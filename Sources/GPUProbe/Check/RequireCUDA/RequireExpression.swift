/// The `NVIDIA_REQUIRE_*` constraint language, evaluated as libnvidia-container evaluates it
/// when the NVIDIA container runtime hook runs `nvidia-container-cli configure --require=…`.
///
/// From libnvidia-container `src/cli/dsl.c` (`dsl_evaluate`, `evaluate_rule`) and
/// `src/cli/configure.c` (the rules table):
/// - a value is space-separated terms, ORed; a term is comma-separated factors, ANDed; empty
///   terms and factors are skipped; terms are tried in order and the first that holds ends it;
///   within a term the first false factor ends the term, so a later factor is never read;
/// - a factor is `key op value`, `op` one of `= != < <= > >=`, the key one of `cuda`,
///   `driver`, `arch`, `brand`, matched case-insensitively; any other key, or a factor that is
///   not of that shape, is `invalid expression` and the container fails;
/// - `cuda`, `driver` and `arch` compare dotted numbers field by field; `brand` allows only
///   `=` and `!=` and compares case-insensitively;
/// - when every term fails, the error names the first term: `unsatisfied condition: <term>`,
///   with `, please update your driver to a newer version, or use an earlier cuda container`
///   when that term starts with `cuda>=`.
enum RequireExpression {
    /// What one GPU offers the factors.
    ///
    /// The driver's CUDA version (`nvmlSystemGetCudaDriverVersion`, major.minor), the driver
    /// version (`nvmlSystemGetDriverVersion`), the GPU's brand and compute capability. A nil
    /// value is one not known here.
    struct Subject: Hashable, Sendable {
        var cuda: CUDAVersion?
        var driver: DriverVersion?
        var brand: String?
        var arch: ComputeCapability?
        /// No GPU is selected: libnvidia-container then evaluates once with no device, and
        /// `brand` and `arch` factors hold ("No device is visible, assume the brand is ok").
        var noDevice = false
    }

    /// The result for one value.
    enum Outcome: Hashable, Sendable {
        /// A term holds: the term.
        case satisfied(String)
        /// Every term fails; libnvidia-container's message.
        case unsatisfied(String)
        /// A factor libnvidia-container cannot read: the factor.
        case invalid(String)
        /// A factor needs a value not known here (the compute capability): the factor.
        case unknown(String)
    }

    /// Evaluates one `NVIDIA_REQUIRE_*` value for one GPU.
    static func evaluate(_ value: String, _ subject: Subject) -> Outcome {
        var firstTerm: String?
        var unknownFactor: String?
        for term in value.split(separator: " ") {
            if firstTerm == nil { firstTerm = String(term) }
            var holds: Bool? = true
            for factor in term.split(separator: ",") {
                switch evaluate(factor: factor, subject) {
                case .value(true):
                    continue
                case .value(false):
                    holds = false
                case .unknown:
                    unknownFactor = unknownFactor ?? String(factor)
                    holds = nil
                    continue
                case .invalid:
                    // After an unknown factor the real run may have stopped before this one.
                    return unknownFactor.map { .unknown($0) } ?? .invalid(String(factor))
                }
                break
            }
            if holds == true { return .satisfied(String(term)) }
        }
        if let unknownFactor { return .unknown(unknownFactor) }
        guard let firstTerm else { return .satisfied("") }
        let advice =
            firstTerm.hasPrefix("cuda>=")
            ? ", please update your driver to a newer version, or use an earlier cuda container"
            : ""
        return .unsatisfied("unsatisfied condition: \(firstTerm)\(advice)")
    }

    private enum Factor {
        case value(Bool)
        case unknown
        case invalid
    }

    private static func evaluate(factor: Substring, _ subject: Subject) -> Factor {
        guard let opStart = factor.firstIndex(where: { "=!<>".contains($0) }) else {
            return .invalid
        }
        let key = factor[..<opStart].lowercased()
        var opEnd = factor.index(after: opStart)
        if opEnd < factor.endIndex, factor[opEnd] == "=", factor[opStart] != "=" {
            opEnd = factor.index(after: opEnd)
        }
        let op = String(factor[opStart..<opEnd])
        let value = String(factor[opEnd...])
        guard op != "!", !value.isEmpty else { return .invalid }
        switch key {
        case "brand":
            guard op == "=" || op == "!=" else { return .invalid }
            if subject.noDevice { return .value(true) }
            guard let brand = subject.brand else { return .unknown }
            let equal = brand.lowercased() == value.lowercased()
            return .value(op == "=" ? equal : !equal)
        case "cuda":
            guard let cuda = subject.cuda else { return .unknown }
            return compare([cuda.major, cuda.minor], op, value)
        case "driver":
            guard let driver = subject.driver else { return .unknown }
            return compare(driver.parts, op, value)
        case "arch":
            if subject.noDevice { return .value(true) }
            guard let arch = subject.arch else { return .unknown }
            return compare([arch.major, arch.minor], op, value)
        default:
            return .invalid
        }
    }

    /// Dotted numbers compared field by field, a missing field read as 0.
    private static func compare(_ have: [Int], _ op: String, _ text: String) -> Factor {
        guard let want = DataTable.versionParts(text) else { return .invalid }
        var order = 0
        for index in 0..<max(have.count, want.count) {
            let left = index < have.count ? have[index] : 0
            let right = index < want.count ? want[index] : 0
            if left != right {
                order = left < right ? -1 : 1
                break
            }
        }
        switch op {
        case "=": return .value(order == 0)
        case "!=": return .value(order != 0)
        case "<": return .value(order < 0)
        case "<=": return .value(order <= 0)
        case ">": return .value(order > 0)
        case ">=": return .value(order >= 0)
        default: return .invalid
        }
    }
}
