// gpuprobe's own JSON parser and writer, under every document it reads: whatever parses must
// write and parse back to the same value, in both layouts, and writing is deterministic.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let value = try? JSONParser.parse(bytes(data, size)) else { return 0 }
    for pretty in [true, false] {
        var writer = JSONWriter(pretty: pretty)
        writer.write(value)
        let again = try? JSONParser.parse(writer.bytes)
        precondition(again == value, "a JSON value does not survive write and parse")
    }
    return 0
}
