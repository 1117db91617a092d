/// GPU brands as the NVIDIA container toolkit names them, which `brand=` in an image's
/// `NVIDIA_REQUIRE_CUDA` is compared with.
///
/// libnvidia-container turns NVML's `nvmlDeviceGetBrand` into these names (`src/driver.c`,
/// `driver_get_device_brand_1_svc`, since v1.9.0); any other NVML value reads `Unknown`. The
/// comparison is case-insensitive (`src/cli/dsl.c`, `dsl_compare_string`).
public enum GPUBrand {
    /// Every name libnvidia-container gives, lower-cased.
    public static let tokens: Set<String> = [
        "quadro", "tesla", "nvs", "grid", "geforce", "titan", "vapps", "vpc", "vcs", "vws",
        "cloudgaming", "quadrortx", "nvidiartx", "nvidia", "geforcertx", "titanrtx", "unknown",
    ]

    /// The brands of a physical consumer card, which the 12.5+ image strings leave out.
    static let consumer: Set<String> = ["geforce", "geforcertx", "titan", "titanrtx"]

    /// nvidia-smi's `Product Brand` label as the toolkit's name: `NVIDIA RTX` → `nvidiartx`,
    /// `NVIDIA Virtual Compute Server` → `vcs`.
    ///
    /// The labels are NVML's (`nvml.h` comments of `nvmlBrandType_t`, as nvidia-smi prints
    /// them); a label nvidia-smi did not have when this was written is an NVML brand that
    /// libnvidia-container does not know either, so it reads `unknown`. nil for an empty label.
    ///
    /// - Parameter label: the label as printed.
    /// - Returns: the token, or nil.
    public static func token(label: String) -> String? {
        let squeezed = String(
            label.lowercased().unicodeScalars.filter { $0 != " " && $0 != "\t" }
                .map(Character.init)
        )
        guard !squeezed.isEmpty else { return nil }
        let labels: [String: String] = [
            "nvidiavirtualcomputeserver": "vcs",
            "nvidiartxvirtualworkstation": "vws",
            "nvidiavirtualpc": "vpc",
            "nvidiavirtualapplications": "vapps",
            "nvidiacloudgaming": "cloudgaming",
        ]
        if let token = labels[squeezed] { return token }
        return tokens.contains(squeezed) ? squeezed : "unknown"
    }

    /// How a GPU's brand was found.
    enum Origin: Hashable, Sendable {
        /// nvidia-smi's `Product Brand`, in the host report.
        case reported
        /// The GPU's name is in the brand table (`data/nvml_brand_by_name.tsv`).
        case table
        /// A rule on the GPU's name (`GeForce ...` → geforce).
        case name
    }

    /// A GPU's brand and how it was found; nil brand when neither the report nor the name says.
    struct Found: Hashable, Sendable {
        var brand: String?
        var origin: Origin?
    }

    /// The brand of a GPU: nvidia-smi's, else its name in `table`, else the rules of
    /// ``guess(name:)``.
    static func of(_ gpu: MatchHost.GPU, table: GPUBrandTable) -> Found {
        if let reported = gpu.productBrand, tokens.contains(reported) {
            return Found(brand: reported, origin: .reported)
        }
        if let listed = table.brand(named: gpu.name) {
            return Found(brand: listed, origin: .table)
        }
        if let guessed = guess(name: gpu.name) {
            return Found(brand: guessed, origin: .name)
        }
        return Found(brand: nil, origin: nil)
    }

    /// The brand a GPU's name implies, from the names nvidia-smi printed beside each brand
    /// (`data/nvml_brand_by_name.tsv`); nil when the name says nothing sure.
    ///
    /// GeForce RTX cards read `GeForce` and TITAN RTX `Titan` (NVML marks GEFORCE_RTX and
    /// TITAN_RTX unused); pre-Ampere `Tesla` cards read `Tesla` but the T4 reads `NVIDIA`;
    /// Ampere and later data-centre parts, the RTX PRO Server Edition included, read `NVIDIA`;
    /// `NVIDIA RTX A…` and `… Ada Generation` workstation cards read `NVIDIA RTX`; vGPU guests
    /// read by their profile's letter (`-8C` compute, `-12Q` workstation, `-2B` PC, `-4A`
    /// applications).
    static func guess(name: String) -> String? {
        let text = name.trimmingBlanks
        let lower = text.lowercased()
        if let profile = vGPUProfile(lower) { return profile }
        if lower.containsText("geforce") { return "geforce" }
        if lower.containsText("titan") { return "titan" }
        if lower.hasPrefix("tesla ") {
            return lower.hasPrefix("tesla t4") ? "nvidia" : "tesla"
        }
        if lower.hasPrefix("quadro rtx") { return "quadrortx" }
        if lower.hasPrefix("quadro") { return "quadro" }
        if lower.hasPrefix("nvs ") { return "nvs" }
        if lower.hasPrefix("grid ") { return "grid" }
        if lower.hasPrefix("nvidia rtx a") || lower.hasSuffix(" ada generation") {
            return "nvidiartx"
        }
        if lower.hasPrefix("nvidia rtx pro") {
            return lower.containsText("server edition") ? "nvidia" : "nvidiartx"
        }
        if lower.hasPrefix("nvidia ") {
            // Data-centre parts: A100, H100, L4, A10G, GH200, B200...
            let model = lower.dropFirst("nvidia ".count).prefix { $0 != " " && $0 != "-" }
            if let first = model.first, first.isLetter, model.contains(where: \.isNumber) {
                return "nvidia"
            }
        }
        return nil
    }

