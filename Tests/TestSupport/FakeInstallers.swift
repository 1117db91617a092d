import Foundation

/// Builds installers in NVIDIA's `.run` layout (the makeself 1.6.0-nv2 header that the
/// `makeself.sh` inside NVIDIA-Linux-x86_64-390.48.run writes, a stub, an optional embedded-decompressor span and
/// a gzip or xz tar payload) in a fresh temporary folder, with the real `tar`, `gzip` and `xz`.
///
/// Every instance owns its own folder, so tests running in parallel never share a path.
struct FakeInstallers {
    /// The payload's compression.
    enum Compression: String, CaseIterable, Sendable, CustomStringConvertible {
        case gzip, xz
        var description: String { rawValue }
    }

    /// The tar dialect (`tar --format`): long paths become GNU `L` members, pax `x` headers or
    /// a ustar prefix.
    enum TarFormat: String, CaseIterable, Sendable, CustomStringConvertible {
        case gnu, pax, ustar
        var description: String { rawValue }
    }

    /// What to put in one installer.
    struct Spec: Sendable {
        var version = "550.135"
        var architecture = "x86_64"
        var compression = Compression.gzip
        var tarFormat = TarFormat.gnu
        /// supported-gpus.json's text; nil leaves the file out.
        var supportedGPUs: String? = FakeInstallers.sampleList
        /// Bytes of filler in the package (pseudo-random, so barely compressible).
        var fillerSize = 64 * 1024
        /// Whether the list comes before the filler in the tar (else last, as a worst case).
        var listFirst = false
        /// Whether the list sits under a folder path longer than 100 bytes.
        var longPath = false
        /// Lines of an embedded decompressor between `skip_decompress` and `skip`; nil means
        /// 7 for xz (NVIDIA embeds one with `--xz`) and none for gzip.
        var decompressorLines: Int?
        /// xz's integrity check (`--check`).
        var xzCheck = "crc64"
        /// Header values written instead of the real ones, verbatim (`"version_string": "x"`).
        var header: [String: String] = [:]
        /// Header variables left out.
        var omit: Set<String> = []
    }

    /// A small list: a supported chip, a legacy chip and one chip listed per subsystem.
    static let sampleList = """
        {"chips":[
         {"devid":"0x2330","name":"NVIDIA H100 80GB HBM3","features":["kernelopen","gsp_proprietary_supported"]},
         {"devid":"0x1DB4","name":"Tesla V100-PCIE-16GB","legacybranch":"580.xx","features":[]},
         {"devid":"0x20B0","subdevid":"0x134F","subvendorid":"0x10DE","name":"NVIDIA A100-SXM4-40GB","features":["kernelopen"]},
         {"devid":"0x20B0","name":"NVIDIA A100 generic","features":["kernelopen"],"future_key":{"x":[1,2]}}
        ]}
        """

    /// The folder holding everything this instance writes.
    let directory: URL

    /// Creates an empty temporary folder.
    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-installers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The file name NVIDIA would give `spec`'s package.
    static func name(_ spec: Spec) -> String {
        "NVIDIA-Linux-\(spec.architecture)-\(spec.version).run"
    }

