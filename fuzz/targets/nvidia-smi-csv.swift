// nvidia-smi --query-gpu CSV, with and without header and units.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let lines = NvidiaSMIText.lines(NvidiaSMIText.bytes(text(data, size)))
    if let document = NvidiaSMICSVParser.parse(lines) { mustRender(document.result.output) }
    return 0
}
