/// A tab-separated data file of `check` (`data/nvidia_require_cuda.tsv`,
/// `data/nvml_brand_by_name.tsv`) that could not be used.
///
/// One line naming the file, the line and what to do; `gpuprobe check` exits 2 with it.
public struct DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// The 1-based line, when the problem is in one.
    public var line: Int?
    /// What is wrong, with the value quoted.
    public var problem: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// `the data file 'x.tsv', line 3: ...; compare with data/README.md`.
    public var description: String {
        let place = line.map { ", line \($0)" } ?? ""
        return "the data file '\(file)'\(place): \(problem); compare with data/README.md "
            + "in the gpuprobe repository"
    }
}

/// Reads tab-separated data files: a header line naming the columns, then one row per line.
enum DataTable {
    /// The largest data file read (the repository's largest is about 700 KiB).
    static let sizeLimit = 8 << 20

    /// The file's bytes, bounded.
    static func read(path: String) throws(DataFileError) -> String {
        switch BoundedFile.read(path, limit: sizeLimit) {
        case .failure(.missing):
            throw DataFileError(file: path, problem: "no such file")
        case .failure(.notRegular(let kind)):
            throw DataFileError(file: path, problem: "it is \(kind), not a regular file")
        case .failure(.failed(let reason)):
            throw DataFileError(file: path, problem: "cannot be read (\(reason))")
        case .success(let read):
            guard read.complete else {
                throw DataFileError(file: path, problem: "larger than \(sizeLimit >> 20) MiB")
            }
            guard let text = String(validating: read.bytes, as: UTF8.self) else {
                throw DataFileError(file: path, problem: "not UTF-8 text")
            }
            return text
        }
    }

    /// The rows of `text` with their line numbers, after checking the header.
    ///
    /// Empty lines and lines starting with `#` are skipped; a CR before the LF is dropped.
    /// Every row must have `header.count` columns.
    static func rows(
        _ text: String,
        header: [String],
        file: String
    ) throws(DataFileError) -> [(line: Int, columns: [String])] {
        var result: [(line: Int, columns: [String])] = []
        var sawHeader = false
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
                .map(String.init)
            if !sawHeader {
                guard columns == header else {
                    throw DataFileError(
                        file: file,
                        line: number,
                        problem: "the first line must be the header "
                            + header.joined(separator: " <tab> ")
                    )
                }
                sawHeader = true
                continue
            }
            guard columns.count == header.count else {
                throw DataFileError(
                    file: file,
                    line: number,
                    problem: "expected \(header.count) tab-separated columns ("
                        + header.joined(separator: ", ") + "), found \(columns.count)"
                )
            }
            if let bad = columns.first(where: { $0.unicodeScalars.contains { $0.value < 0x20 } }) {
                throw DataFileError(
                    file: file,
                    line: number,
                    problem: "a control character in \(CatalogText.quoted(bad))"
                )
            }
            result.append((number, columns))
        }
        guard sawHeader else {
            throw DataFileError(
                file: file,
                problem: "no header line (" + header.joined(separator: " <tab> ") + ")"
            )
        }
        return result
    }

    /// Numeric parts of a dotted version (`12.4.1` → `[12, 4, 1]`); nil unless 1 to 4 runs of
    /// 1 to 6 digits.
    static func versionParts(_ text: String) -> [Int]? {
        let runs = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(runs.count) else { return nil }
        var parts: [Int] = []
        for run in runs {
            guard (1...6).contains(run.count), run.utf8.allSatisfy({ (48...57).contains($0) }),
                let value = Int(run)
            else { return nil }
            parts.append(value)
        }
        return parts
    }
}
