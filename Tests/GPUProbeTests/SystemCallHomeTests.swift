import Foundation
import Testing

/// Every system call of the library goes through `Sources/GPUProbe/System/`, as swift-system
/// keeps its calls in `Sources/System/Internals/Syscalls.swift`: a file elsewhere that imports
/// the C library (Glibc, Musl) is a system call outside its home.
@Suite struct SystemCallHomeTests {
    /// `<repo>/Sources/GPUProbe`, found from this file (Tests/<target>/this file).
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // the test target's folder
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .appendingPathComponent("Sources/GPUProbe")

    /// The files outside `System/` that must import the C library, and why.
    static let interop: [String: String] = [
        // The only Swift file that imports CLibPCI; libpci's types and calls are C's.
        "PCI/LibPCI.swift": "libpci",
        // Spawns each tool in its own process group and polls it (posix_spawn, waitpid, poll).
        "Probing/ToolRunner.swift": "process spawning",
    ]

    /// The C library modules a Swift file can import on the platforms gpuprobe builds for.
    static let cLibraries = ["Glibc", "Musl"]

    /// Each Swift file below `Sources/GPUProbe`, by its path relative to it, with the C library
    /// modules it imports.
    static func cImports() throws -> [String: [String]] {
        let root = library.standardizedFileURL.path
        guard let walk = FileManager.default.enumerator(atPath: root) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var found: [String: [String]] = [:]
        for case let relative as String in walk where relative.hasSuffix(".swift") {
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            found[relative] = imports(in: text)
        }
        return found
    }

    /// The C library modules `text` imports: `import Glibc`, `@preconcurrency import Musl`,
    /// `import struct Glibc.stat` alike.
    static func imports(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            var words = line.split(separator: " ").filter { !$0.isEmpty }
            while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { return nil }
            // `import struct Glibc.stat`: the kind comes before the module.
            let path = words.count >= 3 ? words[2] : words[1]
            let module = String(path.split(separator: ".").first ?? path)
            return cLibraries.contains(module) ? module : nil
        }
    }

    @Test func onlySystemAndTheInteropFilesImportTheCLibrary() throws {
        let outside = try Self.cImports()
            .filter { path, modules in
                !modules.isEmpty && !path.hasPrefix("System/") && Self.interop[path] == nil
            }
            .keys.sorted()
        #expect(
            outside.isEmpty,
            "these files import Glibc/Musl outside Sources/GPUProbe/System/: \(outside); give System/ the operation they need and call it"
        )
    }

    /// The scan sees what it should: System/'s own files import the C library, and so does
    /// each interop file (one that no longer does leaves the list).
    @Test func theScanFindsTheImportsThatAreThere() throws {
        let found = try Self.cImports()
        let system = found.filter { $0.key.hasPrefix("System/") && !$0.value.isEmpty }
        #expect(system.keys.contains("System/FileSystem.swift"))
        #expect(system.keys.contains("System/FileDescriptor.swift"))
        for path in Self.interop.keys.sorted() {
            #expect(found[path] == ["Glibc", "Musl"], "\(path) is listed as C interop")
        }
    }

    @Test func importLinesAreReadInEveryForm() {
        let text = """
            #if canImport(Glibc)
            import Glibc
            #elseif canImport(Musl)
            @preconcurrency import Musl
            #endif
            import struct Glibc.stat
            import Synchronization
            // import Glibc is only mentioned here
            """
        #expect(Self.imports(in: text) == ["Glibc", "Musl", "Glibc"])
    }
}
