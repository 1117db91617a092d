import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Emitted Dockerfiles built for real with buildah (no daemon: `--storage-driver vfs
/// --isolation chroot`) from a busybox base image the test makes itself, then inspected.
///
/// Needs `buildah` and `busybox-static` (`make deps` installs them) and root, as CI runs.
@Suite(.serialized) struct DockerfileBuildTests {
    /// A private buildah store in a temporary folder, removed at the end.
    final class Store {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("gpuprobe-buildah-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit {
            _ = try? buildah(["rm", "--all"])
            _ = try? buildah(["rmi", "--all", "--force"])
            try? FileManager.default.removeItem(at: folder)
        }

        @discardableResult
        func buildah(_ arguments: [String], in directory: URL? = nil) throws -> String {
            let store = [
                "buildah", "--root", folder.appendingPathComponent("storage").path,
                "--runroot", folder.appendingPathComponent("run").path, "--storage-driver", "vfs",
            ]
            guard let directory else { return try FakeInstallers.output(store + arguments) }
            return try FakeInstallers.output(
                ["sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", directory.path]
                    + store + arguments
            )
        }

        /// `localhost/gpuprobe-test-base:1`: busybox with its applets, and a `python3` that
        /// records its arguments in /var/log/gpuprobe-test-python.args.
        func makeBase() throws -> String {
            let root = folder.appendingPathComponent("rootfs")
            for dir in ["bin", "usr/bin", "tmp", "root", "etc", "var/log"] {
                try FileManager.default.createDirectory(
                    at: root.appendingPathComponent(dir),
                    withIntermediateDirectories: true
                )
            }
            try FileManager.default.copyItem(
                atPath: "/bin/busybox",
                toPath: root.appendingPathComponent("bin/busybox").path
            )
            let applets = try FakeInstallers.output(["/bin/busybox", "--list"])
            for applet in applets.split(separator: "\n") where applet != "busybox" {
                try? FileManager.default.createSymbolicLink(
                    atPath: root.appendingPathComponent("bin/\(applet)").path,
                    withDestinationPath: "busybox"
                )
            }
            let python = root.appendingPathComponent("usr/bin/python3")
            try Data(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > /var/log/gpuprobe-test-python.args\n".utf8
            ).write(to: python)
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o755],
                ofItemAtPath: python.path
            )
            let container = try buildah(["from", "scratch"]).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            try buildah(["copy", container, root.path + "/", "/"])
            try buildah(["config", "--env", "PATH=/usr/bin:/bin", container])
            let name = "localhost/gpuprobe-test-base:1"
            try buildah(["commit", "-q", container, name])
            try buildah(["rm", container])
            return name
        }

        /// Builds the context's Dockerfile; returns the mounted root of a container from it.
        func build(_ context: URL, tag: String) throws -> URL {
            try buildah(["bud", "--isolation", "chroot", "-q", "-t", tag, "."], in: context)
            let container = try buildah(["from", tag]).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            let mount = try buildah(["mount", container]).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            return URL(fileURLWithPath: mount)
        }

        func environment(_ tag: String) throws -> [String] {
            let text = try buildah(["inspect", "--type", "image", tag])
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let oci = object?["OCIv1"] as? [String: Any]
            let config = oci?["config"] as? [String: Any]
            return config?["Env"] as? [String] ?? []
        }
    }

    static func text(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// A build context with the guide's NVIDIA host JSON and a real makeself installer.
    static func nvidiaContext(status: Int = 0) throws -> URL {
        let context = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-context-\(UUID().uuidString)")
        let drivers = context.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try MakeselfInstaller.build(version: "535.171.04", status: status, in: drivers)
        _ = try TestHosts.write(TestHosts.guideNvidia(), in: context)
        return context
    }

    @Test func theNvidiaLayersInstallTheDriverWithTheRightFlags() throws {
        let store = try Store()
        let base = try store.makeBase()
        let context = try Self.nvidiaContext()
        defer { try? FileManager.default.removeItem(at: context) }
        let emitted = MatchCommandTests.run(
            [
                "dockerfile", "--host", "host.json", "--drivers", "Drivers", "--base", base,
                "-o", "Dockerfile",
            ],
            cache: context.appendingPathComponent("cache"),
            in: context
        )
        #expect(emitted.status == 0, "\(emitted.stderr)")
        let root = try store.build(context, tag: "localhost/gpuprobe-test-nvidia:1")

        let arguments = try Self.text(
            root.appendingPathComponent("var/log/gpuprobe-test-installer.args")
        )
        #expect(
            arguments.split(separator: "\n") == [
                "--silent", "--no-kernel-module", "--no-x-check", "--no-nouveau-check",
            ]
        )
        let blacklist = try Self.text(
            root.appendingPathComponent("etc/modprobe.d/blacklist-nouveau.conf")
        )
        #expect(blacklist == "blacklist nouveau\noptions nouveau modeset=0\n")
        let kept = root.appendingPathComponent("root/NVIDIA-Linux-x86_64-535.171.04.run")
        let original = context.appendingPathComponent("Drivers/NVIDIA-Linux-x86_64-535.171.04.run")
        #expect(try Data(contentsOf: kept) == Data(contentsOf: original))
        let pip = try Self.text(root.appendingPathComponent("var/log/gpuprobe-test-python.args"))
        let words = pip.split(separator: "\n")
        #expect(words.prefix(5) == ["-m", "pip", "install", "--no-cache-dir", "torch==2.14.1"])
        #expect(words.contains("--index-url"))
    }

    @Test func aFailingInstallerFailsTheBuild() throws {
        let store = try Store()
        let base = try store.makeBase()
        let context = try Self.nvidiaContext(status: 1)
        defer { try? FileManager.default.removeItem(at: context) }
        let emitted = MatchCommandTests.run(
            [
                "dockerfile", "--host", "host.json", "--drivers", "Drivers", "--base", base,
                "-o", "Dockerfile",
            ],
            cache: context.appendingPathComponent("cache"),
            in: context
        )
        #expect(emitted.status == 0, "\(emitted.stderr)")
        #expect {
            try store.build(context, tag: "localhost/gpuprobe-test-failing:1")
        } throws: { error in
            // buildah names the failing step: the installer's RUN, not anything before it.
            "\(error)".contains("NVIDIA-Linux-x86_64-535.171.04.run --silent")
        }
    }

    /// `gpuprobe dockerfile --host host.json --base BASE -o Dockerfile` in `context`.
    static func writeDockerfile(base: String, cache: URL, in context: URL) {
        let emitted = MatchCommandTests.run(
            ["dockerfile", "--host", "host.json", "--base", base, "-o", "Dockerfile"],
            cache: cache,
            in: context
        )
        #expect(emitted.status == 0, "\(emitted.stderr)")
    }

    /// A fake Ascend host whose driver files `gpuprobe stage-ascend` has put into its build
    /// context: the host (remove it when done), the context and a cache folder.
    static func stagedAscend(vnpu: Bool) throws -> (FakeAscendHost, URL, URL) {
        let host = try FakeAscendHost(vnpu: vnpu)
        let context = URL(fileURLWithPath: host.context)
        let cache = URL(fileURLWithPath: host.base).appendingPathComponent("cache")
        let staged = MatchCommandTests.run(
            ["stage-ascend", "--context", host.context, "--root", host.root],
            cache: cache,
            in: context
        )
        #expect(staged.status == 0, "\(staged.stderr)")
        return (host, context, cache)
    }

    /// A fake Ascend root, staged by `gpuprobe stage-ascend`, copied in by the emitted layers.
    @Test func theAscendLayersPutTheStagedFilesInPlace() throws {
        let store = try Store()
        let base = try store.makeBase()
        let (host, context, cache) = try Self.stagedAscend(vnpu: true)
        defer { host.remove() }
        _ = try TestHosts.write(TestHosts.guideAscend(vnpu: true), in: context)
        Self.writeDockerfile(base: base, cache: cache, in: context)
        let tag = "localhost/gpuprobe-test-ascend:1"
        let root = try store.build(context, tag: tag)

        for file in AscendFiles.all {
            var isFolder: ObjCBool = false
            let path = root.appendingPathComponent(String(file.imagePath.dropFirst())).path
            #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), "\(path)")
            #expect(isFolder.boolValue == (file.kind == .directory), "\(path)")
        }
        let npuSMI = root.appendingPathComponent("usr/local/bin/npu-smi").path
        #expect(FileManager.default.isExecutableFile(atPath: npuSMI))
        #expect(
            Array(try Data(contentsOf: URL(fileURLWithPath: npuSMI)))
                == FakeAscendHost.npuSMI
        )
        let driver = root.appendingPathComponent("usr/local/Ascend/driver/lib64/driver")
        #expect(
            Array(try Data(contentsOf: driver.appendingPathComponent("libascend_hal.so.1.0")))
                == FakeAscendHost.hal
        )
        #expect(
            try FileManager.default.destinationOfSymbolicLink(
                atPath: driver.appendingPathComponent("libascend_hal.so").path
            ) == "libascend_hal.so.1"
        )
        #expect(
            Array(try Data(contentsOf: root.appendingPathComponent("etc/vnpu.cfg")))
                == FakeAscendHost.vnpu
        )
        #expect(
            try Self.text(root.appendingPathComponent("usr/local/Ascend/driver/version.info"))
                == Fixtures.text("ascend/version_info_24.1.rc2.2.txt")
        )
        // Nothing from outside the fake root came along.
        #expect(
            !FileManager.default.fileExists(
                atPath: root.appendingPathComponent("usr/local/dcmi/escape").path
            )
        )
        let environment = try store.environment(tag)
        #expect(
            environment.contains(
                "LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common:/usr/local/Ascend/driver/lib64/driver"
            )
        )
    }

    /// An Ascend context: the staged driver files of a fake root, the 910B4 capture's report
    /// (aarch64), and stand-in CANN 8.1.RC1 toolkit and 910b kernels packages that lay out
    /// the toolkit's folders (or, with `moved`, put them elsewhere, as a release that changed
    /// its layout would).
    static func cannContext(moved: Bool = false) throws -> (FakeAscendHost, URL, URL) {
        let (host, context, cache) = try stagedAscend(vnpu: false)
        var report = try TestPlans.capture910B4()
        report.host.architecture = "aarch64"
        _ = try TestHosts.write(report, in: context)
        let drivers = context.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        let home =
            moved ? "/usr/local/Ascend/cann-8.1.RC1" : "/usr/local/Ascend/ascend-toolkit/latest"
        try MakeselfInstaller.buildCANN(
            name: "Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
            folders: ["\(home)/lib64", "\(home)/opp"],
            setEnv: moved ? "/usr/local/Ascend/cann-8.1.RC1/set_env.sh" : CANNLayers.setEnvPath,
            in: drivers
        )
        try MakeselfInstaller.buildCANN(
            name: "Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run",
            in: drivers
        )
        return (host, context, cache)
    }

    /// Issue 16's build: the toolkit and kernels `.run` run with `--install --quiet`, the
    /// image's environment is what set_env.sh would set, and pip gets torch + torch_npu.
    @Test func theCANNToolkitIsInstalledWithItsEnvironmentAndTorchNPU() throws {
        let store = try Store()
        let base = try store.makeBase()
        let (host, context, cache) = try Self.cannContext()
        defer { host.remove() }
        Self.writeDockerfile(base: base, cache: cache, in: context)
        let tag = "localhost/gpuprobe-test-cann:1"
        let root = try store.build(context, tag: tag)
        for package in [
            "Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
            "Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run",
        ] {
            let arguments = try Self.text(
                root.appendingPathComponent("var/log/gpuprobe-test-\(package).args")
            )
            #expect(arguments == "--install\n--quiet\n", "\(package)")
        }
        // The installers are gone from the image's file system once installed.
        #expect(
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("tmp/cann").path)
        )
        let home = "/usr/local/Ascend/ascend-toolkit/latest"
        let environment = try store.environment(tag)
        for expected in [
            "ASCEND_TOOLKIT_HOME=\(home)", "ASCEND_OPP_PATH=\(home)/opp",
            "ASCEND_AICPU_PATH=\(home)", "ASCEND_HOME_PATH=\(home)",
            "TOOLCHAIN_HOME=\(home)/toolkit",
        ] {
            #expect(environment.contains(expected), "\(expected)")
        }
        // The driver's libraries first (their layer comes last), then the toolkit's.
        let library = try #require(environment.first { $0.hasPrefix("LD_LIBRARY_PATH=") })
        #expect(
            library.hasPrefix(
                "LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common:"
                    + "/usr/local/Ascend/driver/lib64/driver:\(home)/lib64:"
            )
        )
        #expect(library.contains("/op_tiling/lib/linux/aarch64:"))
        let path = try #require(environment.first { $0.hasPrefix("PATH=") })
        #expect(path.hasPrefix("PATH=\(home)/bin:") && path.hasSuffix(":/usr/bin:/bin"))
        let pip = try Self.text(root.appendingPathComponent("var/log/gpuprobe-test-python.args"))
        #expect(
            pip.split(separator: "\n") == [
                "-m", "pip", "install", "--no-cache-dir", "torch==2.5.1", "torch-npu==2.5.1",
                "pyyaml", "setuptools<82", "--extra-index-url",
                "https://download.pytorch.org/whl/cpu",
            ]
        )
    }

    /// A toolkit that lands elsewhere than the ENV lines point fails the build at its own
    /// step, with gpuprobe's message, instead of torch_npu failing to load at run time.
    @Test func aToolkitThatLandsElsewhereFailsTheBuild() throws {
        let store = try Store()
        let base = try store.makeBase()
        let (host, context, cache) = try Self.cannContext(moved: true)
        defer { host.remove() }
        Self.writeDockerfile(base: base, cache: cache, in: context)
        #expect {
            try store.build(context, tag: "localhost/gpuprobe-test-cann-moved:1")
        } throws: { error in
            "\(error)".contains("gpuprobe: the CANN 8.1.RC1 toolkit did not install into")
        }
    }
}
