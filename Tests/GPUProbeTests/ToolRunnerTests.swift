import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct ToolRunnerTests {
    @Test func capturesOutputAndStatus() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let path = try tools.add("tool", script: "echo out; echo err >&2; exit 3")
        let run = ToolRunner.run(path, [], timeout: 5)
        #expect(run.outcome == .exited(3))
        #expect(String(decoding: run.stdout, as: UTF8.self) == "out\n")
        #expect(String(decoding: run.stderr, as: UTF8.self) == "err\n")
    }

    @Test func stdinIsDevNull() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        // `cat` would block forever on an inherited terminal or pipe.
        let path = try tools.add("tool", script: "cat; echo done")
        let run = ToolRunner.run(path, [], timeout: 5)
        #expect(run.outcome == .exited(0))
        #expect(String(decoding: run.stdout, as: UTF8.self) == "done\n")
    }

    @Test func toolsInheritNoDescriptorsBeyondTheStandardThree() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        // Opened without O_CLOEXEC, as Foundation's file writes are.
        let marker = tools.directory.appendingPathComponent("open-elsewhere").path
        let fd = open(marker, O_WRONLY | O_CREAT, 0o600)
        try #require(fd > 2)
        defer { close(fd) }
        let path = try tools.add("tool", script: "readlink /proc/$$/fd/\(fd) || echo closed")
        let run = ToolRunner.run(path, [], timeout: 5)
        #expect(String(decoding: run.stdout, as: UTF8.self) == "closed\n")
    }

    @Test func killsAHungToolAndItsChildrenAtTheDeadline() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        // The sleeping child keeps stdout open: a reader that waits for EOF would hang.
        let path = try tools.add("tool", script: "echo partial; sleep 1000")
        let start = Date()
        let run = ToolRunner.run(path, [], timeout: 1)
        let elapsed = Date().timeIntervalSince(start)
        #expect(run.outcome == .timedOut(seconds: 1))
        #expect(String(decoding: run.stdout, as: UTF8.self) == "partial\n")
        #expect(
            elapsed < 2,
            "returned after \(elapsed) s; the bound is the timeout plus one second"
        )
    }

    @Test func keepsHalfTheOutputOfAFailingTool() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let path = try tools.add("tool", script: "printf '| NVIDIA-SMI 550.54.14   Driv'; exit 9")
        let run = ToolRunner.run(path, [], timeout: 5)
        #expect(run.outcome == .exited(9))
        #expect(String(decoding: run.stdout, as: UTF8.self) == "| NVIDIA-SMI 550.54.14   Driv")
    }

    @Test func boundsHugeOutput() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        // 40 MiB on stdout while stderr also gets text: neither pipe may stall the other.
        let path = try tools.add(
            "tool",
            script: "head -c 41943040 /dev/zero; echo tail >&2"
        )
        let run = ToolRunner.run(path, [], timeout: 30)
        #expect(run.outcome == .exited(0))
        #expect(run.stdout.count == ToolRunner.outputLimit)
        #expect(run.truncated)
        #expect(String(decoding: run.stderr, as: UTF8.self) == "tail\n")
    }

    @Test func reportsNotExecutableAndMissing() throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let path = try tools.add("tool", script: "echo hi", executable: false)
        guard case .failedToStart = ToolRunner.run(path, [], timeout: 5).outcome else {
            Issue.record("a non-executable file must not count as run")
            return
        }
        let missing = tools.directory.appendingPathComponent("absent").path
        #expect(ToolRunner.run(missing, [], timeout: 5).outcome == .notFound)
    }

    @Test func locatesInSearchPathOrder() throws {
        let first = try FakeTools()
        let second = try FakeTools()
        defer {
            first.remove()
            second.remove()
        }
        let expected = try second.add("nvidia-smi", script: "true")
        let path = ToolRunner.locate(
            "nvidia-smi",
            in: ["/nonexistent", first.directory.path, second.directory.path]
        )
        #expect(path == expected)
        #expect(ToolRunner.locate("nvidia-smi", in: [first.directory.path]) == nil)
    }
}
