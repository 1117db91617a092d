/// Reads the default `nvidia-smi` table of every driver generation.
///
/// The table is read by its boxes rather than by column offsets, because widths changed
/// with nearly every branch (79 columns up to R470, 89/91 from R525, `+` rules from R580,
/// `KMD Version` from R610) and pastes are often indented or cut. Within the GPU box the
/// header rows say which row and cell hold the bus id, memory and MIG mode.
enum NvidiaSMITableParser {
    typealias Bytes = NvidiaSMIText.Bytes

    /// The table in `lines`; when the text holds several tables (`nvidia-smi -l`), the last
    /// complete one, or the last one if none is complete.
    static func parse(_ lines: [Bytes]) -> NvidiaSMIDocument {
        var current = NvidiaSMITableSnapshot()
        var lastComplete: NvidiaSMITableSnapshot?
        for line in lines {
            let trimmed = NvidiaSMIText.trim(line)
            if trimmed.first == NvidiaSMIText.pipe, NvidiaSMIText.contains(trimmed, "NVIDIA-SMI") {
                current.finish()
                if current.isComplete && current.hasGPUs { lastComplete = current }
                current = NvidiaSMITableSnapshot()
                current.readVersions(trimmed)
                continue
            }
            current.consume(trimmed)
        }
        current.finish()
        if !current.isComplete, let complete = lastComplete { return complete.document }
        return current.document
    }
}

/// One printed table, read line by line.
struct NvidiaSMITableSnapshot {
    typealias Bytes = NvidiaSMIText.Bytes

    /// Which box the last line belonged to.
    private enum Box {
        case none, gpuHeader, gpus, migHeader, migRows, processHeader, processes
    }

    /// A row and cell of a GPU record, counted from its first row.
    private struct CellPosition {
        var row: Int
        var column: Int
    }

    private var driverVersion: String?
    private var cudaVersion: String?
    private var box = Box.none
    private var headerRows = 0
    private var busCell = CellPosition(row: 0, column: 1)
    private var memoryCell = CellPosition(row: 1, column: 1)
    private var migCell: CellPosition?
    private var gpus: [NvidiaSMIParsedGPU] = []
    private var openRecordRows: Int?
    private var sawGPUBox = false
    private var gpuBoxClosed = false
    private var migDeviceCounts: [Int: Int] = [:]
    private var processes: [NvidiaProcess] = []
    private var sawProcessBox = false
    private var processBoxClosed = false
    private var cutRows = false
    private var unreadableProcessRows = 0
    private var problems: [String] = []

    /// Whether a GPU row was read.
    var hasGPUs: Bool { !gpus.isEmpty }

    /// Whether nothing in the table was cut or unreadable; valid after ``finish()``.
    var isComplete: Bool { problems.isEmpty && unreadableProcessRows == 0 }

    /// Reads the versions from the `NVIDIA-SMI ...` header line.
    ///
    /// R610 renamed the fields to `KMD Version` and `CUDA UMD Version`; they hold the same
    /// facts. `CUDA Version: ERR!` (Windows/WSL) and pre-R410 headers without the field give nil.
    mutating func readVersions(_ row: Bytes) {
        // A paste that dropped the padding glues the last version to the closing bar
        // (`CUDA Version: 12.2|`).
        let line = row.last == NvidiaSMIText.pipe ? row.dropLast() : row
        driverVersion =
            NvidiaSMIText.after("Driver Version:", in: line).flatMap(NvidiaSMIText.version)
            ?? NvidiaSMIText.after("KMD Version:", in: line).flatMap(NvidiaSMIText.version)
        cudaVersion =
            NvidiaSMIText.after("CUDA Version:", in: line).flatMap(NvidiaSMIText.version)
            ?? NvidiaSMIText.after("CUDA UMD Version:", in: line).flatMap(NvidiaSMIText.version)
    }

    /// Reads one trimmed line; lines outside the boxes (prompts, timestamps) are skipped.
    mutating func consume(_ line: Bytes) {
        guard let first = line.first, first == NvidiaSMIText.pipe || first == NvidiaSMIText.plus
        else { return }
        if isRule(line) {
            consumeRule(line)
            return
        }
        // Table rows are at most ~120 columns; splitting a megabyte of `|` would allocate a
        // slice per byte.
        guard first == NvidiaSMIText.pipe, line.count <= NvidiaSMIText.longestLine else { return }
        let complete = line.count > 1 && line.last == NvidiaSMIText.pipe
        var cells = Array(NvidiaSMIText.split(line, on: NvidiaSMIText.pipe).dropFirst())
        if !cells.isEmpty { cells.removeLast() }  // empty after the closing `|`, or cut
        if !complete { cutRows = true }
        // `Compute processes:` before R340.
        if NvidiaSMIText.contains(line, "Processes:") || NvidiaSMIText.contains(line, "processes:")
        {
            closeRecord()
            box = .processHeader
            sawProcessBox = true
            return
        }
        if NvidiaSMIText.contains(line, "MIG devices:") {
            closeRecord()
            box = .migHeader
            return
        }
        switch box {
        case .none, .gpuHeader:
            consumeHeaderRow(cells, line: line)
        case .gpus:
            consumeGPURow(cells)
        case .migRows:
            consumeMIGRow(cells)
        case .processes:
            if complete { consumeProcessRow(line) }
        case .migHeader, .processHeader:
            break
        }
    }

