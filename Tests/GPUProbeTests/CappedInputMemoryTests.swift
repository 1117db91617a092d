import Foundation
import Testing

@testable import GPUProbe

/// JSON inputs just under their 16 MiB cap, made of the smallest values: read in bounded
/// memory (the parsed tree of 16 MiB of `{"a":0}` was 400 MB).
@Suite struct CappedInputMemoryTests {
    static let shapes: [(name: String, value: String)] = [
        ("zeros", "0"), ("empty objects", "{}"), ("one-member objects", #"{"a":0}"#),
    ]

    @Test(arguments: shapes.indices)
    func aHostDocumentOfMinimalValuesIsRefusedInBoundedMemory(index: Int) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let value = Self.shapes[index].value
        let count = (16 << 20 - 1024) / (value.utf8.count + 1)
        let text =
            #"{"schema":"gpuprobe/host/v1","x":["#
            + String(repeating: value + ",", count: count) + value + "]}"
        let host = try work.write(Array(text.utf8), name: "host.json")
        #expect(text.utf8.count < 16 << 20)

        let (result, peak) = try MeasuredRun.gpuprobe(
            ["match", "--host", host],
            in: work.directory
        )
        #expect(peak < MeasuredRun.memoryBoundMiB, "\(Self.shapes[index].name): \(peak) MiB")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "more than \(JSONParser.valueLimit) values, far more than a gpuprobe document holds"
            ),
            "\(result.stderr)"
        )
    }
}
