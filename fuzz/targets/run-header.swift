// The makeself header of an NVIDIA .run, as a whole file and as a file's first bytes.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    _ = try? RunHeader.parse(input, endsFile: true)
    _ = try? RunHeader.parse(input, endsFile: false)
    return 0
}
