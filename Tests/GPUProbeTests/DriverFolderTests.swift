import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct DriverFolderTests {
    typealias Spec = FakeInstallers.Spec

    /// A folder of installers and a cache file of its own.
    struct Setup {
        let fakes: FakeInstallers
        let folder: URL
        let cache: DriverCache

        init() throws {
            fakes = try FakeInstallers()
            folder = fakes.directory.appendingPathComponent("drivers")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            cache = DriverCache(path: fakes.directory.path + "/cache/gpuprobe/drivers-v1.json")
        }
    }

    @Test func readsOnlyRunFilesDirectlyInTheFolderSortedByName() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        let fakes = setup.fakes
        try fakes.build(Spec(version: "570.86.15", compression: .xz), in: setup.folder)
        try fakes.build(Spec(version: "550.135"), in: setup.folder)
        try fakes.build(Spec(), name: ".NVIDIA-Linux-x86_64-550.135.run", in: setup.folder)
        try fakes.write(Array("notes".utf8), name: "README.md", in: setup.folder)
        let nested = setup.folder.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try fakes.build(Spec(version: "535.171.04"), in: nested)
        try FileManager.default.createDirectory(
            at: setup.folder.appendingPathComponent("folder.run"),
            withIntermediateDirectories: true
        )

        let scan = try DriverFolder.scan(setup.folder.path, cache: nil)
        #expect(
            scan.installers.map(\.fileName) == [
                "NVIDIA-Linux-x86_64-550.135.run", "NVIDIA-Linux-x86_64-570.86.15.run",
            ]
        )
        #expect(scan.installers.allSatisfy { $0.problem == nil && $0.supportedGPUs?.count == 4 })
        #expect(scan.reread == scan.installers.map(\.fileName))
        #expect(scan.fromCache.isEmpty && scan.notes.isEmpty)
    }

    @Test func anEmptyFolderHasNoInstallers() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        let scan = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(scan == DriverScan(installers: []))
    }

    @Test func aMissingFolderOrAFileIsAnError() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        let missing = setup.folder.path + "/nope"
        #expect(throws: DriverFolderError.missing(path: missing)) {
            try DriverFolder.scan(missing, cache: setup.cache)
        }
        let file = try setup.fakes.write([], name: "plain-file")
        #expect(throws: DriverFolderError.notADirectory(path: file)) {
            try DriverFolder.scan(file, cache: setup.cache)
        }
        #expect(throws: DriverFolderError.notADirectory(path: file + "/x")) {
            try DriverFolder.scan(file + "/x", cache: setup.cache)
        }
        #expect(
            DriverFolderError.missing(path: "/d").description
                == "the drivers folder '/d' does not exist; create it and put NVIDIA-Linux-*.run "
                + "installers in it, or pass the folder that holds them"
        )
    }

    @Test func theSecondScanComesFromTheCache() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        try setup.fakes.build(Spec(), in: setup.folder)
        try setup.fakes.build(Spec(version: "580.105.08", compression: .xz), in: setup.folder)
        let first = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(first.reread.count == 2 && first.fromCache.isEmpty && first.notes.isEmpty)
        #expect(FileManager.default.fileExists(atPath: setup.cache.path))

        let second = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(second.reread.isEmpty)
        #expect(second.fromCache == first.reread)
        #expect(second.installers == first.installers)
    }

    @Test func aChangedFileIsReadAgain() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        let kept = try setup.fakes.build(Spec(version: "550.135"), in: setup.folder)
        let grown = try setup.fakes.build(Spec(version: "570.86.15"), in: setup.folder)
        let replaced = try setup.fakes.build(Spec(version: "580.105.08"), in: setup.folder)
        _ = try DriverFolder.scan(setup.folder.path, cache: setup.cache)

        // Grown: a download that went on (size and time change).
        let handle = try #require(FileHandle(forWritingAtPath: grown))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0, 0, 0, 0]))
        try handle.close()
        // Replaced by rename with the same size and modification time: only the inode differs.
        let old = try FileManager.default.attributesOfItem(atPath: replaced)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: replaced)))
        bytes[bytes.count - 1] ^= 0xFF
        let staged = try setup.fakes.write(bytes, name: "staged.run")
        try FileManager.default.setAttributes(
            [.modificationDate: try #require(old[.modificationDate] as? Date)],
            ofItemAtPath: staged
        )
        #expect(rename(staged, replaced) == 0)

        let scan = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(scan.fromCache == [URL(fileURLWithPath: kept).lastPathComponent])
        #expect(
            scan.reread == [grown, replaced].map { URL(fileURLWithPath: $0).lastPathComponent }
        )
        #expect(scan.installers[2].sha256 == (try FakeInstallers.sha256sum(replaced)))
        // The cache now holds the new reads.
        let again = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(again.reread.isEmpty && again.installers == scan.installers)
    }

    @Test func aRemovedFileLeavesTheCache() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        let gone = try setup.fakes.build(Spec(version: "550.135"), in: setup.folder)
        try setup.fakes.build(Spec(version: "570.86.15"), in: setup.folder)
        _ = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        try FileManager.default.removeItem(atPath: gone)
        let scan = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(scan.installers.count == 1 && scan.fromCache.count == 1)
        #expect(
            setup.cache.load().keys.sorted()
                == [setup.folder.path + "/NVIDIA-Linux-x86_64-570.86.15.run"].map(realPath)
        )
    }

    /// A cache of an older format is replaced without a note (its entries are read again, as
    /// after an upgrade); DriverCacheHardeningTests has the damaged ones, which get a note.
    @Test(arguments: [
        #"{"format":"gpuprobe/drivers-cache/v0","entries":[]}"#,
        #"{"format":"gpuprobe/drivers-cache/v1","entries":[{"path":1}]}"#,
    ])
    func anOlderCacheIsReplaced(content: String) throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        try setup.fakes.build(Spec(), in: setup.folder)
        let cacheFolder = URL(fileURLWithPath: setup.cache.path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: setup.cache.path))

        let first = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(first.reread.count == 1 && first.notes.isEmpty)
        #expect(first.installers.first?.problem == nil)
        let second = try DriverFolder.scan(setup.folder.path, cache: setup.cache)
        #expect(second.fromCache.count == 1)
        // Nothing but the cache is left behind in its folder.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path) == [
                "drivers-v1.json"
            ]
        )
    }

    @Test func anUnwritableCacheIsANoteNotAFailure() throws {
        let setup = try Setup()
        defer { setup.fakes.remove() }
        try setup.fakes.build(Spec(), in: setup.folder)
        // A file where the cache's folder should be: no user, root included, can write there.
        let blocker = try setup.fakes.write([], name: "blocker")
        let cache = DriverCache(path: blocker + "/gpuprobe/drivers-v1.json")
        let scan = try DriverFolder.scan(setup.folder.path, cache: cache)
        #expect(scan.installers.count == 1 && scan.installers[0].problem == nil)
        #expect(scan.notes.count == 1)
        #expect(
            scan.notes.first?.hasPrefix("the driver cache '\(cache.path)' could not be written")
                == true
        )
    }

    @Test(
        arguments: [
            (
                environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"],
                path: "/x/cache/gpuprobe/drivers-v1.json"
            ),
            (
                ["XDG_CACHE_HOME": "/x/cache/", "HOME": "/home/u"],
                "/x/cache/gpuprobe/drivers-v1.json"
            ),
            (
                ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"],
                "/home/u/.cache/gpuprobe/drivers-v1.json"
            ),
            (["XDG_CACHE_HOME": "", "HOME": "/home/u"], "/home/u/.cache/gpuprobe/drivers-v1.json"),
            (["HOME": "/"], "/.cache/gpuprobe/drivers-v1.json"),
            (["HOME": "home"], nil),
            ([:], nil),
        ] as [([String: String], String?)]
    )
    func theDefaultCacheLocation(environment: [String: String], path: String?) {
        #expect(DriverCache.defaultPath(environment: environment) == path)
        #expect(DriverCache(environment: environment)?.path == path)
    }
}

private func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}
