import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `stage-ascend` against a fake Ascend host laid out as a real one is.
@Suite struct AscendStagerTests {
    typealias FakeHost = FakeAscendHost

    // MARK: What lands where

    @Test func everyFileLandsAtItsTablePathWithTheSameBytes() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let report = try host.stage()

        #expect(report.entries.map(\.contextPath) == AscendFiles.all.map(\.contextPath))
        #expect(report.entries.map(\.source) == AscendFiles.all.map { $0.hostPaths[0] })
        #expect(report.entries.map(\.kind) == AscendFiles.all.map(\.kind))
        #expect(report.missingOptional == [])
        #expect(report.root == realPath(host.root))
        #expect(report.context == realPath(host.context))

        let expected: [(String, [UInt8])] = [
            ("ascend/dcmi/libdcmi.so", FakeHost.dcmiLibrary),
            ("ascend/dcmi/dcmi_interface_api.h", FakeHost.dcmiHeader),
            ("ascend/dcmi/private.conf", FakeHost.dcmiConfig),
            ("ascend/npu-smi", FakeHost.npuSMI),
            ("ascend/common/libc_sec.so", FakeHost.secure),
            ("ascend/common/libmmpa.so", FakeHost.mmpa),
            ("ascend/driver/libascend_hal.so.1.0", FakeHost.hal),
            ("ascend/driver/sub/libnested.so", FakeHost.nested),
            ("ascend/ascend_install.info", FakeHost.installInfo),
            ("ascend/vnpu.cfg", FakeHost.vnpu),
            (
                "ascend/version.info",
                Array(try Fixtures.text("ascend/version_info_24.1.rc2.2.txt").utf8)
            ),
        ]
        for (path, bytes) in expected {
            #expect(kind(host.staged(path)) == S_IFREG, "\(path)")
            #expect(try read(host.staged(path)) == bytes, "\(path)")
        }
        #expect(
            try read(host.staged("ascend/version.info")).starts(
                with: Array("Version=24.1.rc2.2\n".utf8)
            )
        )
        #expect(try contents(host.context) == ["ascend"])
    }

    @Test func npuSMIIsExecutableAndOtherModesAreKept() throws {
        let host = try FakeHost()
        defer { host.remove() }
        _ = try host.stage()
        // The host copy is 0644, reached through /usr/local/bin/npu-smi, an absolute link.
        #expect(mode(host.staged("ascend/npu-smi")) == 0o755)
        #expect(mode(host.staged("ascend/dcmi/private.conf")) == 0o640)
        #expect(mode(host.staged("ascend/dcmi/libdcmi.so")) == 0o644)
    }

    @Test func linksInsideAFolderAreRecreatedAsRelativeLinks() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let report = try host.stage()
        let links: [(String, String)] = [
            // Verbatim: the version chain survives hop by hop.
            ("ascend/driver/libascend_hal.so", "libascend_hal.so.1"),
            ("ascend/driver/libascend_hal.so.1", "libascend_hal.so.1.0"),
            ("ascend/driver/libnested.so", "sub/libnested.so"),
            // Rewritten: absolute, and a detour through the parent folder.
            ("ascend/driver/libabsolute.so", "libascend_hal.so.1.0"),
            ("ascend/driver/libdetour.so", "libascend_hal.so.1.0"),
        ]
        for (path, text) in links {
            #expect(kind(host.staged(path)) == S_IFLNK, "\(path)")
            #expect(linkText(host.staged(path)) == text, "\(path)")
        }
        #expect(try read(host.staged("ascend/driver/libascend_hal.so")) == FakeHost.hal)
        #expect(try read(host.staged("ascend/driver/libnested.so")) == FakeHost.nested)
        let driver = try #require(report.entries.first { $0.contextPath == "ascend/driver" })
        #expect(driver.symlinks == 5)
    }

    @Test func linksOutOfTheFolderAndSpecialFilesAreSkippedAndNothingOutsideIsRead() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let report = try host.stage()
        let skipped = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.path, $0.reason) })
        #expect(
            skipped.keys.sorted() == [
                "/usr/local/Ascend/driver/lib64/common/libcross.so",
                "/usr/local/dcmi/escape",
                "/usr/local/dcmi/fifo",
                "/usr/local/dcmi/passwd",
            ]
        )
        #expect(
            skipped["/usr/local/Ascend/driver/lib64/common/libcross.so"]
                == "links to '../driver/libascend_hal.so.1.0', outside "
                + "/usr/local/Ascend/driver/lib64/common"
        )
        #expect(
            skipped["/usr/local/dcmi/escape"]
                == "links to '../../../../secret', which climbs above the root"
        )
        #expect(skipped["/usr/local/dcmi/fifo"]?.hasPrefix("is a FIFO") == true)
        // The fake root has no /etc/passwd; the host's own is never looked at.
        #expect(skipped["/usr/local/dcmi/passwd"] == "links to '/etc/passwd', which does not exist")
        for path in ["ascend/dcmi/escape", "ascend/dcmi/fifo", "ascend/dcmi/passwd"] {
            #expect(kind(host.staged(path)) == nil, "\(path)")
        }
        #expect(kind(host.staged("ascend/common/libcross.so")) == nil)
        for file in try tree(host.context) where file.value.hasPrefix("file ") {
            let bytes = try read(host.context + "/" + file.key)
            #expect(!containsSecret(bytes), "\(file.key)")
        }
    }

    @Test func sizesAndCountsAreReported() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let report = try host.stage()
        let version = try Fixtures.text("ascend/version_info_24.1.rc2.2.txt").utf8.count
        let expected: [(String, files: Int, bytes: Int, links: Int)] = [
            ("ascend/dcmi", 3, 4096 + FakeHost.dcmiHeader.count + FakeHost.dcmiConfig.count, 0),
            ("ascend/npu-smi", 1, 3003, 0),
            ("ascend/common", 2, 2048 + 777, 0),
            ("ascend/driver", 2, 5000 + 6, 5),
            ("ascend/ascend_install.info", 1, FakeHost.installInfo.count, 0),
            ("ascend/vnpu.cfg", 1, FakeHost.vnpu.count, 0),
            ("ascend/version.info", 1, version, 0),
        ]
        #expect(report.entries.count == expected.count)
        for (entry, want) in zip(report.entries, expected) {
            #expect(entry.contextPath == want.0)
            #expect(entry.files == want.files, "\(want.0)")
            #expect(entry.bytes == want.bytes, "\(want.0)")
            #expect(entry.symlinks == want.links, "\(want.0)")
        }
        #expect(report.files == 11)
        #expect(report.bytes == expected.map(\.bytes).reduce(0, +))
    }

    // MARK: Missing sources

    @Test func aMissingVNPUConfigIsListedNotAnError() throws {
        let host = try FakeHost(vnpu: false)
        defer { host.remove() }
        let report = try host.stage()
        #expect(report.missingOptional == ["/etc/vnpu.cfg"])
        #expect(!report.entries.contains { $0.contextPath == "ascend/vnpu.cfg" })
        #expect(kind(host.staged("ascend/vnpu.cfg")) == nil)
    }

    @Test func missingRequiredFilesAreNamedEveryOne() throws {
        let host = try FakeHost()
        defer { host.remove() }
        try FileManager.default.removeItem(atPath: host.root + "/usr/local/dcmi")
        try FileManager.default.removeItem(atPath: host.root + "/etc/ascend_install.info")
        try FileManager.default.removeItem(atPath: host.root + "/usr/local/Ascend/driver/tools")
        let error = #expect(throws: StageError.self) { try host.stage() }
        #expect(
            error
                == .missingRequired(
                    paths: [
                        "/usr/local/dcmi",
                        "/usr/local/bin/npu-smi (a broken symbolic link) or /usr/local/sbin/npu-smi",
                        "/etc/ascend_install.info",
                    ],
                    root: realPath(host.root)
                )
        )
        let text = error?.description ?? ""
        #expect(text.contains("may not be an Ascend host") && text.contains("--root"))
        #expect(try contents(host.context) == [])
    }

    @Test func aTopLevelLinkAboveTheRootIsAnErrorNamingIt() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let npuSMI = host.root + "/usr/local/bin/npu-smi"
        try FileManager.default.removeItem(atPath: npuSMI)
        try host.link("../../../../secret", "/usr/local/bin/npu-smi")
        #expect(
            throws: StageError.linkOutsideRoot(
                link: realPath(host.root) + "/usr/local/bin/npu-smi",
                root: realPath(host.root)
            )
        ) {
            try host.stage()
        }
        #expect(try contents(host.context) == [])
    }

    @Test func aTopLevelLinkLoopIsAnError() throws {
        let host = try FakeHost()
        defer { host.remove() }
        try FileManager.default.removeItem(atPath: host.root + "/usr/local/bin/npu-smi")
        try host.link("npu-smi", "/usr/local/bin/npu-smi")
        let error = #expect(throws: StageError.self) { try host.stage() }
        #expect(error == .linkLoop(link: realPath(host.root) + "/usr/local/bin/npu-smi"))
    }

    @Test func aFileWhereAFolderBelongsIsAnError() throws {
        let host = try FakeHost()
        defer { host.remove() }
        try FileManager.default.removeItem(atPath: host.root + "/usr/local/dcmi")
        try host.put([1, 2, 3], "/usr/local/dcmi")
        #expect(
            throws: StageError.wrongKind(
                path: realPath(host.root) + "/usr/local/dcmi",
                expected: "a folder",
                found: "a file"
            )
        ) { try host.stage() }
    }

    @Test func aMissingContextOrRootIsAnError() throws {
        let host = try FakeHost()
        defer { host.remove() }
        #expect(throws: StageError.contextNotFound(path: host.base + "/nope")) {
            try AscendStager.stage(root: host.root, context: host.base + "/nope", force: false)
        }
        #expect(throws: StageError.rootNotFound(path: host.base + "/nope")) {
            try AscendStager.stage(root: host.base + "/nope", context: host.context, force: false)
        }
        #expect(throws: StageError.contextNotAFolder(path: host.base + "/secret")) {
            try AscendStager.stage(root: host.root, context: host.base + "/secret", force: false)
        }
    }

    // MARK: Never overwrite, never leave half-written output

    @Test func existingEntriesAreRefusedWithoutForceAndTheContextIsUntouched() throws {
        let host = try FakeHost()
        defer { host.remove() }
        _ = try host.stage()
        try write(Array("mine".utf8), host.staged("ascend/dcmi/marker"))
        let before = try tree(host.context)

        let error = #expect(throws: StageError.self) { try host.stage() }
        let destinations = AscendFiles.all.map { realPath(host.context) + "/" + $0.contextPath }
        #expect(error == .exists(paths: destinations))
        #expect(error?.description.hasSuffix("exist; pass --force to replace them") == true)
        #expect(try tree(host.context) == before)
    }

    @Test func oneExistingEntryIsNamedAlone() throws {
        let host = try FakeHost()
        defer { host.remove() }
        try makeFolder(host.staged("ascend/dcmi"))
        let error = #expect(throws: StageError.self) { try host.stage() }
        let dcmi = realPath(host.context) + "/ascend/dcmi"
        #expect(error?.description == "'\(dcmi)' exists; pass --force to replace it")
        #expect(try contents(host.staged("ascend")) == ["dcmi"])
    }

    @Test func forceReplacesEveryEntryAndRemovesAStaleOptionalOne() throws {
        let host = try FakeHost()
        defer { host.remove() }
        _ = try host.stage()
        // The old copy holds a link to a file outside the context: replacing must not follow it.
        try write(Array("keep".utf8), host.base + "/keep")
        try FileManager.default.createSymbolicLink(
            atPath: host.staged("ascend/dcmi/outside"),
            withDestinationPath: host.base + "/keep"
        )
        try write(Array("stale".utf8), host.staged("ascend/dcmi/marker"))
        try host.put(Array("Version=25.0.rc1.1\n".utf8), "/usr/local/Ascend/driver/version.info")
        try FileManager.default.removeItem(atPath: host.root + "/etc/vnpu.cfg")

        let report = try host.stage(force: true)
        #expect(try read(host.staged("ascend/version.info")) == Array("Version=25.0.rc1.1\n".utf8))
        #expect(kind(host.staged("ascend/dcmi/marker")) == nil)
        #expect(kind(host.staged("ascend/dcmi/outside")) == nil)
        #expect(kind(host.staged("ascend/vnpu.cfg")) == nil)
        #expect(report.missingOptional == ["/etc/vnpu.cfg"])
        #expect(try read(host.base + "/keep") == Array("keep".utf8))
        #expect(try contents(host.context) == ["ascend"])
        #expect(
            try contents(host.staged("ascend"))
                == ["ascend_install.info", "common", "dcmi", "driver", "npu-smi", "version.info"]
        )
    }

    @Test func aFileWhereTheAscendFolderGoesIsRefusedBeforeWriting() throws {
        let host = try FakeHost()
        defer { host.remove() }
        try write(Array("not a folder".utf8), host.staged("ascend"))
        #expect(throws: StageError.notAFolder(path: realPath(host.context) + "/ascend")) {
            try host.stage(force: true)
        }
        #expect(try contents(host.context) == ["ascend"])
        #expect(try read(host.staged("ascend")) == Array("not a folder".utf8))
    }

    @Test func aFailureMidwayLeavesNoStagingFolderBehind() throws {
        let host = try FakeHost()
        defer { host.remove() }
        // A deep context: the staging copies of dcmi and npu-smi fit in PATH_MAX, then a deep
        // folder of `common` does not, though its source path is short.
        var context = host.context
        for index in 0..<15 {
            context += "/" + String(repeating: Character("\(index % 10)"), count: 250)
        }
        try makeFolder(context)
        let deep =
            "/" + String(repeating: "d", count: 200) + "/" + String(repeating: "e", count: 200)
        try host.put([1], "/usr/local/Ascend/driver/lib64/common" + deep + "/libdeep.so")

        let error = #expect(throws: StageError.self) {
            try AscendStager.stage(root: host.root, context: context, force: false)
        }
        guard case .writeFailed(let path, let reason) = error else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(path.contains("/" + AscendStager.stagingPrefix) && path.hasSuffix(deep))
        #expect(reason == String(cString: strerror(ENAMETOOLONG)))
        #expect(error?.description.hasSuffix("nothing in the build context was changed") == true)
        #expect(try contents(context) == [])
    }

    @Test func tooManyEntriesOrBytesAreRefusedBeforeWriting() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let error = #expect(throws: StageError.self) {
            try AscendStager.stage(
                root: host.root,
                context: host.context,
                force: false,
                files: AscendFiles.all,
                maxEntries: 5
            )
        }
        guard case .tooManyEntries(_, let limit) = error else {
            Issue.record("expected tooManyEntries, got \(String(describing: error))")
            return
        }
        #expect(limit == 5)
        let bytes = #expect(throws: StageError.self) {
            try AscendStager.stage(
                root: host.root,
                context: host.context,
                force: false,
                files: AscendFiles.all,
                maxBytes: 4096
            )
        }
        #expect(bytes == .tooManyBytes(path: "/usr/local/dcmi/libdcmi.so", limit: 4096))
        #expect(bytes?.description.contains("passes the limit of 4.0 KiB;") == true)
        #expect(try contents(host.context) == [])
    }

    @Test func aFailedMoveIsUndone() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let into = host.context
        let new = host.base + "/new"
        let aside = host.base + "/aside"
        for folder in [new, aside] { try makeFolder(folder) }
        for name in ["a", "b"] {
            try write(Array("old \(name)".utf8), into + "/" + name)
            try write(Array("new \(name)".utf8), new + "/" + name)
        }
        let moves = [
            AscendStager.Move(destination: into + "/a", new: new + "/a"),
            AscendStager.Move(destination: into + "/c", new: nil),
            AscendStager.Move(destination: into + "/b", new: new + "/missing"),
        ]
        #expect(
            throws: StageError.writeFailed(
                path: into + "/b",
                reason: String(cString: strerror(ENOENT))
            )
        ) { try AscendStager.moveIntoPlace(moves, aside: aside) }
        #expect(try read(into + "/a") == Array("old a".utf8))
        #expect(try read(into + "/b") == Array("old b".utf8))
        #expect(try read(new + "/a") == Array("new a".utf8))
        #expect(try contents(aside) == [])
    }

    // MARK: The report

    @Test func theReportFollowsItsSchemaAndRoundTrips() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let report = try host.stage()
        let json = JSONOutput.render(report)
        #expect(
            try JSONSchemaCheck.problems(in: Data(json.utf8), against: "stage-v1.schema.json") == []
        )
        #expect(try JSONDecoder().decode(StageReport.self, from: Data(json.utf8)) == report)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(
            object?.keys.sorted()
                == [
                    "context", "entries", "hard_linked", "missing_optional", "root", "schema",
                    "skipped",
                ]
        )
        #expect((object?["hard_linked"] as? [Any])?.isEmpty == true)
        #expect((object?["missing_optional"] as? [Any])?.isEmpty == true)
        let first = (object?["entries"] as? [[String: Any]])?.first
        #expect(first?["context_path"] as? String == "ascend/dcmi")
        #expect(first?["kind"] as? String == "directory")
    }

    @Test func theSchemaRejectsAMalformedReport() throws {
        let json =
            #"{"schema":"gpuprobe/stage/v1","root":"/","context":"/c","entries":[{"context_path":"ascend/dcmi","source":"/usr/local/dcmi","kind":"folder","files":1,"bytes":2}],"skipped":[]}"#
        let problems = try JSONSchemaCheck.problems(
            in: Data(json.utf8),
            against: "stage-v1.schema.json"
        )
        #expect(problems.contains("$: 'missing_optional' is a required property"))
        #expect(problems.contains("$.entries[0]: 'symlinks' is a required property"))
        #expect(problems.contains { $0.hasPrefix("$.entries[0].kind:") })
        #expect(problems.count == 3, "\(problems)")
    }

    @Test func theTextNamesEveryEntryWithItsSizeAndTheTotal() throws {
        let report = StageReport(
            root: "/",
            context: "/ctx",
            entries: [
                StagedEntry(
                    contextPath: "ascend/driver",
                    source: "/usr/local/Ascend/driver/lib64/driver",
                    kind: .directory,
                    files: 120,
                    bytes: 1_610_612_736,
                    symlinks: 40
                ),
                StagedEntry(
                    contextPath: "ascend/npu-smi",
                    source: "/usr/local/bin/npu-smi",
                    kind: .file,
                    files: 1,
                    bytes: 1536,
                    symlinks: 0
                ),
            ],
            skipped: [SkippedItem(path: "/usr/local/dcmi/fifo", reason: "is a FIFO")],
            missingOptional: ["/etc/vnpu.cfg"]
        )
        #expect(
            StageText.render(report) == """
                staged into /ctx from /:
                  ascend/driver   /usr/local/Ascend/driver/lib64/driver   120 files     1.5 GiB  40 links
                  ascend/npu-smi  /usr/local/bin/npu-smi                     1 file     1.5 KiB
                skipped /usr/local/dcmi/fifo: is a FIFO
                not on this host (optional): /etc/vnpu.cfg
                total: 2 entries, 121 files, 1.5 GiB

                """
        )
    }

    @Test(arguments: [
        (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
        (1_048_575, "1.0 MiB"), (5 << 20, "5.0 MiB"), (16 << 30, "16.0 GiB"),
        (3 << 40, "3.0 TiB"),
    ])
    func humanSizes(bytes: Int, text: String) {
        #expect(StageText.humanSize(bytes) == text)
    }
}

