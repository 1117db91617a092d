// nvidia-smi -q (-a) text.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let lines = NvidiaSMIText.lines(NvidiaSMIText.bytes(text(data, size)))
    mustRender(NvidiaSMIQueryTextParser.parse(lines).result.output)
    return 0
}
