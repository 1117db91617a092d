/// Reads `nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits]` output.
///
/// With a header, columns are found by name (units such as ` [MiB]` dropped), so any field
/// list in any order reads. Without one, rows are read in ``NvidiaSMIParser/queryFields``
/// order, and only when they have exactly that many fields: guessing the meaning of someone
/// else's field list would produce confident nonsense. A pasted command line above the rows
/// (`$ nvidia-smi --query-gpu=name,memory.total --format=csv,noheader`) names them, though,
/// as a header would.
enum NvidiaSMICSVParser {
    typealias Bytes = NvidiaSMIText.Bytes

    /// The CSV in `lines`, or nil when the text does not look like `--query-gpu` CSV.
    static func parse(_ lines: [Bytes]) -> NvidiaSMIDocument? {
        var header: [String]?
        var rows: [[Bytes]] = []
        var oddRows = 0
        var cutRow = false
        var extraRows = 0
        // The field list of a pasted `--query-gpu=` command line, for rows without a header.
        var commandColumns: [String]?
        for (number, line) in lines.enumerated() {
            let trimmed = NvidiaSMIText.trim(line)
            // A row of all ~300 query fields is a few KB; a longer line is not nvidia-smi's,
            // and splitting it could allocate a slice per byte.
            guard !trimmed.isEmpty, trimmed.count <= 16 * NvidiaSMIText.longestLine else {
                continue
            }
            if header == nil, rows.isEmpty, let names = queryList(trimmed) {
                commandColumns = names
                continue
            }
            let fields = NvidiaSMIText.split(trimmed, on: NvidiaSMIText.comma)
            if let names = header {
                if fields.count == names.count {
                    // Rows past the most GPUs a host has are counted, not kept: 16 MiB of short
                    // rows (1.4 million) took 2.7 GB and 40 s to keep and print.
                    guard rows.count < NvidiaSMIText.mostGPUs else {
                        extraRows += 1
                        continue
                    }
                    rows.append(fields)
                } else if fields.count > 1 {
                    // Shorter than the header on the last line: the paste stops mid-row.
                    if number == lines.count - 1 && fields.count < names.count {
                        cutRow = true
                    } else {
                        oddRows += 1
                    }
                }
            } else if let names = headerNames(fields) {
                if names.contains(where: { column($0) != nil }) {
                    header = names
                } else if fields.count > 1 {
                    // A header, but of another query (`--query-compute-apps` and the like).
                    return unrecognized(
                        "This CSV has none of the columns gpuprobe reads; query at least "
                            + NvidiaSMIParser.queryFields.joined(separator: ",") + ".",
                        context: ["columns": names.joined(separator: ",")]
                    )
                }
            } else if isHeaderlessRow(fields)
                || commandColumns.map({ isNamedRow(fields, columns: $0) }) == true
            {
                guard rows.count < NvidiaSMIText.mostGPUs else {
                    extraRows += 1
                    continue
                }
                rows.append(fields)
            }
        }
        if let names = header {
            var parsed = document(columns: names, rows: rows, oddRows: oddRows, cutRow: cutRow)
            parsed.noteExtraRows(extraRows)
            return parsed
        }
        guard let first = rows.first else { return nil }
        if let names = commandColumns, names.contains(where: { column($0) != nil }) {
            let matching = rows.filter { $0.count == names.count }
            let lastCut = rows.last.map { $0.count < names.count } == true
            var parsed = document(
                columns: names,
                rows: matching,
                oddRows: rows.count - matching.count - (lastCut ? 1 : 0),
                cutRow: lastCut
            )
            parsed.noteExtraRows(extraRows)
            return parsed
        }
        let expected = NvidiaSMIParser.queryFields.count
        let matching = rows.filter { $0.count == expected }
        guard !matching.isEmpty else {
            return unrecognized(
                "This CSV has no header and \(first.count) fields per row, not gpuprobe's "
                    + "\(expected); rerun the query without `noheader` so the columns can be "
                    + "told apart.",
                context: ["fields": String(first.count), "expected_fields": String(expected)]
            )
        }
        let lastCut = rows.count > matching.count && rows.last.map { $0.count < expected } == true
        var parsed = document(
            columns: NvidiaSMIParser.queryFields,
            rows: matching,
            oddRows: rows.count - matching.count - (lastCut ? 1 : 0),
            cutRow: lastCut
        )
        parsed.noteExtraRows(extraRows)
        return parsed
    }

