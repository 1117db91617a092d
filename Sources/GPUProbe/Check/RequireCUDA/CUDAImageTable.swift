/// The `NVIDIA_REQUIRE_CUDA` string of every `nvidia/cuda` image: one row per CUDA version,
/// flavour (`ubuntu22.04`, `ubi9`...) and architecture (`x86_64`, `sbsa`, `ppc64le`).
///
/// The repository's `data/nvidia_require_cuda.tsv` is compiled in (``embedded``, made by
/// `scripts/embed-cuda-images`); `gpuprobe check --cuda-images FILE` reads a file of the same
/// form instead, so a new image version needs no rebuild. The strings are those of NVIDIA's
/// image generator (gitlab.com/nvidia/container-images/cuda, `dist/<version>/<os>/base/
/// Dockerfile`, `ENV NVIDIA_REQUIRE_CUDA`); every other tag of a version and flavour (runtime,
/// devel, cudnn) inherits its base's value.
public struct CUDAImageTable: Hashable, Sendable {
    /// One image's requirement.
    public struct Row: Hashable, Sendable {
        /// `12.4.1`, `10.2`.
        public var cudaVersion: String
        /// The tag's flavour: `ubuntu22.04`, `ubi9`, `rockylinux8`...
        public var flavour: String
        /// `x86_64`, `sbsa` (arm64 servers) or `ppc64le`.
        public var arch: String
        /// The `NVIDIA_REQUIRE_CUDA` value.
        public var requirement: String
        /// Where the string was read; nil in the compiled-in copy.
        public var source: String?

        /// Creates a row.
        public init(
            cudaVersion: String,
            flavour: String,
            arch: String,
            requirement: String,
            source: String? = nil
        ) {
            self.cudaVersion = cudaVersion
            self.flavour = flavour
            self.arch = arch
            self.requirement = requirement
            self.source = source
        }
    }

    /// The rows, in file order.
    public private(set) var rows: [Row]
    /// Row indexes by CUDA version.
    private var byVersion: [String: [Int]] = [:]

    /// The columns of the file, in order.
    public static let header = ["cuda_version", "flavour", "arch", "require_string", "source"]

    /// The architectures a row may name.
    public static let arches: Set<String> = ["x86_64", "sbsa", "ppc64le"]

    /// The name messages give the compiled-in table.
    public static let embeddedFileName = "data/nvidia_require_cuda.tsv (embedded)"

    /// Creates a table; rows are expected to be unique by version, flavour and arch.
    public init(rows: [Row]) {
        self.rows = rows
        for (index, row) in rows.enumerated() {
            byVersion[row.cudaVersion, default: []].append(index)
        }
    }

    /// The repository's table, as compiled in.
    public static let embedded: CUDAImageTable = {
        do {
            return try compact(embeddedText, file: embeddedFileName)
        } catch {
            preconditionFailure("the embedded CUDA image table is invalid: \(error)")
        }
    }()

    /// Reads a file in the form of `data/nvidia_require_cuda.tsv` (`--cuda-images FILE`).
    ///
    /// - Parameter path: the file.
    /// - Returns: the table.
    /// - Throws: ``DataFileError`` naming the line that is not a valid row.
    public static func load(path: String) throws(DataFileError) -> CUDAImageTable {
        try decode(try DataTable.read(path: path), file: path)
    }

    /// Reads the text of a file in the form of `data/nvidia_require_cuda.tsv`.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - file: the name messages give it.
    /// - Returns: the table.
    /// - Throws: ``DataFileError`` naming the line that is not a valid row.
    public static func decode(_ text: String, file: String) throws(DataFileError)
        -> CUDAImageTable
    {
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for (line, columns) in try DataTable.rows(text, header: header, file: file) {
            let row = Row(
                cudaVersion: columns[0],
                flavour: columns[1],
                arch: columns[2],
                requirement: columns[3],
                source: columns[4]
            )
            try validate(row, line: line, file: file)
            let key = "\(row.cudaVersion) \(row.flavour) \(row.arch)"
            if let first = seen[key] {
                throw DataFileError(
                    file: file,
                    line: line,
                    problem: "\(row.cudaVersion) \(row.flavour) \(row.arch) is already on line "
                        + "\(first)"
                )
            }
            seen[key] = line
            rows.append(row)
        }
        return CUDAImageTable(rows: rows)
    }

