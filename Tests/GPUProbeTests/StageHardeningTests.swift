import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `stage-ascend` on a host tree that changes under it or was laid out to mislead: nothing from
/// outside the root is copied, sparse files stay sparse, hard links are reported, and a copy
/// that fails leaves the context as it was, however deep the tree.
@Suite struct StageHardeningTests {
    typealias FakeHost = FakeAscendHost

    /// A folder of the host tree swapped for a link to outside the root after the scan: the
    /// copy refuses it. (The old copy opened the whole path with `O_NOFOLLOW`, which guards only
    /// the last component, and copied `secret`.)
    @Test func aFolderSwappedForALinkAfterTheScanIsNotFollowed() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let outside = host.base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
        try Data(FakeHost.secret).write(to: URL(fileURLWithPath: outside + "/libdcmi.so"))
        // The scan saw a folder; now it is a link out of the root.
        let dcmi = host.root + "/usr/local/dcmi"
        #expect(rename(dcmi, host.base + "/dcmi-was") == 0)
        #expect(symlink(outside, dcmi) == 0)
        let resolver = RootResolver(root: host.root)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        let target = host.context + "/copied"
        #expect {
            _ = try AscendStager.copyFile(
                ["usr", "local", "dcmi", "libdcmi.so"],
                from: resolver,
                to: target,
                mode: 0o644,
                buffer: buffer
            )
        } throws: { error in
            (error as? StageError)?.description.contains("no longer what the scan found") == true
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        // The look-ups the scan makes refuse the link the same way.
        #expect(throws: RootResolver.Failure.self) {
            _ = try resolver.status(["usr", "local", "dcmi", "libdcmi.so"])
        }
    }

    /// A 1 GiB file with 10 bytes of data is copied as 10 bytes of data and a hole.
    @Test func sparseFilesAreCopiedSparsely() throws {
        let host = try FakeHost()
        defer { host.remove() }
        let path = host.root + "/usr/local/dcmi/sparse.bin"
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(ftruncate(fd, 1 << 30) == 0)
        #expect(pwrite(fd, "0123456789", 10, 512 << 20) == 10)
        close(fd)
        let report = try host.stage()
        let copy = host.staged("ascend/dcmi/sparse.bin")
        var info = stat()
        #expect(stat(copy, &info) == 0)
        #expect(info.st_size == 1 << 30)
        // Allocated blocks (512 bytes each): a few pages, not a gigabyte.
        #expect(info.st_blocks < 1024, "\(info.st_blocks) blocks")
        let back = open(copy, O_RDONLY)
        defer { close(back) }
        var bytes = [UInt8](repeating: 0, count: 12)
        #expect(pread(back, &bytes, 12, (512 << 20) - 1) == 12)
        #expect(bytes == [0] + Array("0123456789".utf8) + [0])
        let dcmi = try #require(report.entries.first { $0.contextPath == "ascend/dcmi" })
        #expect(dcmi.bytes < 1 << 20)
    }

    /// A hard link cannot be told apart from the file it shares: it is copied and listed.
    @Test func hardLinksAreReported() throws {
        let host = try FakeHost()
        defer { host.remove() }
        #expect(link(host.base + "/secret", host.root + "/usr/local/dcmi/linked.so") == 0)
        let report = try host.stage()
        #expect(report.hardLinked == ["/usr/local/dcmi/linked.so"])
        #expect(
            StageText.render(report).contains(
                "hard-linked (copied; its other names may lie outside the root, check them): "
                    + "/usr/local/dcmi/linked.so\n"
            )
        )
    }

    /// A tree too deep for its copy to be named (PATH_MAX) fails the copy after about 300 levels
    /// are written, deeper than the old removal's limit of 256: the staging folder goes whole
    /// and the context is as it was.
    @Test func aFailedCopyOfADeepTreeLeavesNothing() throws {
        let host = try FakeHost()
        defer { host.remove() }
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: host.context + "/Dockerfile"))
        var fd = open(host.root + "/usr/local/dcmi", O_RDONLY | O_DIRECTORY)
        for _ in 0..<400 {
            #expect(mkdirat(fd, "dddddddddddd", 0o755) == 0)
            let next = openat(fd, "dddddddddddd", O_RDONLY | O_DIRECTORY)
            close(fd)
            fd = next
        }
        close(fd)
        #expect {
            _ = try host.stage()
        } throws: { error in
            (error as? StageError)?.description.contains("File name too long") == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.context) == ["Dockerfile"])
    }
}
