/// A node-feature-discovery local feature file: `name=value` lines and `#` comment lines.
///
/// nfd-worker reads every regular file in `/etc/kubernetes/node-feature-discovery/features.d/`
/// and turns each `name=value` line into a node label; `#` lines are comments, and those that
/// start with `# +` are directives, which is why no comment written here starts with `+`.
public struct NFDFeatureFile: Hashable, Sendable {
    /// One line of the file.
    public enum Line: Hashable, Sendable {
        /// `name=value`: a label nfd publishes.
        case label(name: String, value: String)
        /// A label that was not written, and why (`# skipped NAME: REASON`).
        case skipped(name: String, reason: String)
        /// A remark for the person who reads the file.
        case comment(String)
    }

    /// The lines after the header, in order.
    public var lines: [Line]

    /// Creates a file from its lines.
    public init(lines: [Line]) { self.lines = lines }

    /// The labels, by name.
    public var labels: [String: String] {
        var labels: [String: String] = [:]
        for case .label(let name, let value) in lines { labels[name] = value }
        return labels
    }

    /// The names of the labels that were skipped.
    public var skippedNames: [String] {
        lines.compactMap { line in
            if case .skipped(let name, _) = line { name } else { nil }
        }
    }

    /// The file's text: the header line, then one line each, every line ending in a newline.
    public var text: String {
        var out = NFDLabels.header + "\n"
        for line in lines {
            switch line {
            case .label(let name, let value):
                out += "\(name)=\(value)\n"
            case .skipped(let name, let reason):
                out += "# skipped \(name): \(EmitValidation.commentText(reason, limit: 400))\n"
            case .comment(let text):
                out += "# \(EmitValidation.commentText(text, limit: 400))\n"
            }
        }
        return out
    }
}

/// Maps a host report to node labels for node-feature-discovery.
///
/// NVIDIA facts use GPU Feature Discovery's label names and value forms, so node selectors and
/// affinities written for GFD select the same nodes. Everything else is under ``prefix``.
///
/// Three rules decide what is written:
/// - A label is a promise about every accelerator a pod on the node may be given. GFD describes
///   one product per node; on a node whose GPUs differ, a label whose value differs between them
///   (product, memory, compute capability, family) is left out rather than describing one GPU
///   and misleading a pod that gets another; `gpuprobe.io/nvidia.gpu.mixed=true` marks the node.
///   The same holds for Ascend NPUs.
/// - `nvidia.com/` labels come only from the driver (nvidia-smi), as GFD's come from NVML: a node
///   with no GPU, or with GPUs but no working driver, gets none, because GFD would not run there
///   and a pod selecting them could not use the GPU. Such a node still gets ``prefix`` labels for
///   what is installed and what is wrong (`gpuprobe.io/nvidia.problem`).
/// - A value that is not a valid Kubernetes label value is never written: nfd-worker would drop
///   it, or refuse the file's labels, with a message far from the cause. It is replaced by a
///   `# skipped NAME: REASON` comment line.
public enum NFDLabels {
    /// The prefix of the labels that are gpuprobe's own.
    ///
    /// Kubernetes wants a prefixed label's prefix to be a DNS subdomain naming who publishes
    /// it, and nfd refuses the `kubernetes.io` and `k8s.io` namespaces other than its own
    /// `feature.node.kubernetes.io`; that one is nfd's, and a name there would read as nfd's
    /// own feature. `gpuprobe.io` names the tool, is a valid subdomain, and cannot collide with
    /// GFD's `nvidia.com` labels, which may sit on the same node.
    public static let prefix = "gpuprobe.io"

    /// How the first line of every file starts; ``NFDFileWriter`` replaces only files that
    /// begin with it, so the rest of the header may change between releases.
    public static let ownerMarker = "# gpuprobe nfd labels"

    /// The first line of every file.
    public static let header =
        ownerMarker + " (written by `gpuprobe probe --format nfd`; replaced whole on every run, "
        + "so edits are lost)"

    /// The labels for `report`.
    ///
    /// - Parameter report: a host report, live or replayed.
    /// - Returns: the file, every label value valid for Kubernetes.
    public static func make(_ report: HostReport) -> NFDFeatureFile {
        var file = Builder()
        if let nvidia = report.nvidia {
            nvidiaLabels(nvidia, report: report, into: &file)
        }
        if let ascend = report.ascend {
            ascendLabels(ascend, report: report, into: &file)
        }
        if report.nvidia == nil, report.ascend == nil {
            file.comment("no NVIDIA GPU and no Ascend NPU on this host: no labels")
        }
        return NFDFeatureFile(lines: file.lines)
    }