    /// CSV whose columns cannot be known: `.unknown` with an `unrecognized_output` warning.
    private static func unrecognized(_ message: String, context: [String: String])
        -> NvidiaSMIDocument
    {
        NvidiaSMIDocument(
            format: .unknown,
            diagnostics: [
                Diagnostic(
                    .unrecognizedOutput,
                    source: .nvidia,
                    severity: .warning,
                    message: message,
                    context: context
                )
            ]
        )
    }

    /// The column names when every field looks like a query field name (some have capitals,
    /// such as `mig_timeSlicing`), optionally with a unit (`memory.total [MiB]`).
    ///
    /// Requiring every field to look like a name keeps a pasted command line such as
    /// `$ nvidia-smi --query-gpu=index,name --format=csv` from being taken for the header.
    private static func headerNames(_ fields: [Bytes]) -> [String]? {
        var names: [String] = []
        for field in fields {
            var name = NvidiaSMIText.trim(field)
            if let bracket = name.firstIndex(of: NvidiaSMIText.openBracket),
                name.last == NvidiaSMIText.closeBracket
            {
                name = NvidiaSMIText.trim(name[..<bracket])
            }
            guard let first = name.first, first >= 0x61, first <= 0x7A,
                name.allSatisfy({ byte in
                    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
                        || NvidiaSMIText.isDigit(byte)
                        || byte == 0x5F || byte == NvidiaSMIText.dot
                })
            else { return nil }
            names.append(String(decoding: name, as: UTF8.self))
        }
        return names
    }

    /// The field names of a pasted `nvidia-smi --query-gpu=a,b,c` (or `--query-gpu a,b,c`,
    /// quoted or not) command line; nil for any other line.
    private static func queryList(_ line: Bytes) -> [String]? {
        guard let found = NvidiaSMIText.range(of: "--query-gpu", in: line) else { return nil }
        var start = found.upperBound
        while start < line.endIndex, line[start] == 0x3D || NvidiaSMIText.isBlank(line[start]) {
            start += 1
        }
        var end = start
        while end < line.endIndex, !NvidiaSMIText.isBlank(line[end]) { end += 1 }
        let list = line[start..<end].filter { $0 != 0x22 && $0 != 0x27 }
        let names = NvidiaSMIText.split(list[...], on: NvidiaSMIText.comma)
            .compactMap(NvidiaSMIText.string)
        return names.isEmpty ? nil : names
    }

    /// A row of a query whose field list a pasted command line gave: as many fields as
    /// names, and, for a single field, a value of its kind (so that the next prompt line
    /// is not taken for a row).
    private static func isNamedRow(_ fields: [Bytes], columns: [String]) -> Bool {
        guard fields.count == columns.count, let only = columns.first else { return false }
        guard columns.count == 1 else { return true }
        switch column(only) {
        case .driverVersion, .kmdVersion, .cudaVersion, .cudaUMDVersion, .computeCapability:
            return NvidiaSMIText.version(fields[0]) != nil
        case .memoryTotal, .memoryUsed: return NvidiaSMIText.mebibytes(fields[0]) != nil
        case .busID: return NvidiaSMIText.pciAddress(in: fields[0]) != nil
        case .index, .minorNumber: return NvidiaSMIText.int(fields[0]) != nil
        default: return false
        }
    }

    /// A headerless row starts with a GPU index.
    private static func isHeaderlessRow(_ fields: [Bytes]) -> Bool {
        fields.count > 1 && NvidiaSMIText.int(fields[0]) != nil
    }

