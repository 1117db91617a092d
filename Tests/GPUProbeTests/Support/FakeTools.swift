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
        let url = directory.appendingPathComponent(name)
        try Data(("#!/bin/sh\n" + script + "\n").utf8).write(to: url)
        try FileManager.default.setAttributes(
            [.posixPermissions: executable ? 0o755 : 0o644],
            ofItemAtPath: url.path
        )
        return url.path
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
