import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The driver cache against edits that keep a file's times, entries the decoder refuses,
/// growth past what it reads back, and folder entries whose names are not UTF-8.
@Suite struct DriverCacheHardeningTests {
    typealias Setup = DriverFolderTests.Setup

    /// `touch -r` after an edit in place: same size, the modification time set back.
    ///
    /// Only the change time (which no call sets back) tells.
    @Test func anEditInPlaceThatKeepsTheTimesIsReadAgain() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        let path = try setup.fakes.build(FakeInstallers.Spec(), in: setup.folder)
        let first = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(first.installers.first?.problem == nil)
        var before = stat()
        #expect(stat(path, &before) == 0)

        // The last byte is in the payload's compressed stream (an xz or gzip trailer).
        let fd = open(path, O_WRONLY)
        try #require(fd >= 0)
        var byte: UInt8 = 0x55
        #expect(pwrite(fd, &byte, 1, off_t(before.st_size - 1)) == 1)
        close(fd)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        var after = stat()
        #expect(stat(path, &after) == 0)
        #expect(after.st_size == before.st_size && after.st_ino == before.st_ino)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec)
        #expect(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)

        let second = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(second.reread == ["NVIDIA-Linux-x86_64-550.135.run"])
        #expect(second.installers.first?.sha256 != first.installers.first?.sha256)
        #expect(second.installers.first?.problem?.contains("payload") == true)
    }

    /// One entry of the cache is written with a value the decoder refuses: that entry alone is
    /// dropped, with a note, and its installer read again; the cache is rewritten.
    @Test(arguments: [#""size":"big""#, #""size":1e9223372036854775807"#, #""size":1.5"#])
    func anEntryTheDecoderRefusesIsDroppedWithANote(value: String) throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        try setup.fakes.build(FakeInstallers.Spec(version: "550.135"), in: setup.folder)
        try setup.fakes.build(FakeInstallers.Spec(version: "570.86.15"), in: setup.folder)
        _ = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        let url = URL(fileURLWithPath: setup.cache.path)
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        // The first entry's file size (entries are sorted by path: 550.135 comes first).
        let sizeKey = try #require(text.range(of: #""size":[0-9]+"#, options: .regularExpression))
        try Data(text.replacingCharacters(in: sizeKey, with: value).utf8).write(to: url)

        let scan = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(scan.reread == ["NVIDIA-Linux-x86_64-550.135.run"])
        #expect(scan.fromCache == ["NVIDIA-Linux-x86_64-570.86.15.run"])
        #expect(scan.notes.count == 1)
        #expect(
            scan.notes.first?.hasPrefix(
                "dropped 1 unreadable entry of the driver cache '\(setup.cache.path)' (entries[0]"
            ) == true,
            "\(scan.notes)"
        )
        #expect(
            scan.notes.first?.hasSuffix("those installers are read again and the cache rewritten")
                == true
        )
        let again = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(again.fromCache.count == 2 && again.notes.isEmpty)
    }

    @Test(arguments: [
        ("", "is not valid JSON (line 1, column 1: expected a value, found the end)"),
        ("not json", "is not valid JSON (line 1, column 1: expected a value)"),
        (#"{"entries":[]}"#, "is not a gpuprobe driver cache"),
        (#"{"format":"gpuprobe/drivers-cache/v2"}"#, "has no list of entries"),
        ("{{too many values}}", "holds more than 524288 JSON values"),
    ])
    func anUnreadableCacheIsANoteAndReplaced(content: String, reason: String) throws {
        // Built here, so that a failure does not print a megabyte of argument.
        let content =
            content == "{{too many values}}"
            ? "[" + String(repeating: "0,", count: DriverCache.valueLimit) + "0]" : content
        let setup = try Setup()
        defer { setup.fakes.remove() }
        try setup.fakes.build(FakeInstallers.Spec(), in: setup.folder)
        let url = URL(fileURLWithPath: setup.cache.path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Data(content.utf8).write(to: url)
        let scan = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(scan.reread.count == 1)
        #expect(
            scan.notes == [
                "the driver cache '\(setup.cache.path)' \(reason); it is ignored, the installers "
                    + "are read again and the cache rewritten"
            ]
        )
        #expect(setup.cache.load().count == 1)
    }

    /// What would make the file larger than it reads back is left out, the folder just
    /// scanned last: the file written is always one ``DriverCache/read()`` accepts whole.
    @Test func theCacheNeverGrowsPastWhatItReads() throws {
        let fakes = try FakeInstallers()
        defer { fakes.remove() }
        let cache = DriverCache(path: fakes.directory.path + "/drivers-v1.json")
        let problem = String(repeating: "x", count: 1 << 20)
        let entries = (0..<24).map { index in
            DriverCache.Entry(
                path: "/drivers/\(index < 4 ? "here" : "elsewhere")/\(index).run",
                file: FileIdentity(
                    size: 1,
                    modifiedNanoseconds: 2,
                    changedNanoseconds: 3,
                    device: 4,
                    inode: UInt64(index)
                ),
                installer: DriverInstaller(fileName: "\(index).run", size: 1, problem: problem)
            )
        }
        let here = Set(entries.prefix(4).map(\.path))
        let notes = cache.save(entries, keeping: here)
        let size = try #require(
            try FileManager.default.attributesOfItem(atPath: cache.path)[.size] as? Int
        )
        #expect(size <= DriverCache.sizeLimit)
        let loaded = cache.read()
        #expect(loaded.notes.isEmpty)
        #expect(loaded.entries.count == 15)
        #expect(here.isSubset(of: Set(loaded.entries.keys)))
        #expect(
            notes == [
                "the driver cache '\(cache.path)' holds at most 16 MiB; 9 installers were left "
                    + "out of it and will be read again next time"
            ]
        )
    }

    /// A name that is not UTF-8 is listed with its reason, its odd bytes written `\xFF`.
    @Test func anInstallerWhoseNameIsNotUTF8IsListed() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        try setup.fakes.build(FakeInstallers.Spec(), in: setup.folder)
        let name: [UInt8] =
            Array("NVIDIA-Linux-x86_64-550.54.14".utf8) + [0xFF, 0xC3] + Array(".run".utf8)
        let path = Array((setup.folder.path + "/").utf8) + name + [0]
        let fd = path.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                open($0, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            }
        }
        try #require(fd >= 0)
        #expect(write(fd, "#!", 2) == 2)
        close(fd)

        let scan = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(
            scan.installers.map(\.fileName) == [
                "NVIDIA-Linux-x86_64-550.135.run", #"NVIDIA-Linux-x86_64-550.54.14\xFF\xC3.run"#,
            ]
        )
        let odd = scan.installers[1]
        #expect(odd.size == 2)
        #expect(
            odd.problem
                == "its name is not valid UTF-8, which gpuprobe cannot write in a plan or a "
                + "Dockerfile; rename it NVIDIA-Linux-<arch>-<version>.run as NVIDIA names it"
        )
    }
}
