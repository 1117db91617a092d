import Foundation

/// Writes throwaway executables (shell scripts standing in for nvidia-smi and npu-smi) into a
/// fresh temporary folder, for fault tests that need no GPU and no root.
struct FakeTools {
    /// The folder holding the scripts; put it first on a search path.
    let directory: URL

    /// Creates an empty temporary folder.
    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `name` with a `#!/bin/sh` body and makes it executable (unless told not to).
    @discardableResult
    func add(_ name: String, script: String, executable: Bool = true) throws -> String {
        let path = directory.appendingPathComponent(name).path
        // O_CLOEXEC: tests run in parallel, and a child spawned by another test while this
        // descriptor is open would inherit it, so exec of this script would fail with ETXTBSY.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0, fchmod(fd, executable ? 0o755 : 0o644) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { close(fd) }
        let bytes = Array(("#!/bin/sh\n" + script + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
