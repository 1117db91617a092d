/// Reads `nvidia-smi -q -x` XML.
///
/// Values are taken by their exact element path below `<gpu>`: the `mig_devices` blocks,
/// which in some outputs come before the GPU's own `fb_memory_usage`, carry their own
/// `fb_memory_usage` one level deeper, and must not be taken for the GPU's.
enum NvidiaSMIXMLParser {
    /// Deeper nesting than nvidia-smi ever prints is junk; ignoring it keeps the work
    /// per tag bounded.
    private static var maximumDepth: Int { 64 }

    /// The XML document in `bytes`.
    static func parse(_ bytes: [UInt8]) -> NvidiaSMIDocument {
        var reader = NvidiaSMIXMLReader()
        var scanner = NvidiaSMIXMLScanner(bytes)
        var stack: [String] = []
        var ignoredDepth = 0
        var text: [UInt8] = []
        while let token = scanner.next() {
            switch token {
            case .start(let name, let attributes):
                guard stack.count < maximumDepth else {
                    ignoredDepth += 1
                    continue
                }
                stack.append(name)
                text = []
                reader.open(stack, attributes: attributes)
            case .end(let name):
                if ignoredDepth > 0 {
                    ignoredDepth -= 1
                } else if stack.last == name {
                    reader.close(stack, text: text[...])
                    stack.removeLast()
                    text = []
                } else if let open = stack.lastIndex(of: name) {
                    // Unclosed children: drop them, then close the element named.
                    stack.removeSubrange((open + 1)...)
                    reader.close(stack, text: [])
                    stack.removeLast()
                    text = []
                }
            case .text(let bytes):
                text.append(contentsOf: bytes)
            }
        }
        return reader.finish(truncated: scanner.truncated || !stack.isEmpty)
    }
}

/// Collects facts from the element paths the XML scanner reports.
struct NvidiaSMIXMLReader {
    typealias Bytes = NvidiaSMIText.Bytes

    private var document = NvidiaSMIDocument(format: .xml)
    private var kmdVersion: String?
    private var cudaUMDVersion: String?
    private var migDevices: [Int] = []
    private var processGPUs: [Int] = []
    private var sawRoot = false

    /// Notes an element opening at `path` (the last name is the element's).
    mutating func open(_ path: [String], attributes: [String: String]) {
        if path == ["nvidia_smi_log"] { sawRoot = true }
        guard path.count >= 2, path[0] == "nvidia_smi_log", path[1] == "gpu" else { return }
        if path.count == 2 {
            let busID = attributes["id"].flatMap { PCIAddress($0) }
            document.gpus.append(NvidiaSMIParsedGPU(gpu: NvidiaGPU(busID: busID)))
            migDevices.append(0)
            return
        }
        guard let last = document.gpus.indices.last else { return }
        let below = path.dropFirst(2)
        if below.elementsEqual(["mig_devices", "mig_device"]) {
            migDevices[last] += 1
        } else if below.elementsEqual(["processes", "process_info"]) {
            document.processes.append(NvidiaProcess())
            processGPUs.append(last)
        }
    }

    /// Reads the text of the element closing at `path`.
    mutating func close(_ path: [String], text: Bytes) {
        guard path.count >= 2, path[0] == "nvidia_smi_log" else { return }
        if path.count == 2 {
            switch path[1] {
            case "driver_version": document.driverVersion = NvidiaSMIText.version(text)
            case "cuda_version": document.cudaVersion = NvidiaSMIText.version(text)
            case "kmd_version": kmdVersion = NvidiaSMIText.version(text)
            case "cuda_umd_version": cudaUMDVersion = NvidiaSMIText.version(text)
            case "attached_gpus": document.attachedGPUs = NvidiaSMIText.int(text)
            default: break
            }
            return
        }
        guard path[1] == "gpu", let last = document.gpus.indices.last else { return }
        let below = Array(path.dropFirst(2))
        var gpu = document.gpus[last].gpu
        switch below {
        case ["product_name"]: gpu.name = NvidiaSMIText.value(text)
        case ["product_brand"]:
            gpu.productBrand = NvidiaSMIText.value(text).flatMap(GPUBrand.token)
        case ["uuid"]: gpu.uuid = NvidiaSMIText.value(text)
        case ["minor_number"]: gpu.minorNumber = NvidiaSMIText.int(text)
        case ["pci", "pci_bus_id"]:
            if let busID = NvidiaSMIText.pciAddress(in: text) { gpu.busID = busID }
        case ["pci", "pci_device_id"]: gpu.pciDeviceID = NvidiaSMIText.pciDeviceID(text)
        case ["fb_memory_usage", "total"]: gpu.memoryTotalMiB = NvidiaSMIText.mebibytes(text)
        case ["fb_memory_usage", "used"]: gpu.memoryUsedMiB = NvidiaSMIText.mebibytes(text)
        case ["mig_mode", "current_mig"]: gpu.migMode = NvidiaSMIText.migMode(text)
        case ["driver_model", "current_dm"]: gpu.driverModel = NvidiaSMIText.driverModel(text)
        default: readProcess(below, text: text)
        }
        document.gpus[last].gpu = gpu
    }

    private mutating func readProcess(_ below: [String], text: Bytes) {
        guard below.count == 3, below[0] == "processes", below[1] == "process_info",
            let last = document.processes.indices.last
        else { return }
        switch below[2] {
        case "pid": document.processes[last].pid = NvidiaSMIText.int(text)
        case "type": document.processes[last].type = NvidiaSMIText.value(text)
        case "process_name": document.processes[last].name = NvidiaSMIText.value(text)
        case "used_memory": document.processes[last].usedMemoryMiB = NvidiaSMIText.mebibytes(text)
        default: break
        }
    }

    /// The document, with diagnostics for a cut or partial file.
    func finish(truncated: Bool) -> NvidiaSMIDocument {
        var result = document
        // R610 may keep the old elements beside the new ones; the new ones win.
        result.driverVersion = kmdVersion ?? result.driverVersion
        result.cudaVersion = cudaUMDVersion ?? result.cudaVersion
        for (position, count) in migDevices.enumerated()
        where result.gpus[position].gpu.migMode == "enabled" {
            result.gpus[position].migDeviceCount = count
        }
        result.assignIndicesFromPositions(processGPUs: processGPUs)
        result.checkAttachedCount()
        if truncated || !sawRoot {
            result.diagnostics.append(
                NvidiaSMIDocument.incomplete(
                    "ends before </nvidia_smi_log>",
                    context: ["form": "xml"]
                )
            )
        }
        return result
    }
}