    /// Whether `value` is a label value Kubernetes accepts and carries meaning: 1 to 63
    /// characters of letters, digits, `-`, `_` and `.`, starting and ending with a letter or a
    /// digit.
    ///
    /// Kubernetes also accepts the empty value; it is never written here, because a selector
    /// cannot tell it from a missing fact.
    public static func isValidValue(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else {
            return false
        }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
        }
        return alphanumeric(first) && alphanumeric(last)
            && bytes.allSatisfy { alphanumeric($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// A product name in GFD's form: spaces become `-`, then every character other than
    /// letters, digits, `-`, `_` and `.` is dropped (`NVIDIA A100-SXM4-80GB` →
    /// `NVIDIA-A100-SXM4-80GB`).
    public static func product(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { $0 == " " ? "-" : $0 }.filter {
                    $0.isASCII
                        && (("a"..."z").contains($0) || ("A"..."Z").contains($0)
                            || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
                }
            )
        )
    }

    /// GFD's `nvidia.com/gpu.family` for a compute capability; nil where GFD's table has no
    /// name (it writes `undefined` there, Blackwell included in the versions we read).
    ///
    /// The table is GFD's (k8s-device-plugin `internal/lm/resource.go`), with `ada-lovelace`
    /// for 8.9 as newer releases write it.
    public static func family(major: Int, minor: Int) -> String? {
        switch major {
        case 1: "tesla"
        case 2: "fermi"
        case 3: "kepler"
        case 5: "maxwell"
        case 6: "pascal"
        case 7: minor < 5 ? "volta" : "turing"
        case 8: minor < 9 ? "ampere" : "ada-lovelace"
        case 9: "hopper"
        default: nil
        }
    }

    // MARK: - NVIDIA

    private static func nvidiaLabels(
        _ nvidia: NvidiaSection,
        report: HostReport,
        into file: inout Builder
    ) {
        // nvidia-smi lists every GPU with at least one of these; a GPU known only from the PCI
        // bus (no driver, or fallen off the bus) has none, and GFD would not count it.
        let listed = nvidia.gpus.filter {
            $0.index != nil || $0.uuid != nil || $0.memoryTotalMiB != nil
                || $0.minorNumber != nil
        }
        if listed.isEmpty {
            file.comment("no NVIDIA GPU listed by nvidia-smi: no nvidia.com labels")
        } else {
            driverLabels(nvidia, into: &file)
            gpuLabels(listed, into: &file)
        }
        if let module = nvidia.kernelModuleVersion {
            file.add("\(prefix)/nvidia.kernel-module-version", module)
        }
        problemLabel(.nvidia, report, into: &file)
    }

    /// GFD splits NVML's driver version at the dots and keeps each part as written (`03`).
    private static func driverLabels(_ nvidia: NvidiaSection, into file: inout Builder) {
        let name = "nvidia.com/cuda.driver-version"
        if let driver = nvidia.driverVersion {
            let parts = driver.split(separator: ".", omittingEmptySubsequences: false)
            if (2...3).contains(parts.count), parts.allSatisfy(isDigits) {
                file.add("\(name).major", String(parts[0]))
                file.add("\(name).minor", String(parts[1]))
                if parts.count == 3 {
                    file.add("\(name).revision", String(parts[2]))
                } else {
                    file.skip(
                        "\(name).revision",
                        "driver \(driver) has no revision part (GFD writes an empty value)"
                    )
                }
                file.add("\(name).full", driver)
            } else {
                file.skip("\(name).*", "driver version '\(driver)' is not major.minor[.revision]")
            }
        } else {
            file.skip("\(name).*", "nvidia-smi did not report the driver version")
        }
        let runtime = "nvidia.com/cuda.runtime-version"
        if let cuda = nvidia.cudaVersion {
            let parts = cuda.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
                parts.allSatisfy(isDigits)
            {
                file.add("\(runtime).major", "\(major)")
                file.add("\(runtime).minor", "\(minor)")
                file.add("\(runtime).full", "\(major).\(minor)")
            } else {
                file.skip("\(runtime).*", "CUDA version '\(cuda)' is not major.minor")
            }
        } else {
            file.skip("\(runtime).*", "nvidia-smi did not report the CUDA version")
        }
    }

    private static func gpuLabels(_ gpus: [NvidiaGPU], into file: inout Builder) {
        file.add("nvidia.com/gpu.count", "\(gpus.count)")
        var mixed = false
        func common(_ name: String, _ what: String, _ values: [String?]) {
            switch agreement(values) {
            case .same(let value): file.add(name, value)
            case .unknown: file.skip(name, "the \(what) is not known for every GPU")
            case .differ(let values):
                mixed = true
                file.skip(
                    name,
                    "the GPUs differ (\(values.joined(separator: ", "))); a label must hold for "
                        + "every GPU a pod may get"
                )
            }
        }
        common(
            "nvidia.com/gpu.product",
            "product name",
            // The default table cuts long names with `...`: the rest is unknown.
            gpus.map { $0.name.flatMap { $0.hasSuffix("...") ? nil : product($0) } }
        )
        common(
            "nvidia.com/gpu.memory",
            "memory size",
            gpus.map { $0.memoryTotalMiB.map(String.init) }
        )
        let capabilities = gpus.map { $0.computeCapability.flatMap(ComputeCapability.init) }
        common(
            "nvidia.com/gpu.compute.major",
            "compute capability",
            capabilities.map { $0.map { String($0.major) } }
        )
        common(
            "nvidia.com/gpu.compute.minor",
            "compute capability",
            capabilities.map { $0.map { String($0.minor) } }
        )
        if let unnamed = capabilities.compactMap({ $0 }).first(where: {
            family(major: $0.major, minor: $0.minor) == nil
        }) {
            file.skip(
                "nvidia.com/gpu.family",
                "GFD's table has no family for compute capability \(unnamed) (it writes "
                    + "'undefined', which newer releases may replace)"
            )
        } else {
            common(
                "nvidia.com/gpu.family",
                "compute capability",
                capabilities.map { $0.flatMap { family(major: $0.major, minor: $0.minor) } }
            )
        }
        if mixed { file.add("\(prefix)/nvidia.gpu.mixed", "true") }
    }

    // MARK: - Ascend

    private static func ascendLabels(
        _ ascend: AscendSection,
        report: HostReport,
        into file: inout Builder
    ) {
        if let driver = ascend.driverVersion {
            file.add("\(prefix)/ascend.driver-version", driver)
        }
        let npus = ascend.npus
        if !npus.isEmpty {
            // One per chip, as npu-smi lists them and as /dev/davinciN numbers them.
            file.add("\(prefix)/ascend.npu.count", "\(npus.count)")
            let name = "\(prefix)/ascend.npu.product"
            switch agreement(npus.map { $0.name.map(product) }) {
            case .same(let value): file.add(name, value)
            case .unknown: file.skip(name, "the chip name is not known for every NPU")
            case .differ(let values):
                file.skip(
                    name,
                    "the NPUs differ (\(values.joined(separator: ", "))); a label must hold for "
                        + "every NPU a pod may get"
                )
                file.add("\(prefix)/ascend.npu.mixed", "true")
            }
        }
        problemLabel(.ascend, report, into: &file)
    }

    // MARK: - Shared

    /// The first error the report has for `source`, as its stable code (`version_mismatch`),
    /// so that broken nodes can be found with `kubectl get nodes -l gpuprobe.io/nvidia.problem`.
    private static func problemLabel(
        _ source: Diagnostic.Source,
        _ report: HostReport,
        into file: inout Builder
    ) {
        if let problem = report.diagnostics.first(where: {
            $0.source == source && $0.severity == .error
        }) {
            file.add("\(prefix)/\(source.rawValue).problem", problem.code.rawValue)
        }
    }

    private enum Agreement {
        case same(String)
        case unknown
        case differ([String])
    }

    private static func agreement(_ values: [String?]) -> Agreement {
        let known = values.compactMap { $0 }
        guard known.count == values.count, let first = known.first else { return .unknown }
        var distinct: [String] = []
        for value in known where !distinct.contains(value) { distinct.append(value) }
        return distinct.count == 1 ? .same(first) : .differ(distinct)
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// Collects lines; every value passes ``NFDLabels/isValidValue(_:)`` or becomes a comment.
    private struct Builder {
        var lines: [NFDFeatureFile.Line] = []

        mutating func add(_ name: String, _ value: String) {
            if NFDLabels.isValidValue(value) {
                lines.append(.label(name: name, value: value))
            } else {
                skip(
                    name,
                    "'\(value)' is not a valid label value (1 to 63 letters, digits, '-', '_' or "
                        + "'.', starting and ending with a letter or digit)"
                )
            }
        }

        mutating func skip(_ name: String, _ reason: String) {
            lines.append(.skipped(name: name, reason: reason))
        }

        mutating func comment(_ text: String) { lines.append(.comment(text)) }
    }
}
