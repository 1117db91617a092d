/// Reads `nvidia-smi -q` (and `-a`) text.
///
/// The text is a tree told by indentation: `GPU 00000000:83:00.0` blocks hold sections such
/// as `FB Memory Usage` whose children are `Key : value` lines. Keys are matched by their
/// path below the GPU block, so that the `Shared FB Memory Usage` of each `MIG Device` is not
/// taken for the GPU's own memory. Indentation is compared, not counted, so a paste indented
/// as a whole still reads.
enum NvidiaSMIQueryTextParser {
    typealias Bytes = NvidiaSMIText.Bytes

    /// One open section: its indentation and key.
    private struct Section {
        var indent: Int
        var key: Bytes
    }

    /// What one GPU block said besides the public record.
    private struct Block {
        var gpu: NvidiaSMIParsedGPU
        var firstProcess: Int
        var migDevices = 0
        var sawMemory = false
        var sawProcesses = false
    }

    /// The `-q` text in `lines`.
    static func parse(_ lines: [Bytes]) -> NvidiaSMIDocument {
        var document = NvidiaSMIDocument(format: .query)
        var kmdVersion: String?
        var cudaUMDVersion: String?
        var stack: [Section] = []
        var gpuDepth: Int?
        var blocks: [Block] = []
        var processGPUs: [Int] = []
        let flat = isFlat(lines)
        var inGPU = false
        for line in lines {
            let trimmed = NvidiaSMIText.trim(line)
            guard !trimmed.isEmpty else { continue }
            var indent = NvidiaSMIText.indentation(line)
            if flat {
                let (key, value) = keyAndValue(trimmed)
                if value == nil, gpuBlockAddress(key) != nil { inGPU = true }
                indent = inGPU ? flatDepth(key, value: value) : 0
            }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            if let depth = gpuDepth, stack.count <= depth { gpuDepth = nil }
            let (key, value) = keyAndValue(trimmed)
            if value == nil, let busID = gpuBlockAddress(key) {
                gpuDepth = stack.count
                blocks.append(
                    Block(
                        gpu: NvidiaSMIParsedGPU(gpu: NvidiaGPU(busID: busID)),
                        firstProcess: document.processes.count
                    )
                )
                stack.append(Section(indent: indent, key: key))
                continue
            }
            if let depth = gpuDepth, let last = blocks.indices.last {
                let path = stack[(depth + 1)...].map(\.key) + [key]
                read(
                    path,
                    value ?? [],
                    into: &blocks[last],
                    processes: &document.processes,
                    firstProcess: blocks[last].firstProcess
                )
                while processGPUs.count < document.processes.count { processGPUs.append(last) }
            } else if stack.isEmpty, let value {
                if NvidiaSMIText.equals(key, "Driver Version") {
                    document.driverVersion = NvidiaSMIText.version(value)
                } else if NvidiaSMIText.equals(key, "KMD Version") {
                    kmdVersion = NvidiaSMIText.version(value)
                } else if NvidiaSMIText.equals(key, "CUDA Version") {
                    document.cudaVersion = NvidiaSMIText.version(value)
                } else if NvidiaSMIText.equals(key, "CUDA UMD Version") {
                    cudaUMDVersion = NvidiaSMIText.version(value)
                } else if NvidiaSMIText.equals(key, "Attached GPUs") {
                    document.attachedGPUs = NvidiaSMIText.int(value)
                }
            }
            if value == nil { stack.append(Section(indent: indent, key: key)) }
        }
        // R610 keeps the old lines, marked deprecated, beside the new ones; the new ones win.
        document.driverVersion = kmdVersion ?? document.driverVersion
        document.cudaVersion = cudaUMDVersion ?? document.cudaVersion
        document.gpus = blocks.map { block in
            var gpu = block.gpu
            if gpu.gpu.migMode == "enabled" { gpu.migDeviceCount = block.migDevices }
            return gpu
        }
        document.assignIndicesFromPositions(processGPUs: processGPUs)
        document.checkAttachedCount()
        if blocks.contains(where: { !$0.sawMemory }) || blocks.last?.sawProcesses == false {
            document.diagnostics.append(
                NvidiaSMIDocument.incomplete(
                    "ends before the end of the last GPU block",
                    context: ["form": "query"]
                )
            )
        }
        return document
    }

    /// Whether the paste lost the indentation that makes `-q` a tree.
    ///
    /// In nvidia-smi's own text every section title inside a GPU block (`FB Memory Usage`,
    /// `PCI`) has its lines indented below it. A web page or chat client that collapsed runs of
    /// spaces, or an editor that turned them into one tab each, leaves titles and their lines
    /// at one depth; when most titles are like that, ``flatDepth(_:value:)`` stands in for
    /// the indentation.
    private static func isFlat(_ lines: [Bytes]) -> Bool {
        var inGPU = false
        var open: Int?
        var nested = 0
        var level = 0
        for line in lines {
            let trimmed = NvidiaSMIText.trim(line)
            guard !trimmed.isEmpty else { continue }
            let indent = NvidiaSMIText.indentation(line)
            if let title = open {
                if indent > title { nested += 1 } else { level += 1 }
                open = nil
                // A paste is changed as a whole: its first titles tell, and a 10 MB one is
                // not scanned twice.
                if nested + level >= 64 { break }
            }
            let (key, value) = keyAndValue(trimmed)
            guard value == nil else { continue }
            if gpuBlockAddress(key) != nil {
                inGPU = true
            } else if inGPU {
                open = indent
            }
        }
        return level > nested
    }

