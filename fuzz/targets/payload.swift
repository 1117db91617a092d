// An installer's payload as it streams by: the gzip or xz decoder, then the tar walk that
// looks for supported-gpus.json. The first byte picks the chunk size, so that member headers
// and compressed blocks fall across chunk boundaries as they do when a 300 MB file is read.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let chunk = Int(data[0]) + 1
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    var scanner = PayloadScanner(skip: 1, limit: 1 << 20)
    do {
        var offset = 0
        while offset < payload.count {
            let end = min(offset + chunk, payload.count)
            try scanner.consume(UnsafeRawBufferPointer(rebasing: payload[offset..<end]))
            offset = end
        }
        try scanner.finish()
    } catch {
        return 0
    }
    if let list = scanner.found { _ = try? SupportedGPUsList.parse(list) }
    return 0
}