    /// The fields we read, by every name nvidia-smi accepts for them.
    private enum Column {
        case index, name, busID, uuid, memoryTotal, memoryUsed, computeCapability, migMode
        case driverModel
        case driverVersion, kmdVersion, cudaVersion, cudaUMDVersion, pciDeviceID, minorNumber
    }

    private static func column(_ name: String) -> Column? {
        switch name {
        case "index": .index
        case "name", "gpu_name": .name
        case "pci.bus_id", "gpu_bus_id": .busID
        case "uuid", "gpu_uuid": .uuid
        case "memory.total": .memoryTotal
        case "memory.used": .memoryUsed
        case "compute_cap": .computeCapability
        case "mig.mode.current": .migMode
        case "driver_model.current": .driverModel
        case "driver_version": .driverVersion
        case "kmd_version": .kmdVersion
        case "cuda_version": .cudaVersion
        case "cuda_umd_version": .cudaUMDVersion
        case "pci.device_id": .pciDeviceID
        case "minor_number": .minorNumber
        default: nil
        }
    }

    private static func document(
        columns: [String],
        rows: [[Bytes]],
        oddRows: Int,
        cutRow: Bool
    ) -> NvidiaSMIDocument {
        var document = NvidiaSMIDocument(format: .csv)
        var kmdVersion: String?
        var cudaUMDVersion: String?
        let kinds = columns.map(column)
        for fields in rows {
            var gpu = NvidiaGPU()
            for (kind, field) in zip(kinds, fields) {
                switch kind {
                case .index: gpu.index = NvidiaSMIText.int(field)
                case .name: gpu.name = NvidiaSMIText.value(field)
                case .busID: gpu.busID = NvidiaSMIText.pciAddress(in: field)
                case .uuid: gpu.uuid = NvidiaSMIText.value(field)
                case .memoryTotal: gpu.memoryTotalMiB = NvidiaSMIText.mebibytes(field)
                case .memoryUsed: gpu.memoryUsedMiB = NvidiaSMIText.mebibytes(field)
                case .computeCapability: gpu.computeCapability = NvidiaSMIText.version(field)
                case .migMode: gpu.migMode = NvidiaSMIText.migMode(field)
                case .driverModel: gpu.driverModel = NvidiaSMIText.driverModel(field)
                case .pciDeviceID: gpu.pciDeviceID = NvidiaSMIText.pciDeviceID(field)
                case .minorNumber: gpu.minorNumber = NvidiaSMIText.int(field)
                case .driverVersion:
                    document.driverVersion = document.driverVersion ?? NvidiaSMIText.version(field)
                case .kmdVersion: kmdVersion = kmdVersion ?? NvidiaSMIText.version(field)
                case .cudaVersion:
                    document.cudaVersion = document.cudaVersion ?? NvidiaSMIText.version(field)
                case .cudaUMDVersion:
                    cudaUMDVersion = cudaUMDVersion ?? NvidiaSMIText.version(field)
                case nil: break
                }
            }
            document.gpus.append(NvidiaSMIParsedGPU(gpu: gpu))
        }
        document.driverVersion = kmdVersion ?? document.driverVersion
        document.cudaVersion = cudaUMDVersion ?? document.cudaVersion
        if cutRow || oddRows > 0 {
            document.diagnostics.append(
                NvidiaSMIDocument.incomplete(
                    cutRow
                        ? "ends in the middle of a row" : "has \(oddRows) rows of the wrong width",
                    context: ["form": "csv", "odd_rows": String(oddRows + (cutRow ? 1 : 0))]
                )
            )
        }
        return document
    }
}

extension NvidiaSMIDocument {
    /// Says that `count` rows past ``NvidiaSMIText/mostGPUs`` were left out.
    fileprivate mutating func noteExtraRows(_ count: Int) {
        guard count > 0 else { return }
        diagnostics.append(
            NvidiaSMIDocument.incomplete(
                "lists more than \(NvidiaSMIText.mostGPUs) GPUs, more than any host has, and "
                    + "\(count) rows past them were left out",
                context: ["form": "csv", "rows_left_out": String(count)]
            )
        )
    }
}
