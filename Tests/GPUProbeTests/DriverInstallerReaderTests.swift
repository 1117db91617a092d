import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct DriverInstallerReaderTests {
    typealias Spec = FakeInstallers.Spec

    static let layouts: [(FakeInstallers.Compression, FakeInstallers.TarFormat)] =
        FakeInstallers.Compression.allCases.flatMap { compression in
            FakeInstallers.TarFormat.allCases.map { (compression, $0) }
        }

    @Test(arguments: layouts)
    func readsHeaderListAndHash(
        compression: FakeInstallers.Compression,
        tarFormat: FakeInstallers.TarFormat
    ) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(
            Spec(compression: compression, tarFormat: tarFormat, longPath: true)
        )
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil)
        #expect(installer.fileName == "NVIDIA-Linux-x86_64-550.135.run")
        #expect(installer.variant == nil)
        #expect(installer.version == "550.135")
        #expect(installer.architecture == "x86_64")
        #expect(installer.label == "NVIDIA Accelerated Graphics Driver for Linux-x86_64 550.135")
        #expect(installer.compression == compression.rawValue)
        #expect(installer.sha256 == (try FakeInstallers.sha256sum(path)))
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(installer.size == Int64(size ?? -1))
        let chips = try #require(installer.supportedGPUs)
        #expect(chips.map(\.deviceID) == [0x2330, 0x1DB4, 0x20B0, 0x20B0])
        // The record keeps what the matcher reads: features are not among it.
        #expect(chips.allSatisfy { $0.features.isEmpty })
        #expect(chips[1].legacyBranch == "580.xx")
        #expect(chips[2].subsystemVendorID == 0x10DE && chips[2].subsystemDeviceID == 0x134F)
    }

    /// The payload spans several 1 MiB reads and the list is the tar's last member.
    @Test(arguments: FakeInstallers.Compression.allCases)
    func readsAPayloadLargerThanOneChunk(compression: FakeInstallers.Compression) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(Spec(compression: compression, fillerSize: 3 << 19))
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil)
        #expect(installer.supportedGPUs?.count == 4)
        #expect(installer.sha256 == (try FakeInstallers.sha256sum(path)))
    }

    /// The hash covers the whole file even when decoding stops at a list near the start.
    @Test(arguments: FakeInstallers.Compression.allCases)
    func hashesPastTheList(compression: FakeInstallers.Compression) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(
            Spec(compression: compression, fillerSize: 3 << 19, listFirst: true)
        )
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil)
        #expect(installer.supportedGPUs?.count == 4)
        #expect(installer.sha256 == (try FakeInstallers.sha256sum(path)))
    }

    @Test func readsXZWithoutIntegrityCheck() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(Spec(compression: .xz, xzCheck: "none"))
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil)
        #expect(installer.supportedGPUs?.count == 4)
    }

    @Test(arguments: FakeInstallers.Compression.allCases)
    func aPayloadWithoutTheListIsNotAProblem(compression: FakeInstallers.Compression) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(Spec(compression: compression, supportedGPUs: nil))
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.problem == nil)
        #expect(installer.supportedGPUs == nil)
        #expect(installer.compression == compression.rawValue)
        #expect(
            installer.support(deviceID: 0x2330, subsystemVendorID: nil, subsystemDeviceID: nil)
                == .unknown
        )
    }

    @Test func theEmbeddedDecompressorSpanIsSkipped() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        // gzip with a span too: the span holds both magic numbers and must not be sniffed.
        for spec in [
            Spec(compression: .gzip, decompressorLines: 5),
            Spec(compression: .xz, decompressorLines: 40),
        ] {
            let installer = DriverInstallerReader.read(path: try fakes.build(spec))
            #expect(installer.problem == nil)
            #expect(installer.compression == spec.compression.rawValue)
            #expect(installer.supportedGPUs?.count == 4)
        }
    }

    @Test(arguments: [
        (name: "NVIDIA-Linux-x86_64-550.135-no-compat32.run", variant: "no-compat32"),
        (name: "NVIDIA-Linux-x86_64-550.135-grid.run", variant: "grid"),
        (name: "NVIDIA-Linux-x86_64-550.135-vgpu-kvm.run", variant: "vgpu-kvm"),
    ])
    func variantsComeFromTheName(name: String, variant: String) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let installer = DriverInstallerReader.read(path: try fakes.build(name: name))
        #expect(installer.problem == nil)
        #expect(installer.variant == variant)
    }

    // MARK: Damage

    /// Cuts inside the assignments, inside the stub, early and late in the payload.
    ///
    /// A cut after the list is still caught for xz, whose footer is then missing.
    @Test(arguments: [
        (
            compression: FakeInstallers.Compression.gzip, listFirst: false, cut: "header",
            expected: "the file ends inside the installer header"
        ),
        (.gzip, false, "stub", "the file ends before line"),
        (.gzip, false, "magic", "payload ends early: truncated download?"),
        (.gzip, false, "payload", "payload ends early: truncated download?"),
        (.xz, false, "header", "the file ends inside the installer header"),
        (.xz, false, "stub", "the file ends before line"),
        (.xz, false, "payload", "payload ends early: truncated download?"),
        (.xz, true, "payload", "payload ends early: truncated download?"),
        (.xz, true, "last byte", "payload ends early: truncated download?"),
    ])
    func truncatedFilesSaySo(
        compression: FakeInstallers.Compression,
        listFirst: Bool,
        cut: String,
        expected: String
    ) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(
            Spec(compression: compression, fillerSize: 256 << 10, listFirst: listFirst)
        )
        let size = Int(DriverInstallerReader.read(path: path).size)
        let payload = try FakeInstallers.payloadOffset(path)
        let keep =
            switch cut {
            case "header": 120
            case "stub": payload - 30
            case "magic": payload + 1
            case "payload": payload + (size - payload) / 2
            default: size - 1
            }
        let installer = DriverInstallerReader.read(
            path: try fakes.cut(path, to: keep, name: "NVIDIA-Linux-x86_64-550.135-cut.run")
        )
        let problem = try #require(installer.problem)
        #expect(problem.contains(expected), "\(problem)")
        // A cut header is known bad at once, and the file is not read further; the other cuts
        // are seen at the end, the whole file hashed.
        #expect((installer.sha256 != nil) == (cut != "header"))
    }

    @Test(arguments: FakeInstallers.Compression.allCases)
    func corruptPayloadsSaySo(compression: FakeInstallers.Compression) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(Spec(compression: compression, fillerSize: 256 * 1024))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let payload = try FakeInstallers.payloadOffset(path)
        for index in (payload + 64)..<(payload + 320) { bytes[index] ^= 0xA5 }
        let corrupt = try fakes.write(bytes, name: "NVIDIA-Linux-x86_64-550.135-corrupt.run")
        let problem = try #require(DriverInstallerReader.read(path: corrupt).problem)
        #expect(problem.hasPrefix("payload is corrupt: "), "\(problem)")
    }

    @Test func anUnknownPayloadIsNamed() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let payload = try FakeInstallers.payloadOffset(path)
        bytes.replaceSubrange(payload..<(payload + 3), with: Array("BZh".utf8))
        let bzip = try fakes.write(bytes, name: "NVIDIA-Linux-x86_64-550.135-bz.run")
        let installer = DriverInstallerReader.read(path: bzip)
        #expect(installer.compression == "bzip2")
        #expect(installer.problem?.contains("bzip2-compressed") == true)
        bytes.replaceSubrange(payload..<(payload + 3), with: [0x50, 0x4B, 0x03])
        let zip = try fakes.write(bytes, name: "NVIDIA-Linux-x86_64-550.135-zip.run")
        #expect(
            DriverInstallerReader.read(path: zip).problem?.contains(
                "neither gzip nor xz (it starts with 50 4b 03"
            ) == true
        )
    }

    @Test func aMalformedListIsAProblem() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(
            Spec(supportedGPUs: #"{"chips":[{"devid":"0xZZZZ","name":"x"}]}"#)
        )
        let installer = DriverInstallerReader.read(path: path)
        #expect(installer.supportedGPUs == nil)
        #expect(
            installer.problem?.contains("supported-gpus.json in the payload is not valid") == true
        )
    }

    @Test func anUpstreamMakeselfArchiveIsNotNVIDIAs() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.upstreamMakeself(name: "NVIDIA-Linux-x86_64-550.135.run")
        let installer = DriverInstallerReader.read(path: path)
        let problem = try #require(installer.problem)
        #expect(
            problem.hasPrefix("not NVIDIA's installer layout (makeself 1.6.0-nv2)"),
            "\(problem)"
        )
        #expect(problem.contains("Makeself 2."), "\(problem)")
        #expect(installer.version == nil)
        // Known not to be NVIDIA's from its header: not read (nor hashed) further.
        #expect(installer.sha256 == nil)
    }

    @Test(arguments: [
        (variable: "version_string", value: "550.54.14;rm -rf /"),
        ("version_string", "$(reboot)"),
        ("TARGET_ARCH", "\"x86_64;reboot\""),
        ("TARGET_ARCH", "\"x86 64\""),
        ("label", "\"NVIDIA \u{1B}[31m red\""),
        ("label", "\"" + String(repeating: "L", count: 300) + "\""),
        ("skip", "12abc"),
        ("skip", "0"),
        ("skip", "99999999"),
        ("MD5", "not-a-digest"),
    ])
    func untrustedHeaderValuesAreChecked(variable: String, value: String) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(Spec(header: [variable: value]))
        let installer = DriverInstallerReader.read(path: path)
        let problem = try #require(installer.problem)
        #expect(problem.hasPrefix("the header's \(variable) is '"), "\(problem)")
        #expect(!problem.contains("\u{1B}"))
        #expect(installer.version == nil && installer.supportedGPUs == nil)
    }

    @Test func aMissingVersionIsNotNVIDIAsLayout() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let path = try fakes.build(Spec(omit: ["version_string"]))
        let problem = try #require(DriverInstallerReader.read(path: path).problem)
        #expect(problem.contains("the header has no `version_string=` line"), "\(problem)")
    }

    @Test(arguments: [
        (
            name: "NVIDIA-Linux-x86_64-550.127.05.run",
            named: "version 550.127.05 but its header says 550.135"
        ),
        ("NVIDIA-Linux-aarch64-550.135.run", "architecture aarch64 but its header says x86_64"),
        ("driver.run", "does not follow NVIDIA-Linux-<arch>-<version>[-<variant>].run"),
    ])
    func theNameMustAgreeWithTheHeader(name: String, named: String) throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let installer = DriverInstallerReader.read(path: try fakes.build(name: name))
        let problem = try #require(installer.problem)
        #expect(problem.contains(named), "\(problem)")
        #expect(problem.contains("550.135"))
        // The header was read; the rest of a file known to be misnamed is not.
        #expect(installer.version == "550.135")
        #expect(installer.supportedGPUs == nil && installer.sha256 == nil)
    }

    @Test func unreadableFilesAreProblemsNotCrashes() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let missing = DriverInstallerReader.read(
            path: fakes.directory.path + "/NVIDIA-Linux-x86_64-1.2.run"
        )
        #expect(missing.problem?.hasPrefix("could not open it: No such file or directory") == true)
        #expect(missing.sha256 == nil)
        let empty = DriverInstallerReader.read(
            path: try fakes.write([], name: "NVIDIA-Linux-x86_64-1.2.run")
        )
        #expect(empty.problem?.hasPrefix("the file is empty") == true)
        let elf = try fakes.write([0x7F, 0x45, 0x4C, 0x46, 2, 1], name: "elf.run")
        #expect(
            DriverInstallerReader.read(path: elf).problem?.contains(
                "it starts with 7f 45 4c 46 02 01"
            ) == true
        )
    }
}
