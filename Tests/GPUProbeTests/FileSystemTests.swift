import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite struct FileSystemTests {
    /// A new empty folder of its own, removed by the caller.
    private static func temporaryFolder() throws -> String {
        var template = Array("/tmp/gpuprobe-fs-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw FileSystem.Failure.current()
        }
        return String(cString: made)
    }

    private static func write(_ text: String, _ path: String) throws {
        try FileSystem.createFile(path, contents: Array(text.utf8))
    }

    @Test func removingATreeRemovesLinksNotWhatTheyLeadTo() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        let outside = base + "/outside"
        try FileSystem.createFolder(outside + "/kept", parents: true)
        try Self.write("keep me", outside + "/kept/file")
        try Self.write("keep me too", outside + "/file")

        let tree = base + "/tree"
        try FileSystem.createFolder(tree + "/a/b/c", parents: true)
        try Self.write("x", tree + "/a/b/c/leaf")
        try Self.write("y", tree + "/top")
        #expect(symlink(outside, tree + "/a/to-folder") == 0)
        #expect(symlink(outside + "/file", tree + "/a/b/to-file") == 0)
        #expect(symlink("nowhere", tree + "/dangling") == 0)
        // A name that is not UTF-8 must go too.
        let odd = Array((tree + "/a/").utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), 0]
        let fd = open(odd, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        close(fd)

        try FileSystem.removeTree(tree)

        #expect(!FileSystem.exists(tree))
        #expect(try FileSystem.names(in: outside).sorted() == ["file", "kept"])
        #expect(try FileSystem.names(in: outside + "/kept") == ["file"])
    }

    @Test func removingALinkToAFolderKeepsTheFolder() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        try Self.write("z", base + "/file")
        #expect(symlink(base, base + "/link") == 0)

        try FileSystem.removeTree(base + "/link")

        #expect(try FileSystem.names(in: base) == ["file"])
    }

    /// `link/` names the link, not the folder it leads to; `.`, `..` and `/` are refused.
    @Test func removingATreeTakesThePathAsWritten() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        try FileSystem.createFolder(base + "/precious", parents: false)
        try Self.write("keep me", base + "/precious/file")
        #expect(symlink(base + "/precious", base + "/link") == 0)
        try FileSystem.removeTree(base + "/link/")
        #expect(FileSystem.exists(base + "/precious/file"))
        #expect(!FileSystem.exists(base + "/link"))
        for path in [base + "/precious/.", base + "/precious/..", "/"] {
            #expect(throws: FileSystem.Failure(code: EINVAL)) { try FileSystem.removeTree(path) }
        }
    }

    /// A tree 5,000 folders deep (too deep for any path to name its bottom: 10,000 bytes over
    /// PATH_MAX) with a file and a link at every level goes whole, and the link's target stays.
    @Test func removingATreeOfAnyDepthRemovesAllOfIt() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        try Self.write("keep me", base + "/outside")
        try FileSystem.createFolder(base + "/deep", parents: false)
        var fd = open(base + "/deep", O_RDONLY | O_DIRECTORY)
        for _ in 0..<5000 {
            #expect(symlinkat(base, fd, "up") == 0)
            let file = openat(fd, "f", O_WRONLY | O_CREAT, 0o600)
            close(file)
            #expect(mkdirat(fd, "d", 0o700) == 0)
            let child = openat(fd, "d", O_RDONLY | O_DIRECTORY)
            close(fd)
            fd = child
        }
        close(fd)
        try FileSystem.removeTree(base + "/deep")
        #expect(!FileSystem.exists(base + "/deep"))
        #expect(try FileSystem.names(in: base) == ["outside"])
    }

    @Test func removingWhatIsNotThereSaysSoInTheSystemsWords() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        #expect(throws: FileSystem.Failure(code: ENOENT)) {
            try FileSystem.removeTree(base + "/missing")
        }
        #expect(FileSystem.Failure(code: ENOENT).reason == "No such file or directory")
    }

    @Test func creatingAFolderMakesItsParentsOnlyWhenAsked() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        #expect(throws: FileSystem.Failure(code: ENOENT)) {
            try FileSystem.createFolder(base + "/a/b")
        }
        try FileSystem.createFolder(base + "/a/b/c/", parents: true)
        try FileSystem.createFolder(base + "/a/b/c", parents: true)
        #expect(try FileSystem.names(in: base + "/a/b") == ["c"])
        #expect(throws: FileSystem.Failure(code: EEXIST)) {
            try FileSystem.createFolder(base + "/a")
        }

        try Self.write("file", base + "/file")
        #expect(throws: FileSystem.Failure(code: EEXIST)) {
            try FileSystem.createFolder(base + "/file", parents: true)
        }
        #expect(throws: FileSystem.Failure(code: ENOTDIR)) {
            try FileSystem.createFolder(base + "/file/x/y", parents: true)
        }
    }

    @Test func aCreatedFileHoldsTheBytes() throws {
        let base = try Self.temporaryFolder()
        defer { try? FileSystem.removeTree(base) }
        try Self.write("a longer text", base + "/file")
        try Self.write("short", base + "/file")
        let read = try BoundedFile.read(base + "/file", limit: 100).get()
        #expect(read.bytes == Array("short".utf8))
        #expect(throws: FileSystem.Failure(code: EISDIR)) {
            try Self.write("x", base)
        }
    }

    /// The paths `URL` gave before: messages and temporary names must not change.
    @Test(arguments: [
        "/a/b", "/a/b/", "/a/b//", "/", "//", "/a//b/./c", "/a/b/..", "/a//../b", "/../x", "",
        ".", "..", "d", "d/", "d//", "./d//sub/../x", "a//../b", "../../../../../../x", "d/.",
    ])
    func pathsAreWhatURLMadeOfThem(path: String) {
        let url = URL(fileURLWithPath: path)
        #expect(FileSystem.absolute(path) == url.path)
        #expect(FileSystem.standardized(path) == url.standardizedFileURL.path)
    }

    @Test(arguments: [
        (path: "/a/b/c", parent: "/a/b", last: "c"),
        (path: "/a/b/c/", parent: "/a/b", last: "c"),
        (path: "/a//c", parent: "/a", last: "c"),
        (path: "/c", parent: "/", last: "c"),
        (path: "/", parent: "/", last: "/"),
        (path: "c", parent: ".", last: "c"),
    ])
    func parentAndLastComponent(path: String, parent: String, last: String) {
        #expect(FileSystem.parent(path) == parent)
        #expect(FileSystem.lastComponent(path) == last)
    }

    @Test func joinPutsOneSlashBetween() {
        #expect(FileSystem.join("/", "manifest.json") == "/manifest.json")
        #expect(FileSystem.join("/a", "files/proc/x") == "/a/files/proc/x")
    }
}
