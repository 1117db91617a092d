// gpuprobe's own JSON parser, writer and decoder, under every document it reads: whatever
// parses must write and parse back to the same value, in both layouts, and writing is
// deterministic; every number decodes as each integer width and as a double or fails, never
// traps (an exponent once overflowed an Int); a failure is one short line.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let value: JSONValue
    do {
        value = try JSONParser.parse(bytes(data, size))
    } catch {
        mustBeOneShortLine(error.description)
        return 0
    }
    for pretty in [true, false] {
        var writer = JSONWriter(pretty: pretty)
        writer.write(value)
        let again = try? JSONParser.parse(writer.bytes)
        precondition(again == value, "a JSON value does not survive write and parse")
    }
    decodeNumbers(in: value)
    return 0
}

/// Every number in `value` through the decoder's integer and floating-point paths.
func decodeNumbers(in value: JSONValue) {
    switch value {
    case .number:
        decodeEach(value, as: Int.self)
        decodeEach(value, as: Int8.self)
        decodeEach(value, as: Int32.self)
        decodeEach(value, as: UInt8.self)
        decodeEach(value, as: UInt64.self)
        decodeEach(value, as: Double.self)
        decodeEach(value, as: Float.self)
    case .array(let elements): elements.forEach(decodeNumbers)
    case .object(let members): members.values.forEach(decodeNumbers)
    default: break
    }
}

func decodeEach<T: Decodable>(_ value: JSONValue, as type: T.Type) {
    do {
        _ = try JSONValueDecoder.decode(type, from: value)
    } catch {
        mustBeOneShortLine(String(describing: error))
    }
}
