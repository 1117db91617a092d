// Shared by every fuzz target: the input as bytes or text, and fixtures read once.
@testable import GPUProbe

#if canImport(Glibc)
import Glibc
#endif

/// The fuzzer's input as bytes.
func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// The fuzzer's input as text, invalid UTF-8 repaired the way `gpuprobe parse` reads a paste.
func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// A repository file, read once; the runner starts targets in the repository root.
func fixture(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        fatalError("fuzz target needs \(path); run it from the repository root (fuzz/run does)")
    }
    defer { fclose(file) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        result += chunk[0..<count]
    }
    return result
}

/// A host report from a fixture bundle's expected output.
func fixtureHost(_ bundle: String) -> HostReport {
    do {
        return try JSONOutput.decodeHostReport(fixture("Fixtures/hosts/\(bundle)/expected.json"))
    } catch {
        fatalError("Fixtures/hosts/\(bundle)/expected.json: \(error)")
    }
}

/// Rendering is part of every reader's contract: what a parser accepts must encode as JSON
/// (a parsed `inf` or NaN would trap in the encoder).
func mustRender(_ value: some Encodable) {
    precondition(!JSONOutput.render(value).isEmpty)
}

/// Messages repeat values from the input: they must stay one line of bounded length.
func mustBeOneShortLine(_ message: String) {
    precondition(message.utf8.count < 2000, "a JSON error message of \(message.utf8.count) bytes")
    precondition(
        !message.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" },
        "a JSON error message with a control character"
    )
}