    /// `vcs` for `GRID V100D-8C`, `vws` for `NVIDIA A10-12Q`: the letter after the last `-`
    /// and the frame-buffer size.
    private static func vGPUProfile(_ lower: String) -> String? {
        guard let dash = lower.lastIndex(of: "-") else { return nil }
        let profile = lower[lower.index(after: dash)...]
        guard let letter = profile.last, profile.count >= 2,
            profile.dropLast().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        switch letter {
        case "c": return "vcs"
        case "q": return "vws"
        case "b": return "vpc"
        case "a": return "vapps"
        default: return nil
        }
    }
}

/// GPU names with the brand nvidia-smi printed for them (`data/nvml_brand_by_name.tsv`).
///
/// Compiled in from the repository's file (``embedded``); `gpuprobe check --gpu-brands FILE`
/// reads another of the same form.
public struct GPUBrandTable: Hashable, Sendable {
    /// One observed name.
    public struct Row: Hashable, Sendable {
        /// The product name as nvidia-smi printed it.
        public var name: String
        /// The toolkit's brand name (``GPUBrand/tokens``).
        public var brand: String
        /// Where it was seen.
        public var source: String
    }

    /// The rows, in file order.
    public private(set) var rows: [Row]
    private var byName: [String: String] = [:]

    /// The columns of the file, in order.
    public static let header = ["name", "brand", "source"]

    /// The name messages give the compiled-in table.
    public static let embeddedFileName = "data/nvml_brand_by_name.tsv (embedded)"

    /// Creates a table.
    public init(rows: [Row]) {
        self.rows = rows
        for row in rows { byName[row.name.lowercased()] = row.brand }
    }

    /// The repository's table, as compiled in.
    public static let embedded: GPUBrandTable = {
        do {
            return try decode(embeddedText, file: embeddedFileName)
        } catch {
            preconditionFailure("the embedded GPU brand table is invalid: \(error)")
        }
    }()

    /// Reads a file in the form of `data/nvml_brand_by_name.tsv` (`--gpu-brands FILE`).
    ///
    /// - Parameter path: the file.
    /// - Returns: the table.
    /// - Throws: ``DataFileError`` naming the line that is not a valid row.
    public static func load(path: String) throws(DataFileError) -> GPUBrandTable {
        try decode(try DataTable.read(path: path), file: path)
    }

    /// Reads the text of a file in the form of `data/nvml_brand_by_name.tsv`.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - file: the name messages give it.
    /// - Returns: the table.
    /// - Throws: ``DataFileError`` naming the line that is not a valid row, or a name listed
    ///   twice with different brands.
    public static func decode(_ text: String, file: String) throws(DataFileError) -> GPUBrandTable {
        var rows: [Row] = []
        var seen: [String: (brand: String, line: Int)] = [:]
        for (line, columns) in try DataTable.rows(text, header: header, file: file) {
            let row = Row(name: columns[0].trimmingBlanks, brand: columns[1], source: columns[2])
            guard !row.name.isEmpty, row.name.count <= 200 else {
                throw DataFileError(file: file, line: line, problem: "the name is empty")
            }
            guard GPUBrand.tokens.contains(row.brand) else {
                throw DataFileError(
                    file: file,
                    line: line,
                    problem: "brand \(CatalogText.quoted(row.brand)) is not one of "
                        + GPUBrand.tokens.sorted().joined(separator: ", ")
                )
            }
            let key = row.name.lowercased()
            if let earlier = seen[key], earlier.brand != row.brand {
                throw DataFileError(
                    file: file,
                    line: line,
                    problem: "\(CatalogText.quoted(row.name)) is listed with brand "
                        + "\(earlier.brand) on line \(earlier.line)"
                )
            }
            seen[key] = (row.brand, line)
            rows.append(row)
        }
        return GPUBrandTable(rows: rows)
    }

    /// The brand listed for a name (case-insensitive), when it is listed.
    public func brand(named name: String) -> String? {
        byName[name.trimmingBlanks.lowercased()]
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingBlanks: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
