import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

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

    /// Under 12 MB, a bound that Foundation or `_StringProcessing` would break.
    ///
    /// The library links no Foundation (FoundationEssentials alone was 7 MB) and no
    /// `_StringProcessing` (1.4 MB, which one `String.contains(String)` pulls in); see
    /// `JSONCoding` and `TextSearch`. It was 10.8
    /// MB with issue 13's checker, 11.44 MB with the Ascend CANN layers and torch_npu wheel
    /// data, and 11.55 MB once each command became its own typed declaration (the flag
    /// closures and the command structs' metadata, about 115 KB).
    static let sizeLimit = 12_000_000

    /// The newest symbol versions Ubuntu 22.04 has: glibc 2.35 and libpci 3.7, whose newest
    /// version node is LIBPCI_3.6.
    static let floors = ["GLIBC_": [2, 35], "LIBPCI_": [3, 6]]

    static func binary() throws -> String {
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "\(path) is missing: run `make dist` (or set GPUPROBE_NO_DIST=1 to skip these tests)"
        )
        return path
    }

    /// `tool arguments`, which must exit 0; its standard output.
    static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let run = CommandRun.run(tool, arguments, environment: nil)
        #expect(run.outcome == .exited(0), "\(tool) \(arguments): \(run.outcome as Any)")
        return run.stdout
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

    /// Every `GLIBC_2.N` and `LIBPCI_3.N` version the binary's symbols ask for is one Ubuntu
    /// 22.04 has.
    @Test(arguments: ["GLIBC_", "LIBPCI_"])
    func runsWithUbuntu2204Libraries(prefix: String) throws {
        let floor = try #require(Self.floors[prefix])
        let symbols = try Self.output("/usr/bin/objdump", ["--dynamic-syms", try Self.binary()])
        let versions = Set(
            symbols.split(whereSeparator: { " \n()".contains($0) })
                .filter {
                    $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).first?.isNumber == true
                }
                .map { $0.dropFirst(prefix.count).split(separator: ".").compactMap { Int($0) } }
        )
        #expect(!versions.isEmpty, "no versioned \(prefix) symbols read")
        let newest = try #require(versions.max { $0.lexicographicallyPrecedes($1) })
        #expect(!floor.lexicographicallyPrecedes(newest), "needs \(prefix)\(newest)")
        let versionNeeds = try Self.output("/usr/bin/readelf", ["--version-info", Self.binary()])
        // DT_RELR (`ld -z pack-relative-relocs`) would need glibc 2.36 under this name.
        #expect(!versionNeeds.contains("GLIBC_ABI_DT_RELR"))
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
        let debug = CommandRun.executable
        #expect(try Self.output(binary, ["--version"]) == Self.output(debug, ["--version"]))
        for bundle in Fixtures.hostBundles {
            let arguments = ["probe", "--replay", Fixtures.url("hosts/\(bundle)").path]
            let replay = try Self.output(binary, arguments)
            #expect(replay == (try Self.output(debug, arguments)), "\(bundle)")
            #expect(!replay.isEmpty, "\(bundle)")
        }
    }
}