    private static func validate(_ row: Row, line: Int, file: String) throws(DataFileError) {
        func fail(_ problem: String) -> DataFileError {
            DataFileError(file: file, line: line, problem: problem)
        }
        guard let parts = DataTable.versionParts(row.cudaVersion), (2...3).contains(parts.count)
        else {
            throw fail(
                "cuda_version \(CatalogText.quoted(row.cudaVersion)) is not a version such as "
                    + "12.4.1"
            )
        }
        let flavourBytes = row.flavour.utf8
        guard !flavourBytes.isEmpty, flavourBytes.count <= 40,
            flavourBytes.allSatisfy({
                (97...122).contains($0) || (48...57).contains($0) || $0 == 46
            })
        else {
            throw fail(
                "flavour \(CatalogText.quoted(row.flavour)) is not a tag flavour such as "
                    + "ubuntu22.04 (lower-case letters, digits and dots)"
            )
        }
        guard arches.contains(row.arch) else {
            throw fail(
                "arch \(CatalogText.quoted(row.arch)) is not one of "
                    + arches.sorted().joined(separator: ", ")
            )
        }
        let requirement = row.requirement.unicodeScalars
        guard !requirement.isEmpty, requirement.count <= 8192,
            requirement.allSatisfy({ (0x20..<0x7F).contains($0.value) })
        else {
            throw fail(
                "require_string \(CatalogText.quoted(row.requirement)) is not a requirement "
                    + "such as cuda>=12.4 brand=tesla,driver>=535,driver<536"
            )
        }
    }

    /// The rows of a CUDA version (`12.4.1`), in file order.
    public func rows(version: String) -> [Row] {
        (byVersion[version] ?? []).map { rows[$0] }
    }

    /// The newest version in the table of the same major.minor as `cuda` (`12.4` → `12.4.1`).
    public func newestVersion(of cuda: CUDAVersion) -> String? {
        byVersion.keys
            .compactMap { version -> (String, [Int])? in
                guard let parts = DataTable.versionParts(version), parts.count >= 2,
                    parts[0] == cuda.major, parts[1] == cuda.minor
                else { return nil }
                return (version, parts)
            }
            .max { $0.1.lexicographicallyPrecedes($1.1) }?.0
    }

    /// The table's architecture name for a host's `uname -m`.
    public static func arch(machine: String) -> String {
        switch machine {
        case "aarch64", "arm64": "sbsa"
        case "ppc64le": "ppc64le"
        default: "x86_64"
        }
    }

    /// Reads the compact form ``embeddedText`` is in: `S <tab> string` lines number the
    /// distinct strings from 0, then `R <tab> version <tab> flavour <tab> arch <tab> n` rows.
    static func compact(_ text: String, file: String) throws(DataFileError) -> CUDAImageTable {
        var strings: [String] = []
        var rows: [Row] = []
        var number = 0
        // Split on the UTF-8 bytes (the text is ASCII): Character-level splitting of the
        // embedded table was about a twentieth of a 5,000-line check.
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let columns = line.split(separator: 0x09, omittingEmptySubsequences: false)
                .map { String(Substring($0)) }
            switch columns.first {
            case "S" where columns.count == 2:
                strings.append(columns[1])
            case "R" where columns.count == 5:
                guard let index = Int(columns[4]), strings.indices.contains(index) else {
                    throw DataFileError(
                        file: file,
                        line: number,
                        problem: "no string \(columns[4])"
                    )
                }
                rows.append(
                    Row(
                        cudaVersion: columns[1],
                        flavour: columns[2],
                        arch: columns[3],
                        requirement: strings[index]
                    )
                )
            case "", nil:
                continue
            default:
                throw DataFileError(file: file, line: number, problem: "not an S or R line")
            }
        }
        return CUDAImageTable(rows: rows)
    }
}
