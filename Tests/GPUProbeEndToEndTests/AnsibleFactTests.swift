import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `contrib/ansible/gpuprobe.fact` as Ansible runs it: ansible-core's `setup` module against
/// localhost, the fact replaying a host bundle, the report read back from `ansible_local`.
///
/// ansible-core comes from `make test-deps` (the `.build/tools` venv); CI installs it, so there
/// the tests run. Ansible gets a config file, home and temporary folders of its own under a
/// temporary folder, and no standard input, so it reads and writes nothing of the user's.
@Suite struct AnsibleFactTests {
    static let repository = Fixtures.root.deletingLastPathComponent()
    static let ansible = repository.appendingPathComponent(".build/tools/bin/ansible").path
    static let python = repository.appendingPathComponent(".build/tools/bin/python3").path
    static let fact = repository.appendingPathComponent("contrib/ansible/gpuprobe.fact").path
    static let installed = FileManager.default.isExecutableFile(atPath: ansible)

    /// A temporary folder with the fact installed in `facts.d/` as docs/ansible.md says: a copy,
    /// mode 0755.
    static func folder() throws -> URL {
        let folder = try InterruptTests.temporaryFolder()
        let facts = folder.appendingPathComponent("facts.d")
        try FileManager.default.createDirectory(at: facts, withIntermediateDirectories: false)
        let installed = facts.appendingPathComponent("gpuprobe.fact").path
        try FileManager.default.copyItem(atPath: fact, toPath: installed)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: installed)
        try Data().write(to: folder.appendingPathComponent("ansible.cfg"))
        return folder
    }

    /// `ansible_local` with the fact replaying the bundle at `replay` through the built gpuprobe.
    static func localFacts(in folder: URL, replaying replay: String) throws -> [String: Any] {
        try localFacts(
            in: folder,
            environment: [
                "GPUPROBE=\(CommandRun.executable)", "GPUPROBE_REPLAY=\(replay)",
            ]
        )
    }

    /// Runs `setup` for the local facts only and returns `ansible_local`.
    static func localFacts(in folder: URL, environment extra: [String]) throws -> [String: Any] {
        let base = folder.path
        let run = ToolRunner.run(
            ansible,
            [
                "localhost", "-c", "local", "-i", "localhost,", "-m", "setup", "-a",
                "gather_subset=!all,!min,local fact_path=\(base)/facts.d filter=ansible_local",
            ],
            timeout: 120,
            environment: [
                "PATH=/usr/bin:/bin",
                // ansible-core refuses to start under a locale whose encoding is not UTF-8.
                "LC_ALL=C.UTF-8",
                "HOME=\(base)/home",
                "ANSIBLE_CONFIG=\(base)/ansible.cfg",
                "ANSIBLE_LOCAL_TEMP=\(base)/ansible-local",
                "ANSIBLE_REMOTE_TEMP=\(base)/ansible-remote",
                "ANSIBLE_PYTHON_INTERPRETER=\(python)",
                "ANSIBLE_NOCOLOR=1",
                "ANSIBLE_DEPRECATION_WARNINGS=0",
                "ANSIBLE_LOCALHOST_WARNING=0",
                "PYTHONDONTWRITEBYTECODE=1",
            ] + extra
        )
        let stdout = String(decoding: run.stdout, as: UTF8.self)
        let stderr = String(decoding: run.stderr, as: UTF8.self)
        #expect(run.outcome == .exited(0), "\(stdout)\n\(stderr)")
        // Ad-hoc output: `localhost | SUCCESS => {...}`.
        let json = try #require(stdout.range(of: " => ").map { stdout[$0.upperBound...] })
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        )
        let facts = try #require(result["ansible_facts"] as? [String: Any])
        return try #require(facts["ansible_local"] as? [String: Any])
    }

    @Test(.enabled(if: installed, "ansible-core is not in .build/tools; run `make test-deps`"))
    func replayedA100IsUnderAnsibleLocal() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let local = try Self.localFacts(
            in: folder,
            replaying: "\(Fixtures.url("hosts/a100-sxm4-mig-xml").path)"
        )
        let report = try #require(local["gpuprobe"] as? [String: Any])
        #expect(report["schema"] as? String == "gpuprobe/host/v1")
        let nvidia = try #require(report["nvidia"] as? [String: Any])
        #expect(nvidia["driver_version"] as? String == "535.54.03")
        #expect(nvidia["cuda_version"] as? String == "12.2")
        let gpus = try #require(nvidia["gpus"] as? [[String: Any]])
        #expect(gpus.count == 1)
        #expect(gpus.first?["name"] as? String == "NVIDIA A100-SXM4-80GB")
        #expect(gpus.first?["compute_capability"] as? String == "8.0")
        // What Ansible holds is the report itself, key for key.
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixtures.url("hosts/a100-sxm4-mig-xml/expected.json"))
        )
        #expect(
            try JSONSerialization.data(withJSONObject: report, options: .sortedKeys)
                == JSONSerialization.data(withJSONObject: expected, options: .sortedKeys)
        )
    }

    @Test(.enabled(if: installed, "ansible-core is not in .build/tools; run `make test-deps`"))
    func replayedAscendHostIsUnderAnsibleLocal() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let local = try Self.localFacts(
            in: folder,
            replaying: "\(Fixtures.url("hosts/ascend-910b4").path)"
        )
        let report = try #require(local["gpuprobe"] as? [String: Any])
        #expect(report["nvidia"] is NSNull)
        let ascend = try #require(report["ascend"] as? [String: Any])
        #expect(ascend["driver_version"] as? String == "24.1.rc2.2")
        #expect(
            (ascend["npus"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == [
                "910B4", "910B4",
            ]
        )
    }

    /// A fact that fails becomes a string naming the failure, and the play goes on.
    @Test(.enabled(if: installed, "ansible-core is not in .build/tools; run `make test-deps`"))
    func failingReplayIsReportedAsTheFactsValue() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let local = try Self.localFacts(in: folder, replaying: "\(folder.path)/no-such-capture")
        let value = try #require(local["gpuprobe"] as? String)
        #expect(value.contains("rc: 2"))
        #expect(value.contains("gpuprobe: error: "))
        #expect(value.contains("no-such-capture"))
    }

    static let gpuprobeInstalled =
        FileManager.default.isExecutableFile(atPath: "/usr/local/bin/gpuprobe")
        || FileManager.default.isExecutableFile(atPath: "/usr/bin/gpuprobe")

    /// Without Ansible: the script alone, when gpuprobe cannot be found.
    @Test(.disabled(if: gpuprobeInstalled, "gpuprobe is installed here, so the fact finds it"))
    func factWithoutGPUProbeSaysWhatToDo() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = ToolRunner.run(
            folder.path + "/facts.d/gpuprobe.fact",
            [],
            timeout: 30,
            environment: ["PATH=\(folder.path)"]
        )
        #expect(run.outcome == .exited(1))
        #expect(run.stdout.isEmpty)
        #expect(
            String(decoding: run.stderr, as: UTF8.self)
                == "gpuprobe.fact: error: gpuprobe not found on PATH, in /usr/local/bin or in "
                + "/usr/bin; install it there or set GPUPROBE\n"
        )
    }

    @Test func factRunsGPUProbeWithTheReplayFolder() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = ToolRunner.run(
            folder.path + "/facts.d/gpuprobe.fact",
            [],
            timeout: 30,
            environment: [
                "PATH=/usr/bin:/bin",
                "GPUPROBE=\(CommandRun.executable)",
                "GPUPROBE_REPLAY=\(Fixtures.url("hosts/ascend-910b4").path)",
            ]
        )
        #expect(run.outcome == .exited(0))
        #expect(
            run.stdout
                == Array(try Data(contentsOf: Fixtures.url("hosts/ascend-910b4/expected.json")))
        )
    }
}