    /// Builds an installer named `name` (default: NVIDIA's name for it) in `folder` (default:
    /// ``directory``) and returns its path.
    @discardableResult
    func build(_ spec: Spec = Spec(), name: String? = nil, in folder: URL? = nil) throws -> String {
        let work = directory.appendingPathComponent("work-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let package = "NVIDIA-Linux-\(spec.architecture)-\(spec.version)"
        var listFolder = package + "/supported-gpus"
        if spec.longPath {
            listFolder =
                package + "/" + String(repeating: "a-rather-long-folder-name/", count: 5)
                + "supported-gpus"
        }
        try FileManager.default.createDirectory(
            at: work.appendingPathComponent(listFolder),
            withIntermediateDirectories: true
        )
        var members = [package + "/nvidia-installer"]
        try Data(Self.filler(spec.fillerSize)).write(
            to: work.appendingPathComponent(members[0])
        )
        if let list = spec.supportedGPUs {
            let member = listFolder + "/supported-gpus.json"
            try Data(list.utf8).write(to: work.appendingPathComponent(member))
            if spec.listFirst { members.insert(member, at: 0) } else { members.append(member) }
        }
        try Self.run(
            [
                "tar", "-C", work.path, "--format=\(spec.tarFormat)", "--mtime=@0", "--owner=0",
                "--group=0", "--numeric-owner", "-cf",
                work.appendingPathComponent("payload.tar").path,
            ]
                + members
        )
        let payloadPath: String
        switch spec.compression {
        case .gzip:
            try Self.run([
                "gzip", "-9", "-n", "-k", work.appendingPathComponent("payload.tar").path,
            ])
            payloadPath = work.appendingPathComponent("payload.tar.gz").path
        case .xz:
            try Self.run([
                "xz", "-6", "-k", "-T1", "--check=\(spec.xzCheck)",
                work.appendingPathComponent("payload.tar").path,
            ])
            payloadPath = work.appendingPathComponent("payload.tar.xz").path
        }
        let payload = Array(try Data(contentsOf: URL(fileURLWithPath: payloadPath)))

        let decompressorLines = spec.decompressorLines ?? (spec.compression == .xz ? 7 : 0)
        let stub = Self.stub
        let variableLines = 17
        let headerLines = 1 + variableLines + stub.count
        let skipDecompress = headerLines + 1
        let skip = skipDecompress + decompressorLines
        var values: [(String, String)] = [
            ("skip", "\(skip)"),
            ("skip_decompress", "\(skipDecompress)"),
            ("size_decompress", "\(decompressorLines)"),
            (
                "label",
                "\"NVIDIA Accelerated Graphics Driver for Linux-\(spec.architecture) \(spec.version)\""
            ),
            ("version_string", spec.version),
            ("pkg_version", "1"),
            ("script", "./nvidia-installer"),
            ("targetdir", package),
            ("scriptargs", "\"\""),
            ("keep", "n"),
            ("add_this_kernel", "n"),
            ("apply_patch", "n"),
            ("TMPROOT", "${TMPDIR:=/tmp}"),
            ("TARGET_OS", "\"Linux\""),
            ("TARGET_ARCH", "\"\(spec.architecture)\""),
        ]
        for index in values.indices {
            if let replacement = spec.header[values[index].0] { values[index].1 = replacement }
        }
        // Lines 4 onward; CRCsum and MD5 (lines 2 and 3) cover exactly these bytes.
        var body: [UInt8] = []
        for (key, value) in values {
            // A left-out variable keeps its line, so `skip` still counts lines right.
            let line = spec.omit.contains(key) ? "# \(key) left out" : "\(key)=\(value)"
            body += Array((line + "\n").utf8)
        }
        for line in stub { body += Array((line + "\n").utf8) }
        body += Self.decompressorSpan(lines: decompressorLines)
        body += payload
        let bodyPath = work.appendingPathComponent("body").path
        try Data(body).write(to: URL(fileURLWithPath: bodyPath))
        let crc = try Self.output(["cksum", bodyPath]).split(separator: " ").first ?? "0"
        let md5 = try Self.output(["md5sum", bodyPath]).split(separator: " ").first ?? ""
        var head = "#! /bin/sh\n"
        let crcValue = spec.header["CRCsum"] ?? String(crc)
        let md5Value = spec.header["MD5"] ?? String(md5)
        head += spec.omit.contains("CRCsum") ? "# CRCsum left out\n" : "CRCsum=\(crcValue)\n"
        head += spec.omit.contains("MD5") ? "# MD5 left out\n" : "MD5=\(md5Value)\n"
        return try write(Array(head.utf8) + body, name: name ?? Self.name(spec), in: folder)
    }

    /// Writes `bytes` as `name` in `folder` (default: ``directory``) and returns the path.
    @discardableResult
    func write(_ bytes: [UInt8], name: String, in folder: URL? = nil) throws -> String {
        let url = (folder ?? directory).appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes the first `count` bytes of the file at `path` as `name` and returns the path.
    func cut(_ path: String, to count: Int, name: String) throws -> String {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return try write(Array(bytes.prefix(count)), name: name)
    }

    /// The byte offset where the payload of the installer at `path` starts.
    static func payloadOffset(_ path: String) throws -> Int {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let skipLine = text.split(separator: "\n").first { $0.hasPrefix("skip=") } ?? "skip=0"
        var lines = (Int(skipLine.dropFirst(5)) ?? 0) - 1
        var offset = 0
        while lines > 0, offset < bytes.count {
            if bytes[offset] == 0x0A { lines -= 1 }
            offset += 1
        }
        return offset
    }

    /// An upstream makeself 2.x archive, made by Debian's `makeself`, named `name`.
    func upstreamMakeself(name: String) throws -> String {
        let content = directory.appendingPathComponent("makeself-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: content) }
        try Data("#!/bin/sh\necho hello\n".utf8).write(to: content.appendingPathComponent("run.sh"))
        let path = directory.appendingPathComponent(name).path
        try Self.run([
            "makeself", "--gzip", "--quiet", content.path, path, "Not NVIDIA", "./run.sh",
        ])
        return path
    }

    /// `sha256sum` of a file, for comparison.
    static func sha256sum(_ path: String) throws -> String {
        String(try output(["sha256sum", path]).prefix(64))
    }

    /// Lines of shell after the variables, like NVIDIA's stub; some look like assignments,
    /// which must not override the header's (the first assignment wins).
    private static let stub = [
        "if [ \"$1\" = \"--version-string\" ]; then",
        "    echo $version_string",
        "    exit 0",
        "fi",
        "version_string=999.99",
        "skip=1",
        "tail -n +$skip $0 | xz -d | tar xvf - 2>/dev/null",
        "exit 0",
    ]

    /// `lines` lines of bytes that look like a binary and hold the gzip and xz magic numbers,
    /// so that a reader sniffing before line `skip` would be fooled.
    private static func decompressorSpan(lines: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in 0..<lines {
            bytes += [0x7F, 0x45, 0x4C, 0x46, 0x1F, 0x8B, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
            bytes += filler(40 + line * 13).map { $0 == 0x0A ? 0x0B : $0 }
            bytes.append(0x0A)
        }
        return bytes
    }

    /// Deterministic pseudo-random bytes (a linear congruential generator).
    static func filler(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return bytes
    }

    /// Runs a tool from PATH and fails with its stderr when it does not exit 0.
    static func run(_ arguments: [String]) throws {
        _ = try output(arguments)
    }

    /// Runs a tool from PATH and returns its stdout.
    static func output(_ arguments: [String]) throws -> String {
        // No deadline of note: buildah builds of the emitted Dockerfiles take minutes.
        let run = CommandRun.run("/usr/bin/env", arguments, environment: nil, timeout: 3600)
        guard run.status == 0, !run.truncated else {
            throw ToolFailure(
                description: "\(arguments.joined(separator: " ")) failed: \(run.stderr)"
            )
        }
        return run.stdout
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }
}
