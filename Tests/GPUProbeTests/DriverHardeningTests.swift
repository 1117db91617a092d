import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Hostile installers read in-process, with the reader's bounds lowered where proving them at
/// their real size would take gigabytes: a compression bomb, files that must not be read past
/// their first megabyte, kernel files, a tar holding the list twice, a header whose payload
/// starts within the lines read as header text.
@Suite struct DriverHardeningTests {
    /// An NVIDIA makeself header of 19 lines whose payload starts on line `skip` (20 by
    /// default: right after it, as a makeself with a short stub writes it).
    static func header(version: String = "550.135", skip: Int = 20) -> [UInt8] {
        let lines = [
            "#! /bin/sh", "CRCsum=0", "MD5=00000000000000000000000000000000", "skip=\(skip)",
            "skip_decompress=\(skip)", "size_decompress=0",
            "label=\"NVIDIA Accelerated Graphics Driver for Linux-x86_64 \(version)\"",
            "version_string=\(version)", "pkg_version=1", "script=./nvidia-installer",
            "targetdir=NVIDIA-Linux-x86_64-\(version)", "scriptargs=\"\"", "keep=n",
            "add_this_kernel=n", "apply_patch=n", "TMPROOT=${TMPDIR:=/tmp}", "TARGET_OS=\"Linux\"",
            "TARGET_ARCH=\"x86_64\"", "exit 0",
        ]
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// A tar (GNU format, made by `tar`) of `members` (path in the package, bytes), each put
    /// in a folder of its own so that one path can be given twice, compressed with `compress`
    /// (`gzip -9`, `xz -6`).
    static func payload(
        _ members: [(path: String, bytes: [UInt8])],
        compress: [String],
        in work: FakeInstallers
    ) throws -> [UInt8] {
        let root = work.directory.appendingPathComponent("payload-\(UUID().uuidString)")
        var arguments = ["tar", "--format=gnu", "--owner=0", "--group=0", "--mtime=@0", "-cf", "-"]
        for (index, member) in members.enumerated() {
            let folder = root.appendingPathComponent("\(index)")
            let file = folder.appendingPathComponent(member.path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(member.bytes).write(to: file)
            arguments += ["-C", folder.path, member.path]
        }
        let tar = root.appendingPathComponent("payload.tar")
        try FakeInstallers.run(["sh", "-c", "\"$@\" > '\(tar.path)'", "sh"] + arguments)
        try FakeInstallers.run(compress + [tar.path])
        let suffix = compress[0] == "gzip" ? ".gz" : ".xz"
        return Array(try Data(contentsOf: URL(fileURLWithPath: tar.path + suffix)))
    }

    static let listPath = "NVIDIA-Linux-x86_64-550.135/supported-gpus/supported-gpus.json"

    static func list(_ devices: [String]) -> [UInt8] {
        let chips = devices.map { #"{"devid":"\#($0)","name":"GPU \#($0)","features":[]}"# }
        return Array(#"{"chips":[\#(chips.joined(separator: ","))]}"#.utf8)
    }

    /// Bytes this thread has read with read(2) and the like so far (`rchar` of
    /// /proc/thread-self/io): the reader runs on the calling thread, so the difference is what
    /// it read, whatever other tests read meanwhile.
    static func bytesReadByThisThread() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("rchar:") })
        return try #require(
            Int(line.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces))
        )
    }

    static let compressors = [["gzip", "-9", "-n"], ["xz", "-6", "-T1"]]

    @Test(arguments: compressors)
    func aCompressionBombStopsAtTheDecodedLimit(compress: [String]) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        // 16 MiB of zeros, a few kilobytes compressed, before the list.
        let bytes =
            Self.header()
            + (try Self.payload(
                [
                    (
                        "NVIDIA-Linux-x86_64-550.135/payload.bin",
                        [UInt8](repeating: 0, count: 16 << 20)
                    ),
                    (Self.listPath, Self.list(["0x2330"])),
                ],
                compress: compress,
                in: work
            ))
        let path = try work.write(bytes, name: "NVIDIA-Linux-x86_64-550.135.run")
        #expect(bytes.count < 64 << 10)

        var limits = DriverInstallerReader.Limits()
        limits.decoded = 4 << 20
        let bounded = DriverInstallerReader.readWithIdentity(path: path, limits: limits).installer
        #expect(
            bounded.problem
                == "the payload decodes to more than 4 MiB before its archive ends, which no "
                + "NVIDIA installer does (a compression bomb?); the file is damaged or not "
                + "NVIDIA's: download it again from NVIDIA"
        )
        #expect(bounded.supportedGPUs == nil)
        // Past the slack, a thousand to one is no installer's ratio.
        var ratio = DriverInstallerReader.Limits()
        ratio.ratioSlack = 1 << 20
        let bomb = DriverInstallerReader.readWithIdentity(path: path, limits: ratio).installer
        let problem = try #require(bomb.problem)
        #expect(
            problem.hasPrefix("the payload decodes to more than 64 times its size ("),
            "\(problem)"
        )
        #expect(
            problem.hasSuffix(
                "which no NVIDIA installer does (a compression bomb?); the file is damaged or not NVIDIA's: download it again from NVIDIA"
            )
        )
        // Under the real bound the same file is a good installer.
        let whole = DriverInstallerReader.read(path: path)
        #expect(whole.problem == nil)
        #expect(whole.supportedGPUs?.map(\.deviceID) == [0x2330])
        #expect(DriverInstallerReader.Limits().decoded == 2 << 30)
    }

    /// A file known to be bad after its first megabyte is not read (nor hashed) further.
    @Test(arguments: ["not a header", "bad payload", "bad name"])
    func readingStopsOnceTheFileIsRejected(kind: String) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let rest = [UInt8](repeating: 0x41, count: 32 << 20)
        var name = "NVIDIA-Linux-x86_64-550.135.run"
        let bytes: [UInt8]
        let problem: String
        switch kind {
        case "not a header":
            bytes = rest
            problem = "not an NVIDIA driver installer: it does not start with `#!`"
        case "bad payload":
            bytes = Self.header() + rest
            problem = "the payload is neither gzip nor xz (it starts with 41 41 41"
        default:
            bytes = Self.header() + rest
            name = "NVIDIA-Linux-x86_64-550.136.run"
            problem = "the file name 'NVIDIA-Linux-x86_64-550.136.run' says version 550.136"
        }
        let path = try work.write(bytes, name: name)
        let before = try Self.bytesReadByThisThread()
        let installer = DriverInstallerReader.read(path: path)
        let read = try Self.bytesReadByThisThread() - before
        #expect(installer.problem?.hasPrefix(problem) == true, "\(installer.problem ?? "")")
        #expect(installer.sha256 == nil)
        #expect(read <= 2 << 20, "read \(read) bytes of a 32 MiB file known bad after 1 MiB")
    }

    @Test func aFileOverTheSizeLimitOrWithHolesIsNotRead() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        // A good installer followed by a hole: a preallocated download that never finished.
        let good = try work.build(FakeInstallers.Spec(version: "550.135"))
        let holed = work.directory.appendingPathComponent("NVIDIA-Linux-x86_64-550.135.run").path
        #expect(truncate(holed, 64 << 20) == 0)
        let huge = try work.write(Self.header(), name: "NVIDIA-Linux-x86_64-550.136.run")
        #expect(truncate(huge, 20 << 30) == 0)
        #expect(good == holed)

        let before = try Self.bytesReadByThisThread()
        let sparse = DriverInstallerReader.read(path: holed)
        let tooLarge = DriverInstallerReader.read(path: huge)
        #expect(try Self.bytesReadByThisThread() - before < 1 << 20)
        #expect(sparse.problem?.hasPrefix("it has a hole at byte ") == true, "\(sparse)")
        #expect(
            sparse.problem?.hasSuffix(
                "a download that was cut or never finished; download it again"
            ) == true
        )
        #expect(
            tooLarge.problem
                == "it is 21474836480 bytes, larger than the 2 GiB gpuprobe reads (NVIDIA's "
                + "installers are under 450 MB); it is not an NVIDIA installer: download it "
                + "again from NVIDIA"
        )
        #expect(sparse.sha256 == nil && tooLarge.sha256 == nil)
    }

    /// /proc files say they are empty (or 4096 bytes) and some never end: refused unread,
    /// also through a link in the drivers folder.
    @Test(arguments: ["/proc/self/pagemap", "/proc/self/mem", "/proc/self/status"])
    func kernelFilesAreNotRead(target: String) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let link = work.directory.appendingPathComponent("NVIDIA-Linux-x86_64-550.135.run")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
        let scan = try DriverFolder.scan(work.directory.path, cache: nil)
        #expect(scan.installers.count == 1)
        #expect(
            scan.installers.first?.problem
                == "it is a file of the kernel's /proc, not an installer; put only "
                + "NVIDIA-Linux-*.run files here"
        )
    }

    /// `tar x` keeps the last of two members with one path, so that is the list the installer
    /// sees, and the one gpuprobe reads; the test checks tar's side too.
    @Test(arguments: compressors)
    func theLastListInTheArchiveIsTheOneRead(compress: [String]) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let payload = try Self.payload(
            [
                (Self.listPath, Self.list(["0x1DB4"])),
                ("NVIDIA-Linux-x86_64-550.135/nvidia-installer", Array("#!/bin/sh\n".utf8)),
                (Self.listPath, Self.list(["0x2330", "0x20B0"])),
            ],
            compress: compress,
            in: work
        )
        let path = try work.write(Self.header() + payload, name: "NVIDIA-Linux-x86_64-550.135.run")
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil)
        #expect(installer.supportedGPUs?.map(\.deviceID) == [0x2330, 0x20B0])

        let extracted = work.directory.appendingPathComponent("extracted")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        let archive = try work.write(payload, name: "payload")
        try FakeInstallers.run(["tar", "-C", extracted.path, "-xf", archive])
        let kept = try Data(contentsOf: extracted.appendingPathComponent(Self.listPath))
        #expect(Array(kept) == Self.list(["0x2330", "0x20B0"]))
    }

    /// A makeself with a short stub puts the payload on line 20, inside the lines the header
    /// reader used to read as text; a stored (uncompressed) gzip payload has no line break
    /// in its first 64 KiB, which made the reader call the header's line 20 too long.
    @Test func aPayloadRightAfterAShortHeaderIsNotReadAsHeader() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let tar = try Self.payload(
            [
                (
                    "NVIDIA-Linux-x86_64-550.135/payload.bin",
                    [UInt8](repeating: 0x41, count: 100_000)
                ),
                (Self.listPath, Self.list(["0x2330"])),
            ],
            compress: ["gzip", "-9", "-n"],
            in: work
        )
        // The same tar, stored in gzip without compression (python's level 0).
        let gz = try work.write(tar, name: "payload.gz")
        let stored = work.directory.appendingPathComponent("stored.gz").path
        try FakeInstallers.run([
            "python3", "-c",
            "import gzip,sys; d=gzip.decompress(open(sys.argv[1],'rb').read()); "
                + "open(sys.argv[2],'wb').write(gzip.compress(d, compresslevel=0, mtime=0))",
            gz, stored,
        ])
        let payload = Array(try Data(contentsOf: URL(fileURLWithPath: stored)))
        #expect(!payload.prefix(64 << 10).contains(0x0A))
        let path = try work.write(Self.header() + payload, name: "NVIDIA-Linux-x86_64-550.135.run")
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil, "\(installer.problem ?? "")")
        #expect(installer.supportedGPUs?.map(\.deviceID) == [0x2330])
    }

    @Test func aSkipThatPointsIntoTheHeaderIsRefused() {
        let text = "#! /bin/sh\nCRCsum=0\nMD5=0\nskip=3\nversion_string=550.135\n"
        #expect(
            throws: RunHeaderError.badValue(
                variable: "skip",
                value: "'3'",
                expected: "a line after the header (it is on line 4)"
            )
        ) { try RunHeader.parse(Array(text.utf8), endsFile: true) }
    }

    /// A header line after the assignment block that is far too long is the stub's or the
    /// payload's, not the header's: the verdict is about `skip`, not about a long line.
    @Test func aSkipPastTheFileIsNamedNotALongLine() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let path = try work.write(
            Self.header(skip: 9_999_999) + [UInt8](repeating: 0x41, count: 1 << 20),
            name: "NVIDIA-Linux-x86_64-550.135.run"
        )
        let installer = DriverInstallerReader.read(path: path)
        #expect(
            installer.problem
                == "the file ends before line 9999999, where its header says the payload "
                + "starts: truncated download? download it again",
            "\(installer.problem ?? "")"
        )
    }
}
