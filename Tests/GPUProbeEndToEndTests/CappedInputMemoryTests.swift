import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

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

/// Dockerfiles just under the 16 MiB input cap are refused at their bounds.
///
/// The shapes that cost the most to keep and take apart: millions of instructions, one instruction of millions of commands, millions of
/// continuation lines, one heredoc of millions of lines. Each is refused at its bound, naming
/// the line, in bounded memory (the first took 670 MB and 18 s, the last 750 MB).
@Suite struct CappedDockerfileTests {
    static let shapes = [
        "instructions", "commands", "continuations", "heredoc", "dense commands",
        "seven long lines",
    ]

    static func body(_ shape: String) -> String {
        let room = 16 << 20 - 1024
        switch shape {
        case "instructions": return String(repeating: "RUN a\n", count: room / 6)
        case "commands": return "RUN " + String(repeating: "a && ", count: room / 5) + "a\n"
        case "continuations": return String(repeating: "RUN a \\\n", count: room / 8) + "  b\n"
        case "dense commands":
            return String(
                repeating: "RUN " + String(repeating: "a && ", count: 15) + "a\n",
                count: 100_000
            )
        case "seven long lines":
            let line = "RUN " + String(repeating: "a && ", count: (2 << 20 - 20) / 5) + "a\n"
            return String(repeating: line, count: 7)
        default: return "RUN <<EOF\n" + String(repeating: "echo a\n", count: room / 7) + "EOF\n"
        }
    }

    @Test(arguments: shapes)
    func aHugeDockerfileIsRefusedInBoundedMemory(shape: String) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let text = "FROM ubuntu:22.04\n" + Self.body(shape)
        #expect(text.utf8.count < 16 << 20)
        let dockerfile = try work.write(Array(text.utf8), name: "Dockerfile")
        let host = Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path
        let (result, peak) = try MeasuredRun.gpuprobe(
            ["check", dockerfile, "--host", host],
            in: work.directory
        )
        #expect(peak < MeasuredRun.memoryBoundMiB, "\(shape): \(peak) MiB")
        #expect(result.status == 2, "\(result.stderr)")
        let expected: String
        switch shape {
        case "instructions":
            expected =
                "\(dockerfile):\(DockerfileParser.instructionLimit + 1): the file has more than "
                + "\(DockerfileParser.instructionLimit) instructions"
        case "dense commands", "seven long lines":
            expected = "\(dockerfile):"
            #expect(
                result.stderr.contains(
                    "the RUN lines up to here run more than \(DockerfileWalker.commandLimit) "
                        + "commands"
                ),
                "\(result.stderr)"
            )
        default:
            expected =
                "\(dockerfile):2: this instruction, with its continuation lines and heredocs, is "
                + "longer than 2 MiB"
        }
        #expect(result.stderr.hasPrefix("gpuprobe: error: " + expected), "\(result.stderr)")
    }
}
