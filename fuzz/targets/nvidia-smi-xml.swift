// nvidia-smi -q -x XML, read as bytes (the scanner decodes entities itself).
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = NvidiaSMIText.bytes(text(data, size))
    mustRender(NvidiaSMIXMLParser.parse(bytes).result.output)
    return 0
}