    /// Closes what is open and notes what is missing; call once after the last line.
    mutating func finish() {
        closeRecord()
        problems = []
        if box == .gpuHeader || (!sawGPUBox && driverVersion != nil) {
            problems.append("ends before the GPU list")
        } else if sawGPUBox && !gpuBoxClosed && !sawProcessBox {
            problems.append("ends inside the GPU list")
        }
        if cutRows { problems.append("has rows cut short") }
        if sawGPUBox && !sawProcessBox {
            problems.append("ends before the Processes box")
        } else if sawProcessBox && !processBoxClosed {
            problems.append("ends inside the Processes box")
        }
    }

    /// What the table said.
    var document: NvidiaSMIDocument {
        var document = NvidiaSMIDocument(
            format: .table,
            driverVersion: driverVersion,
            cudaVersion: cudaVersion,
            gpus: gpus,
            processes: processes
        )
        for position in document.gpus.indices where document.gpus[position].gpu.migMode == "enabled"
        {
            let index = document.gpus[position].gpu.index ?? -1
            document.gpus[position].migDeviceCount = migDeviceCounts[index] ?? 0
        }
        if let first = problems.first {
            document.diagnostics.append(
                NvidiaSMIDocument.incomplete(
                    first,
                    context: ["form": "table", "problems": problems.joined(separator: "; ")]
                )
            )
        }
        if unreadableProcessRows > 0 {
            document.diagnostics.append(
                NvidiaSMIDocument.incomplete(
                    "has \(unreadableProcessRows) process rows gpuprobe could not read",
                    context: ["form": "table", "unreadable_rows": String(unreadableProcessRows)]
                )
            )
        }
        return document
    }

    /// Whether `line` is the first header row of nvidia-smi's GPU box.
    ///
    /// `Bus-Id` alone is not enough: npu-smi's table has it too; `Disp.` (`Disp.A` since
    /// R3xx) is nvidia-smi's own.
    static func isGPUHeaderRow(_ line: Bytes) -> Bool {
        NvidiaSMIText.contains(line, "Bus-Id") && NvidiaSMIText.contains(line, "Disp.")
    }

    /// A line of only `+`, `-`, `=`, `|` and blanks: a box border or a header underline.
    private func isRule(_ line: Bytes) -> Bool {
        var sawDash = false
        for byte in line {
            switch byte {
            case NvidiaSMIText.minus, NvidiaSMIText.equalsSign: sawDash = true
            case NvidiaSMIText.plus, NvidiaSMIText.pipe, NvidiaSMIText.space, NvidiaSMIText.tab:
                continue
            default: return false
            }
        }
        return sawDash
    }

    private mutating func consumeRule(_ line: Bytes) {
        // A whole rule ends in `+` or `|`; one ending in `-` was cut by the paste.
        if let last = line.last, last != NvidiaSMIText.plus, last != NvidiaSMIText.pipe {
            cutRows = true
            return
        }
        if line.contains(NvidiaSMIText.equalsSign) {
            // The `===` underline ends a header and opens the rows below it.
            switch box {
            case .gpuHeader:
                box = .gpus
                sawGPUBox = true
            case .migHeader: box = .migRows
            case .processHeader: box = .processes
            default: break
            }
            return
        }
        switch box {
        case .gpus:
            closeRecord()
            gpuBoxClosed = true
        case .processes:
            processBoxClosed = true
        default:
            break
        }
    }

    /// Header rows above the GPU list: finds where the bus id, memory and MIG mode sit.
    private mutating func consumeHeaderRow(_ cells: [Bytes], line: Bytes) {
        if box == .none {
            guard Self.isGPUHeaderRow(line) else { return }
            box = .gpuHeader
            headerRows = 0
            migCell = nil
        }
        for (column, cell) in cells.enumerated() {
            let position = CellPosition(row: headerRows, column: column)
            if NvidiaSMIText.contains(cell, "Bus-Id") { busCell = position }
            if NvidiaSMIText.contains(cell, "Memory-Usage") { memoryCell = position }
            if NvidiaSMIText.contains(cell, "MIG M.") { migCell = position }
        }
        headerRows += 1
    }

    private mutating func consumeGPURow(_ cells: [Bytes]) {
        if let gpu = recordStart(cells) {
            closeRecord()
            gpus.append(NvidiaSMIParsedGPU(gpu: gpu))
            openRecordRows = 1
            gpuBoxClosed = false
            return
        }
        guard let row = openRecordRows, let last = gpus.indices.last else { return }
        openRecordRows = row + 1
        if row == memoryCell.row, memoryCell.column < cells.count {
            let halves = NvidiaSMIText.split(cells[memoryCell.column], on: NvidiaSMIText.slash)
            if halves.count == 2 {
                gpus[last].gpu.memoryUsedMiB = NvidiaSMIText.mebibytes(halves[0])
                gpus[last].gpu.memoryTotalMiB = NvidiaSMIText.mebibytes(halves[1])
            }
        }
        if let mig = migCell, row == mig.row, mig.column < cells.count {
            gpus[last].gpu.migMode = NvidiaSMIText.migMode(cells[mig.column])
        }
    }

