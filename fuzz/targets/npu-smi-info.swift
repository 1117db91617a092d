// npu-smi info, through the public entry point (failure lines, the info table, the fallbacks).
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    mustRender(NPUSMIParser.parse(text(data, size)).output)
    return 0
}
