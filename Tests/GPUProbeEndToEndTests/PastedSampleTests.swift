import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Every real nvidia-smi and npu-smi output in the fixtures (the product side's samples among
/// them) as `--host` of match, dockerfile, run-flags and check, run as a user runs them.
///
/// What "works" means differs by what the paste shows: a working tool gives a plan naming
/// the host's driver, a Dockerfile with the installer equal to it and run flags for its
/// devices; a failure gives a plan that explains it and a one-line error elsewhere, never
/// "not valid JSON".
@Suite struct PastedSampleTests {
    static let pastes = Fixtures.captured(in: "nvidia-smi") + Fixtures.captured(in: "npu-smi")

    /// One folder per test: a drivers folder and a cache, removed afterwards.
    final class Folder {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory
                .appendingPathComponent("gpuprobe-samples-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }

        func run(_ arguments: [String]) -> CommandRun.Result {
            MatchCommandTests.run(arguments, cache: url, in: url)
        }
    }

    @Test(arguments: pastes)
    func everyPasteIsAHostForEveryCommand(file: String) throws {
        let folder = try Folder()
        let paste = Fixtures.url(file).path
        let report = try #require(PastedHost.report(Array(try Fixtures.text(file).utf8)))
        let devices = (report.nvidia?.gpus.count ?? 0) + (report.ascend?.npus.count ?? 0)

        let match = folder.run(["match", "--host", paste, "--format", "json"])
        #expect([0, 3].contains(match.status), "\(match.stderr)")
        let plan = MatchCommandTests.json(match.stdout)
        #expect(plan["schema"] as? String == "gpuprobe/plan/v1")
        let driver = try #require(plan["driver"] as? [String: Any])
        if let version = report.nvidia?.driverVersion {
            #expect(driver["host_version"] as? String == version)
        }
        if report.nvidia != nil, report.nvidia?.driverVersion == nil {
            // A failure: the plan says why, and names no version.
            #expect(driver["host_version"] == nil || driver["host_version"] is NSNull)
            #expect(!(driver["explanation"] as? [String] ?? []).isEmpty)
        }

        let flags = folder.run(["run-flags", "--host", paste])
        if devices > 0 {
            #expect(flags.status == 0, "\(flags.stderr)")
            #expect(
                flags.stdout.contains(report.nvidia == nil ? "--device=/dev/davinci" : "--gpus ")
            )
        } else {
            #expect(flags.status == 3)
            #expect(flags.stderr.hasPrefix("gpuprobe: error: the report shows no NVIDIA GPU"))
            #expect(flags.stderr.split(separator: "\n").count == 1)
        }

        let dockerfile = Fixtures.url(
            report.nvidia == nil
                ? "dockerfiles/packaging-guide-ascend.Dockerfile"
                : "dockerfiles/packaging-guide.Dockerfile"
        ).path
        let check = folder.run(["check", dockerfile, "--host", paste, "--format", "json"])
        #expect([0, 1].contains(check.status), "\(check.stderr)")
        #expect(MatchCommandTests.json(check.stdout)["findings"] is [Any])
    }

    /// With the installer equal to the pasted driver in the folder, the Dockerfile installs it.
    @Test(arguments: pastes.filter { $0.hasPrefix("nvidia-smi/") })
    func dockerfileInstallsThePastedDriver(file: String) throws {
        let report = try #require(PastedHost.report(Array(try Fixtures.text(file).utf8)))
        guard let version = report.nvidia?.driverVersion, !(report.nvidia?.gpus.isEmpty ?? true)
        else { return }
        let folder = try Folder()
        let installers = try FakeInstallers()
        defer { installers.remove() }
        let drivers = folder.url.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        var spec = FakeInstallers.Spec()
        spec.version = version
        spec.architecture = report.host.architecture ?? "x86_64"
        spec.supportedGPUs = nil
        _ = try installers.build(spec, in: drivers)
        let name = "NVIDIA-Linux-\(spec.architecture)-\(version).run"
        let match = folder.run(["match", "--host", Fixtures.url(file).path])
        let driver = MatchCommandTests.json(match.stdout)["driver"] as? [String: Any]
        if MatchHost.from(report).windowsDriverModel != nil {
            // Windows' driver, lent to containers by WSL 2: none in the image.
            #expect(driver?["status"] as? String == "not_needed")
            let result = folder.run(["dockerfile", "--host", Fixtures.url(file).path])
            #expect(!result.stdout.contains("NVIDIA-Linux"), "\(result.stdout)")
            return
        }
        #expect(driver?["status"] as? String == "exact", "\(match.stdout)")
        #expect(driver?["chosen"] as? String == name)
        let result = folder.run(["dockerfile", "--host", Fixtures.url(file).path])
        if match.status == 0 {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(name) && result.stdout.contains("--no-kernel-module"))
        } else {
            // Another part has no choice (no CUDA wheel for a Kepler GPU): no Dockerfile.
            #expect(result.status == 3)
            #expect(result.stderr.contains("the plan is incomplete"))
        }
    }
}