    /// The GPU whose record starts on this row: an index and name, then a bus id.
    private func recordStart(_ cells: [Bytes]) -> NvidiaGPU? {
        guard busCell.row == 0, cells.count > busCell.column,
            let busToken = NvidiaSMIText.firstToken(cells[busCell.column]),
            let busID = NvidiaSMIText.pciAddress(in: busToken),
            let first = cells.first,
            let indexToken = NvidiaSMIText.firstToken(first),
            let index = NvidiaSMIText.int(indexToken)
        else { return nil }
        let cell = first[indexToken.endIndex...]
        var gpu = NvidiaGPU(index: index, name: name(in: cell), busID: busID)
        // Windows prints its driver model where Linux prints the persistence mode.
        if NvidiaSMIText.tokens(cell).count > 1, let last = NvidiaSMIText.tokens(cell).last {
            gpu.driverModel = NvidiaSMIText.driverModel(last)
        }
        return gpu
    }

    /// The name as printed (possibly cut with `...`), without the persistence mode or Windows
    /// driver model that shares its cell.
    private func name(in cell: Bytes) -> String? {
        let words = NvidiaSMIText.tokens(cell)
        guard let last = words.last else { return nil }
        let trailing: [StaticString] = ["On", "Off", "N/A", "WDDM", "TCC", "MCDM", "ERR!"]
        if words.count > 1, trailing.contains(where: { NvidiaSMIText.equals(last, $0) }) {
            return NvidiaSMIText.string(cell[cell.startIndex..<last.startIndex])
        }
        return NvidiaSMIText.string(cell)
    }

    private mutating func closeRecord() {
        if let rows = openRecordRows, rows < headerRows { cutRows = true }
        openRecordRows = nil
    }

    /// A first row of a MIG device (`GPU GI CI MIG-Dev` as four numbers) counts for its GPU.
    private mutating func consumeMIGRow(_ cells: [Bytes]) {
        guard let first = cells.first else { return }
        let numbers = NvidiaSMIText.tokens(first).compactMap(NvidiaSMIText.int)
        guard numbers.count == 4, NvidiaSMIText.tokens(first).count == 4 else { return }
        migDeviceCounts[numbers[0], default: 0] += 1
    }

    /// A process row: `GPU [GI CI] PID Type Name Memory`, the name possibly with blanks.
    ///
    /// R450+ added the GI/CI columns; their presence is told by the row itself (a PID and a
    /// type at positions 3 and 4), so a paste without the header still reads.
    private mutating func consumeProcessRow(_ line: Bytes) {
        let inner = line.dropFirst().dropLast()
        // Old GeForce drivers print `Not Supported` instead of the process list.
        if NvidiaSMIText.contains(inner, "No running processes found")
            || NvidiaSMIText.contains(inner, "Not Supported")
        {
            return
        }
        let words = NvidiaSMIText.tokens(inner)
        guard !words.isEmpty else { return }
        var process: NvidiaProcess?
        if words.count >= 7, isProcessType(words[4]), let pid = NvidiaSMIText.int(words[3]) {
            process = processRow(words, pid: pid, typeAt: 4, in: inner)
        } else if words.count >= 5, isProcessType(words[2]), let pid = NvidiaSMIText.int(words[1]) {
            process = processRow(words, pid: pid, typeAt: 2, in: inner)
        } else if words.count >= 4, let pid = NvidiaSMIText.int(words[1]) {
            // Pre-R340 `Compute processes:` rows have no Type column.
            process = processRow(words, pid: pid, typeAt: nil, in: inner)
        }
        if let process {
            processes.append(process)
        } else {
            unreadableProcessRows += 1
        }
    }

    private func processRow(_ words: [Bytes], pid: Int, typeAt position: Int?, in inner: Bytes)
        -> NvidiaProcess?
    {
        guard let gpuIndex = NvidiaSMIText.int(words[0]), let memory = words.last else {
            return nil
        }
        let usedMiB = NvidiaSMIText.mebibytes(memory)
        guard usedMiB != nil || NvidiaSMIText.isUnavailable(memory) else { return nil }
        let nameStart = words[position ?? 1].endIndex
        guard nameStart < memory.startIndex else { return nil }
        return NvidiaProcess(
            gpuIndex: gpuIndex,
            pid: pid,
            type: position.flatMap { NvidiaSMIText.string(words[$0]) },
            name: NvidiaSMIText.string(inner[nameStart..<memory.startIndex]),
            usedMemoryMiB: usedMiB
        )
    }

    /// `C`, `G`, `C+G`, `M`, `M+C` and the like.
    private func isProcessType(_ word: Bytes) -> Bool {
        !word.isEmpty && word.count <= 5
            && word.allSatisfy {
                $0 == 0x43 || $0 == 0x47 || $0 == 0x4D || $0 == NvidiaSMIText.plus
            }
    }
}
