// nvidia-smi's default table (every driver generation, Linux and Windows).
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let lines = NvidiaSMIText.lines(NvidiaSMIText.bytes(text(data, size)))
    mustRender(NvidiaSMITableParser.parse(lines).result.output)
    return 0
}
