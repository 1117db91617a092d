// lspci text in every form gpuprobe reads (-nn, -D, -vvv, -tv trees, -x dumps).
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    mustRender(LspciReader.read(text(data, size)))
    return 0
}
