import Foundation
import Testing

/// Runs the built `gpuprobe` and measures how much memory it took.
enum MeasuredRun {
    /// Runs `gpuprobe` with standard input from `stdin` and `XDG_CACHE_HOME` set to `folder`,
    /// and measures its peak resident memory (`wait4`'s `ru_maxrss`).
    ///
    /// ``MatchCommandTests/run(_:cache:in:)`` cannot say how much memory the command used, and a
    /// limit on it does not tell either: Foundation fails to map a huge file under a limit and
    /// carries on, so holding a 2 GiB input in memory would pass unseen.
    ///
    /// The command is started by a small Python process that forks, execs and waits for it,
    /// not by this test process directly: Linux carries the parent's high-water RSS into a
    /// child's `ru_maxrss` at exec (through the `vfork` of `posix_spawn`, or the copied
    /// address space of `fork`), so a child of the test runner, which holds hundreds of
    /// megabytes by the end of the suite, would report the runner's peak, not its own. A
    /// child of a 10 MB Python reports its own.
    static func gpuprobe(
        _ arguments: [String],
        stdin: String = "/dev/null",
        in folder: URL
    ) throws -> (result: MatchCommandTests.Result, peakMiB: Int) {
        let outputs = folder.appendingPathComponent("outputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outputs) }
        let out = outputs.appendingPathComponent("stdout")
        let err = outputs.appendingPathComponent("stderr")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT, 0o600)
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
            strings.map { strdup($0) } + [nil]
        }
        let report = outputs.appendingPathComponent("maxrss")
        let argv = cStrings(
            [
                "/usr/bin/python3", "-c", Self.forkAndMeasure, report.path,
                MatchCommandTests.executable,
            ]
                + arguments
        )
        let environment = cStrings(["XDG_CACHE_HOME=\(folder.path)", "PATH=/usr/bin:/bin"])
        defer { for pointer in argv + environment { free(pointer) } }
        var pid = pid_t()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so a command stuck past the wait below dies with Python.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let spawned = posix_spawn(
            &pid,
            "/usr/bin/python3",
            &actions,
            &attributes,
            argv,
            environment
        )
        try #require(spawned == 0)
        var status: Int32 = 0
        var usage = rusage()
        // Every wait is bounded: a command stuck on its input is killed after a minute.
        var waited: pid_t = 0
        for _ in 0..<600 where waited != pid {
            waited = wait4(pid, &status, WNOHANG, &usage)
            if waited != pid { usleep(100_000) }
        }
        if waited != pid {
            kill(-pid, SIGKILL)
            wait4(pid, &status, 0, &usage)
            status = -1
        }
        let result = MatchCommandTests.Result(
            status: status & 0x7f == 0 ? (status >> 8) & 0xff : -1,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
        let kibibytes = try #require(
            Int(String(decoding: try Data(contentsOf: report), as: UTF8.self)),
            "the measuring wrapper wrote no figure"
        )
        return (result, kibibytes >> 10)
    }

    /// Forks, execs argv[2...] and waits; writes the child's `ru_maxrss` (KiB) to argv[1] and
    /// exits with the child's status.
    static let forkAndMeasure = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            os.execv(sys.argv[2], sys.argv[2:])
        _, status, usage = os.wait4(pid, 0)
        with open(sys.argv[1], "w") as f:
            f.write(str(usage.ru_maxrss))
        sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 125)
        """

    /// Far below what holding a 2 GiB input would take, far above what gpuprobe needs.
    static let memoryBoundMiB = 256
}

extension MeasuredRun {
    /// `gpuprobe match` of the A100 host over `drivers`, its peak memory held to the bound.
    static func matchA100(drivers: URL, in work: FakeInstallers) throws -> MatchCommandTests.Result
    {
        let host = try MatchCommandTests.a100Host(in: work.directory)
        let (result, peak) = try gpuprobe(
            ["match", "--host", host, "--drivers", drivers.path],
            in: work.directory
        )
        #expect(peak < memoryBoundMiB, "match used \(peak) MiB")
        return result
    }
}
