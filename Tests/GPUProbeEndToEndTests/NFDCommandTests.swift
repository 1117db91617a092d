import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `gpuprobe probe --format nfd` as a DaemonSet runs it: the built executable replaying host
/// bundles, writing into a features.d folder over and over.
@Suite struct NFDCommandTests {
    static let a100 = Fixtures.url("hosts/a100-sxm4-mig-xml").path
    static let noGPU = Fixtures.url("hosts/debian12-vm-no-gpu").path

    static func expected(_ bundle: String) throws -> String {
        try Fixtures.text("hosts/\(bundle)/expected.nfd")
    }

    /// A temporary folder with an empty `features.d/` inside.
    static func folder() throws -> URL {
        let folder = try InterruptTests.temporaryFolder()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("features.d"),
            withIntermediateDirectories: false
        )
        return folder
    }

    static func run(_ arguments: [String], in folder: URL) -> MatchCommandTests.Result {
        MatchCommandTests.run(arguments, cache: folder.appendingPathComponent(".cache"), in: folder)
    }

    static func write(_ replay: String, _ extra: [String] = [], in folder: URL)
        -> MatchCommandTests.Result
    {
        run(
            [
                "probe", "--replay", replay, "--format", "nfd", "--output-file",
                "features.d/gpuprobe",
            ]
                + extra,
            in: folder
        )
    }

    static func contents(_ folder: URL) -> String? {
        FileManager.default.contents(atPath: folder.path + "/features.d/gpuprobe")
            .map { String(decoding: $0, as: UTF8.self) }
    }

    static func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path + "/features.d").sorted()
    }

    @Test func printsTheLabelsOfAReplay() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.run(["probe", "--replay", Self.a100, "--format", "nfd"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == (try Self.expected("a100-sxm4-mig-xml")))
        #expect(result.stderr == "")
    }

    @Test func writesANewFileAndLeavesNothingElse() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.write(Self.a100, in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "")
        #expect(result.stderr == "gpuprobe: wrote features.d/gpuprobe (13 labels)\n")
        #expect(Self.contents(folder) == (try Self.expected("a100-sxm4-mig-xml")))
        #expect(try Self.names(folder) == ["gpuprobe"])
        let mode =
            try FileManager.default.attributesOfItem(
                atPath: folder.path + "/features.d/gpuprobe"
            )[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    /// The DaemonSet's loop: each run replaces the file the last one wrote, with no --force.
    @Test func replacesItsOwnFileEveryRun() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Self.write(Self.a100, in: folder).status == 0)
        let second = Self.write(Self.noGPU, in: folder)
        #expect(second.status == 0)
        #expect(Self.contents(folder) == (try Self.expected("debian12-vm-no-gpu")))
        #expect(Self.write(Self.a100, in: folder).status == 0)
        #expect(Self.contents(folder) == (try Self.expected("a100-sxm4-mig-xml")))
        #expect(try Self.names(folder) == ["gpuprobe"])
    }

    /// A file made by redirecting standard output carries the same header, so it is ours too.
    @Test func replacesAFileMadeFromStandardOutput() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let printed = Self.run(["probe", "--replay", Self.noGPU, "--format", "nfd"], in: folder)
        try Data(printed.stdout.utf8).write(
            to: folder.appendingPathComponent("features.d/gpuprobe")
        )
        #expect(Self.write(Self.a100, in: folder).status == 0)
        #expect(Self.contents(folder) == (try Self.expected("a100-sxm4-mig-xml")))
    }

    @Test(arguments: [
        "nvidia.com/gpu.product=Tesla-T4\n",
        "",
        "# my own labels\nexample.com/rack=a1\n",
        "x # gpuprobe nfd labels\n",
    ])
    func refusesAFileItDidNotWriteUnlessForced(existing: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("features.d/gpuprobe")
        try Data(existing.utf8).write(to: path)
        let refused = Self.write(Self.a100, in: folder)
        #expect(refused.status == 2)
        #expect(refused.stdout == "")
        #expect(
            refused.stderr
                == "gpuprobe: error: 'features.d/gpuprobe' exists and was not written by gpuprobe "
                + "(its first line is not '# gpuprobe nfd labels ...'); pass --force to replace "
                + "it, or choose another name\n"
        )
        #expect(Self.contents(folder) == existing)
        #expect(try Self.names(folder) == ["gpuprobe"])

        let forced = Self.write(Self.a100, ["--force"], in: folder)
        #expect(forced.status == 0)
        #expect(Self.contents(folder) == (try Self.expected("a100-sxm4-mig-xml")))
        // Once gpuprobe wrote it, later runs need no --force.
        #expect(Self.write(Self.noGPU, in: folder).status == 0)
    }

    @Test func refusesALinkEvenToItsOwnFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let own = folder.appendingPathComponent("own")
        let printed = Self.run(["probe", "--replay", Self.noGPU, "--format", "nfd"], in: folder)
        try Data(printed.stdout.utf8).write(to: own)
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/features.d/gpuprobe",
            withDestinationPath: own.path
        )
        // --force does not change that: it replaces files, never links, devices or folders.
        for extra in [[], ["--force"]] {
            let refused = Self.write(Self.a100, extra, in: folder)
            #expect(refused.status == 2)
            #expect(
                refused.stderr.hasPrefix(
                    "gpuprobe: error: 'features.d/gpuprobe' is a symbolic link, not a regular file;"
                )
            )
            #expect(refused.stderr.hasSuffix("with or without --force: choose another name\n"))
            #expect(
                (try? FileManager.default.destinationOfSymbolicLink(
                    atPath: folder.path + "/features.d/gpuprobe"
                )) == own.path
            )
        }
        #expect(FileManager.default.contents(atPath: own.path) == Data(printed.stdout.utf8))
    }

    @Test func refusesAFolderEvenWithForce() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for extra in [[], ["--force"]] {
            let result = Self.run(
                ["probe", "--replay", Self.a100, "--format", "nfd", "--output-file", "features.d"]
                    + extra,
                in: folder
            )
            #expect(result.status == 2)
            #expect(
                result.stderr
                    == "gpuprobe: error: 'features.d' is a directory; pass the file to write, such "
                    + "as 'features.d/gpuprobe'\n"
            )
        }
        #expect(try Self.names(folder).isEmpty)
    }

    @Test func aMissingFolderIsAnOutputError() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.run(
            [
                "probe", "--replay", Self.a100, "--format", "nfd", "--output-file",
                "absent/gpuprobe",
            ],
            in: folder
        )
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("gpuprobe: error: cannot write 'absent/gpuprobe': "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// nfd-worker, which may read the file at any moment, sees the old file or the new one.
    ///
    /// Held just before the rename, the old file is whole and the new one is complete under a
    /// dot name, which nfd-worker skips. Interrupted there, the old file stays and the
    /// temporary one goes.
    @Test func theFileIsNeverHalfWritten() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Self.write(Self.noGPU, in: folder).status == 0)
        let old = try Self.expected("debian12-vm-no-gpu")
        var during: [String: Data] = [:]
        let ended = try InterruptTests.interrupt(
            [
                "probe", "--replay", Self.a100, "--format", "nfd", "--output-file",
                "features.d/gpuprobe",
            ],
            in: folder,
            hold: "write",
            waitFor: "gpuprobe: test hold: write",
            signal: SIGTERM,
            after: {
                during = InterruptTests.listing(folder.appendingPathComponent("features.d"))
                return true
            }
        )
        #expect(during["gpuprobe"] == Data(old.utf8))
        let temporary = during.keys.filter { $0 != "gpuprobe" }
        #expect(temporary.count == 1)
        #expect(temporary.allSatisfy { $0.hasPrefix(".gpuprobe.partial-") })
        #expect(
            temporary.first.flatMap { during[$0] }
                == Data((try Self.expected("a100-sxm4-mig-xml")).utf8)
        )
        #expect(ended.status == 128 + SIGTERM)
        #expect(Self.contents(folder) == old)
        #expect(try Self.names(folder) == ["gpuprobe"])
    }

    // MARK: - The command line

    @Test(arguments: [
        (args: ["--format", "nfd"], replay: nil, outputFile: nil, force: false),
        (
            args: ["probe", "--format=nfd", "--replay", "b", "--output-file", "f"],
            replay: "b",
            outputFile: "f",
            force: false
        ),
        (
            args: ["--format", "nfd", "--output-file=f", "--force"],
            replay: nil,
            outputFile: "f",
            force: true
        ),
        (
            args: ["--format", "nfd", "--output-file", "-"], replay: nil, outputFile: nil,
            force: false
        ),
    ])
    func parsesNFDOptions(args: [String], replay: String?, outputFile: String?, force: Bool) throws
    {
        let probe = try #require(try Commands.parse(args) as? ProbeCommand)
        #expect(probe.replay == replay)
        #expect(probe.outputFile == outputFile)
        #expect(probe.force == force)
        #expect(probe.format == .nfd)
    }

    @Test(arguments: [
        (
            args: ["probe", "--output-file", "f"],
            error: UsageError.notApplicable(
                flag: "--output-file",
                command: "probe without --format nfd"
            )
        ),
        (
            args: ["--format", "json", "--output-file", "f"],
            error: .notApplicable(flag: "--output-file", command: "probe without --format nfd")
        ),
        (
            args: ["--format", "nfd", "--force"],
            error: .notApplicable(flag: "--force", command: "probe without --output-file")
        ),
        (
            args: ["match", "--format", "nfd"],
            error: .notApplicable(flag: "--format nfd", command: "match", takenBy: ["probe"])
        ),
        (
            args: ["capture", "out", "--format", "nfd"],
            error: .notApplicable(flag: "--format nfd", command: "capture", takenBy: ["probe"])
        ),
        (
            args: ["dockerfile", "--output-file", "f"],
            error: .notApplicable(flag: "--output-file", command: "dockerfile", takenBy: ["probe"])
        ),
        (args: ["--format", "nfd", "--output-file"], error: .missingValue(flag: "--output-file")),
    ])
    func rejectsNFDOptionsWhereTheyDoNotApply(args: [String], error: UsageError) {
        #expect(throws: error) { try Commands.parse(args) }
    }

    @Test func usageErrorExits64() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.run(["run-flags", "--format", "nfd"], in: folder)
        #expect(result.status == 64)
        #expect(
            result.stderr.hasPrefix(
                "gpuprobe: error: --format nfd does not apply to 'run-flags'; probe takes it\n"
            )
        )
    }
}
