import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What gpuprobe may replace, and how it says that it cannot write: the built binary, run the
/// way a person at a shell would, with a typo in a path or a closed stream.
///
/// `--force` replaces only what gpuprobe itself writes (a capture folder, a regular file), never
/// a person's folder, a link or a device; two writers of one new file both succeed; output that
/// cannot be written is an error said on standard error, and a message that cannot be written
/// stops nothing.
@Suite struct OutputSafetyTests {
    /// Runs `script` with `/bin/sh` in `folder`, `$GP` being the built gpuprobe.
    static func shell(_ script: String, in folder: URL) -> CommandRun.Result {
        CommandRun.run(
            "/bin/sh",
            ["-c", "cd \"$1\" && shift && " + script, "sh", folder.path],
            environment: [
                "GP=\(CommandRun.executable)", "PATH=/usr/bin:/bin",
                "XDG_CACHE_HOME=\(folder.path)/.cache",
            ]
        )
    }

    static let capture = "\"$GP\" capture --tool-path /nonexistent --sysfs /nonexistent"
    static let noGPUHost = Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path

    static func write(_ text: String, _ path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    // MARK: capture --force

    /// `capture --force ..` once removed the folder above with everything in it.
    @Test func captureForceRefusesDotAndDotDot() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: false)
        try Self.write("mine\n", folder.path + "/precious.txt")
        for target in ["..", ".", "../", "./..", "/"] {
            let result = Self.shell("\(Self.capture) --force '\(target)'", in: work)
            #expect(result.status == 2, "\(target): \(result.stderr)")
            #expect(
                result.stderr.hasPrefix(
                    "gpuprobe: error: '\(target)' names an existing folder that holds others"
                ),
                "\(result.stderr)"
            )
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        #expect(
            try String(contentsOfFile: folder.path + "/precious.txt", encoding: .utf8) == "mine\n"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    }

    /// A folder that is not a capture, or a capture a person added files to, or a link to a
    /// capture, stays as it is even with `--force`.
    @Test(arguments: ["a home folder", "a capture with notes", "a link to a capture", "a file"])
    func captureForceRefusesWhatIsNotACapture(_ what: String) throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = folder.path + "/bundle"
        let made = Self.shell("\(Self.capture) real > /dev/null", in: folder)
        #expect(made.status == 0, "\(made.stderr)")
        switch what {
        case "a home folder":
            try FileManager.default.createDirectory(
                atPath: bundle,
                withIntermediateDirectories: false
            )
            try Self.write("thesis\n", bundle + "/thesis.tex")
        case "a capture with notes":
            #expect(rename(folder.path + "/real", bundle) == 0)
            try Self.write("notes\n", bundle + "/NOTES.md")
        case "a link to a capture":
            #expect(symlink("real", bundle) == 0)
        default:
            try Self.write("not a folder\n", bundle)
        }
        let before = InterruptTests.listing(folder)
        let result = Self.shell("\(Self.capture) --force bundle", in: folder)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("gpuprobe: error: 'bundle' "), "\(result.stderr)")
        #expect(
            result.stderr.hasSuffix(
                "so it is not a gpuprobe capture; --force replaces only a capture folder as "
                    + "capture wrote it: move your files out, or choose a new folder\n"
            ),
            "\(result.stderr)"
        )
        #expect(InterruptTests.listing(folder) == before)
    }

    @Test func captureForceReplacesACapture() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Self.shell("\(Self.capture) bundle > /dev/null", in: folder).status == 0)
        let manifest = folder.path + "/bundle/manifest.json"
        try Self.write("{\"format\": \"gpuprobe/capture/v1\", \"old\": true}\n", manifest)
        let again = Self.shell("\(Self.capture) --force bundle > /dev/null", in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        #expect(!text.contains("\"old\""))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0 != ".cache"
            }
                == ["bundle"]
        )
    }

    /// `link/../x` is `x` beside the link's target, as the kernel resolves it, not `./x`.
    @Test func captureResolvesDotDotThroughALinkAsTheKernelDoes() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            atPath: folder.path + "/far/inner",
            withIntermediateDirectories: true
        )
        #expect(symlink("far/inner", folder.path + "/link") == 0)
        let result = Self.shell("\(Self.capture) link/../bundle > /dev/null", in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path + "/far/bundle/manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/bundle"))
    }

    // MARK: -o and --force over what is not a regular file

    /// As root, `dockerfile -o /dev/stdout --force` once turned /dev/stdout into a plain file.
    ///
    /// Here the same kinds of thing in a folder of the test's own: a link like /dev/stdout, a
    /// FIFO and a character device (as root) stay what they are, with or without --force, and
    /// the message does not suggest --force.
    @Test func forceNeverReplacesALinkADeviceOrAFIFO() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(symlink("/proc/self/fd/1", folder.path + "/stdout") == 0)
        #expect(mkfifo(folder.path + "/fifo", 0o600) == 0)
        var names = ["stdout", "fifo"]
        if getuid() == 0, mknod(folder.path + "/null", S_IFCHR | 0o666, (1 << 8) | 3) == 0 {
            names.append("null")
        }
        let before = InterruptTests.listing(folder)
        for name in names {
            for force in ["", " --force"] {
                let result = Self.shell(
                    "\"$GP\" dockerfile --host '\(Self.noGPUHost)' -o \(name)\(force)",
                    in: folder
                )
                #expect(result.status == 2, "\(name)\(force): \(result.stderr)")
                #expect(
                    result.stderr.contains("gpuprobe: error: '\(name)' is a "),
                    "\(result.stderr)"
                )
                #expect(
                    result.stderr.hasSuffix(
                        "not a regular file; gpuprobe replaces only regular files, with or "
                            + "without --force: choose another name (`-` writes to standard "
                            + "output)\n"
                    ),
                    "\(result.stderr)"
                )
            }
        }
        var info = stat()
        #expect(lstat(folder.path + "/stdout", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(lstat(folder.path + "/fifo", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(InterruptTests.listing(folder).keys == before.keys)
    }

    /// `-o -` is standard output, as `-` is for every input; no file named `-` appears.
    @Test func dashIsStandardOutput() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = Self.shell("\"$GP\" dockerfile --host '\(Self.noGPUHost)'", in: folder)
        let dash = Self.shell("\"$GP\" dockerfile --host '\(Self.noGPUHost)' -o -", in: folder)
        #expect(dash.status == plain.status)
        #expect(dash.stdout == plain.stdout)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/-"))
        let nfd = Self.shell(
            "\"$GP\" probe --replay '\(Fixtures.url("hosts/a100-sxm4-mig-xml").path)' --format nfd "
                + "--output-file -",
            in: folder
        )
        #expect(nfd.status == 0, "\(nfd.stderr)")
        #expect(nfd.stdout.hasPrefix(NFDLabels.ownerMarker))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/-"))
    }

    /// A DaemonSet loop and a person, or two pods, writing the node labels file for the first
    /// time at once: every writer succeeds and the file is whole.
    @Test func parallelFirstWritesAllSucceed() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let replay = Fixtures.url("hosts/a100-sxm4-mig-xml").path
        for round in 0..<5 {
            let file = "labels-\(round)"
            let result = Self.shell(
                "pids=; for i in 1 2 3 4 5 6 7 8; do \"$GP\" probe --replay '\(replay)' "
                    + "--format nfd --output-file \(file) 2>> errors-\(round) & pids=\"$pids $!\"; "
                    + "done; fail=0; for p in $pids; do wait $p || fail=$((fail+1)); done; echo $fail",
                in: folder
            )
            let errors =
                (try? String(contentsOfFile: "\(folder.path)/errors-\(round)", encoding: .utf8))
                ?? ""
            #expect(result.stdout == "0\n", "round \(round): \(errors)")
            #expect(!errors.contains("error"), "\(errors)")
            let written = try String(contentsOfFile: "\(folder.path)/\(file)", encoding: .utf8)
            #expect(written.hasPrefix(NFDLabels.ownerMarker))
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.contains(".partial-") }.isEmpty
        )
    }

    // MARK: Streams that cannot be written

    @Test(arguments: [
        (">&-", "it was closed when gpuprobe started"),
        (">/dev/full", "No space left on device"),
    ])
    func outputThatCannotBeWrittenIsAnErrorOnStandardError(_ redirect: String, _ reason: String)
        throws
    {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.shell(
            "\"$GP\" probe --replay '\(Fixtures.url("hosts/a100-sxm4-mig-xml").path)' \(redirect)",
            in: folder
        )
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "gpuprobe: error: cannot write to standard output: \(reason); run gpuprobe "
                + "with standard output open on a file or pipe that can take it\n"
        )
    }

    /// A closed standard error loses the notes, not the work: the file is written, whole, and
    /// not with the notes inside it (the next descriptor opened would have been 2).
    @Test func aClosedStandardErrorStopsNothing() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = Self.shell("\"$GP\" dockerfile --host '\(Self.noGPUHost)'", in: folder)
        let result = Self.shell(
            "\"$GP\" dockerfile --host '\(Self.noGPUHost)' -o Dockerfile 2>&-; echo $?",
            in: folder
        )
        let written = try String(contentsOfFile: folder.path + "/Dockerfile", encoding: .utf8)
        #expect(result.stdout == "\(expected.status)\n")
        #expect(written == expected.stdout)
        #expect(!written.contains("gpuprobe:"))
    }

    // MARK: Messages

    /// A path with a newline or a right-to-left override cannot forge a line of its own or
    /// reorder the message, and a 120 KB path does not make a 120 KB line.
    @Test func messagesStayOneShortLine() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let forged = "x\ngpuprobe: note: all good\u{202E}txt.exe"
        let long = String(repeating: "d/", count: 60_000) + "Dockerfile"
        for path in [forged, long] {
            let result = CommandRun.gpuprobe(
                ["check", path, "--host", Self.noGPUHost],
                environment: ["PATH=/usr/bin:/bin"]
            )
            #expect(result.status == 2)
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].isEmpty, "\(result.stderr.prefix(300))")
            #expect(result.stderr.hasPrefix("gpuprobe: error: "))
            #expect(!result.stderr.unicodeScalars.contains("\u{202E}"))
            #expect(result.stderr.count < 6000)
        }
    }
}
