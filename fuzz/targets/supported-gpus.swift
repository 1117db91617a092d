// supported-gpus.json from an installer's payload.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? SupportedGPUsList.parse(bytes(data, size))
    return 0
}
