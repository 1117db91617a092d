import Foundation

/// A runnable NVIDIA-style `.run`, made by Debian's real `makeself`.
///
/// The header has the layout of NVIDIA's makeself 1.6.0-nv2 (`nvidia-makeself-header.sh` beside
/// this file). Its
/// `nvidia-installer` is a shell script that records its arguments, one per line, in
/// ``argumentsFile`` and exits with `status`.
enum MakeselfInstaller {
    /// Where the stand-in installer writes its arguments.
    static let argumentsFile = "/var/log/gpuprobe-test-installer.args"

    static let header = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("nvidia-makeself-header.sh")

    /// Builds `NVIDIA-Linux-<arch>-<version>.run` in `folder` and returns its path.
    @discardableResult
    static func build(
        version: String,
        architecture: String = "x86_64",
        status: Int = 0,
        supportedGPUs: String = #"{"chips":[]}"#,
        in folder: URL
    ) throws -> String {
        let work = folder.appendingPathComponent(".makeself-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let package = work.appendingPathComponent("NVIDIA-Linux-\(architecture)-\(version)")
        let lists = package.appendingPathComponent("supported-gpus")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true)
        try Data(supportedGPUs.utf8).write(
            to: lists.appendingPathComponent("supported-gpus.json")
        )
        let installer = package.appendingPathComponent("nvidia-installer")
        try Data(
            """
            #!/bin/sh
            # Stands in for NVIDIA's installer: records how the .run called it.
            mkdir -p /var/log
            printf '%s\\n' "$@" > \(argumentsFile)
            exit \(status)

            """.utf8
        ).write(to: installer)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755],
            ofItemAtPath: installer.path
        )
        let name = "NVIDIA-Linux-\(architecture)-\(version).run"
        let path = folder.appendingPathComponent(name).path
        try FakeInstallers.run([
            "env", "NV_VERSION=\(version)", "NV_ARCH=\(architecture)", "makeself", "--header",
            header.path, "--gzip", "--quiet", work.path, path, "unused",
            "./nvidia-installer",
        ])
        return path
    }

    static let cannHeader = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("cann-makeself-header.sh")

    /// Builds a stand-in CANN package named `name` in `folder`: run with `--install`, it
    /// records its arguments in /var/log/gpuprobe-test-<name>.args and creates `folders` (the
    /// toolkit's layout under /usr/local/Ascend) and, when given, `setEnv`.
    @discardableResult
    static func buildCANN(
        name: String,
        folders: [String] = [],
        setEnv: String? = nil,
        in folder: URL
    ) throws -> String {
        let work = folder.appendingPathComponent(".makeself-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let make = folders.map { "mkdir -p \($0)" }.joined(separator: "\n")
        let env =
            setEnv.map {
                "mkdir -p \"$(dirname \($0))\"\nprintf '%s\\n' '# stand-in' > \($0)"
            } ?? ""
        let script = work.appendingPathComponent("install.sh")
        try Data(
            """
            #!/bin/sh
            # Stands in for a CANN package's installer: records how the .run called it.
            mkdir -p /var/log
            printf '%s\\n' "$@" > /var/log/gpuprobe-test-\(name).args
            [ "$1" = --install ] || exit 1
            \(make)
            \(env)

            """.utf8
        ).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = folder.appendingPathComponent(name).path
        try FakeInstallers.run([
            "makeself", "--header", cannHeader.path, "--gzip", "--quiet", work.path, path, "unused",
            "./install.sh",
        ])
        return path
    }
}