// MARK: File helpers

private func makeFolder(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

private func write(_ bytes: [UInt8], _ path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

private func read(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

private func contents(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
}

private func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// The file type from `lstat`, nil when nothing is there.
private func kind(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
}

private func mode(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
}

private func linkText(_ path: String) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: path)
}

private func containsSecret(_ bytes: [UInt8]) -> Bool {
    let secret = FakeAscendHost.secret
    guard bytes.count >= secret.count else { return false }
    return (0...(bytes.count - secret.count)).contains {
        bytes[$0..<($0 + secret.count)].elementsEqual(secret)
    }
}

/// Every path below `folder` with what it is: `file <bytes>`, `link <text>` or `folder`.
private func tree(_ folder: String) throws -> [String: String] {
    var result: [String: String] = [:]
    var pending = [""]
    while let relative = pending.popLast() {
        let path = relative.isEmpty ? folder : folder + "/" + relative
        for name in try contents(path) {
            let child = relative.isEmpty ? name : relative + "/" + name
            switch kind(folder + "/" + child) {
            case S_IFDIR:
                result[child] = "folder"
                pending.append(child)
            case S_IFLNK:
                result[child] = "link " + (linkText(folder + "/" + child) ?? "?")
            default:
                result[child] = "file \(try read(folder + "/" + child))"
            }
        }
    }
    return result
}