    /// The depth of a line in a GPU block whose indentation was lost: section titles and the
    /// GPU's own keys one level in, every other key inside the title above it.
    ///
    /// The sections read here (`FB Memory Usage`, `PCI`, `MIG Mode`, `Processes`) list the
    /// wanted keys before any nested title, and the GPU's own keys have names no section
    /// repeats, so the title last seen is the right parent for every key that is read.
    private static func flatDepth(_ key: Bytes, value: Bytes?) -> Int {
        if value == nil { return gpuBlockAddress(key) != nil ? 0 : 1 }
        let gpuKeys: [StaticString] = [
            "Product Name", "Product Brand", "GPU UUID", "Minor Number", "Processes",
        ]
        return gpuKeys.contains(where: { NvidiaSMIText.equals(key, $0) }) ? 1 : 2
    }

    /// `Key : value` split at the first `: ` (or a `:` ending the line); a line without one
    /// is a section title and has a nil value.
    ///
    /// Splitting at `: ` rather than `:` keeps `GPU 00000000:0C:00.0` and times whole.
    private static func keyAndValue(_ line: Bytes) -> (key: Bytes, value: Bytes?) {
        var index = line.startIndex
        while index < line.endIndex {
            if line[index] == NvidiaSMIText.colon {
                let next = index + 1
                if next == line.endIndex || NvidiaSMIText.isBlank(line[next]) {
                    return (NvidiaSMIText.trim(line[..<index]), NvidiaSMIText.trim(line[next...]))
                }
            }
            index += 1
        }
        return (line, nil)
    }

    /// The address of a `GPU 00000000:0C:00.0` block title.
    private static func gpuBlockAddress(_ key: Bytes) -> PCIAddress? {
        guard NvidiaSMIText.hasPrefix(key, "GPU "), key.count <= 24 else { return nil }
        return PCIAddress(String(decoding: key.dropFirst(4), as: UTF8.self))
    }

    /// Reads one line whose section path below the GPU block is `path` (last is its key).
    ///
    /// Processes from `firstProcess` on belong to this block; a `Type` line never amends a
    /// process listed under an earlier GPU.
    private static func read(
        _ path: [Bytes],
        _ value: Bytes,
        into block: inout Block,
        processes: inout [NvidiaProcess],
        firstProcess: Int
    ) {
        guard let key = path.last, let top = path.first else { return }
        if path.count == 1 {
            if NvidiaSMIText.equals(key, "Product Name") {
                block.gpu.gpu.name = NvidiaSMIText.value(value)
            } else if NvidiaSMIText.equals(key, "GPU UUID") || NvidiaSMIText.equals(key, "UUID") {
                block.gpu.gpu.uuid = NvidiaSMIText.value(value)
            } else if NvidiaSMIText.equals(key, "Minor Number") {
                block.gpu.gpu.minorNumber = NvidiaSMIText.int(value)
            } else if NvidiaSMIText.equals(key, "Product Brand") {
                block.gpu.gpu.productBrand = NvidiaSMIText.value(value).flatMap(GPUBrand.token)
            } else if NvidiaSMIText.equals(key, "MIG Device") {
                block.migDevices += 1
            } else if NvidiaSMIText.equals(key, "FB Memory Usage") {
                block.sawMemory = true
            } else if NvidiaSMIText.equals(key, "Processes") {
                block.sawProcesses = true
            }
            return
        }
        if path.count == 2 {
            if NvidiaSMIText.equals(top, "MIG Mode"), NvidiaSMIText.equals(key, "Current") {
                block.gpu.gpu.migMode = NvidiaSMIText.migMode(value)
            } else if NvidiaSMIText.equals(top, "Driver Model"),
                NvidiaSMIText.equals(key, "Current")
            {
                block.gpu.gpu.driverModel = NvidiaSMIText.driverModel(value)
            } else if NvidiaSMIText.equals(top, "PCI") {
                if NvidiaSMIText.equals(key, "Device Id") {
                    block.gpu.gpu.pciDeviceID = NvidiaSMIText.pciDeviceID(value)
                } else if NvidiaSMIText.equals(key, "Bus Id"),
                    let busID = NvidiaSMIText.pciAddress(in: value)
                {
                    block.gpu.gpu.busID = busID
                }
            } else if NvidiaSMIText.equals(top, "FB Memory Usage") {
                if NvidiaSMIText.equals(key, "Total") {
                    block.gpu.gpu.memoryTotalMiB = NvidiaSMIText.mebibytes(value)
                } else if NvidiaSMIText.equals(key, "Used") {
                    block.gpu.gpu.memoryUsedMiB = NvidiaSMIText.mebibytes(value)
                }
            }
        }
        guard NvidiaSMIText.equals(top, "Processes") else { return }
        // `Process ID` opens a process; its Type, Name and memory follow, indented or not.
        if NvidiaSMIText.equals(key, "Process ID") {
            processes.append(NvidiaProcess(pid: NvidiaSMIText.int(value)))
        } else if let last = processes.indices.last, last >= firstProcess {
            if NvidiaSMIText.equals(key, "Type") {
                processes[last].type = NvidiaSMIText.value(value)
            } else if NvidiaSMIText.equals(key, "Name") {
                processes[last].name = NvidiaSMIText.value(value)
            } else if NvidiaSMIText.equals(key, "Used GPU Memory") {
                processes[last].usedMemoryMiB = NvidiaSMIText.mebibytes(value)
            }
        }
    }
}
