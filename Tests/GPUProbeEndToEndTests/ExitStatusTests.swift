import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The README's "Exit status" table, row by row, through the built `gpuprobe`.
///
/// Every case runs in a build context of ``DockerfileCommandTests/context()``: `host.json` (the
/// packaging guide's host, driver 535.171.04) and `Drivers/` with its exact installer.
@Suite struct ExitStatusTests {
    /// What standard output and standard error look like.
    enum Shape: Sendable {
        /// A result on standard output and no error line.
        case result
        /// Nothing on standard output; one line `gpuprobe: error: ...` on standard error.
        case error
        /// Nothing on standard output; the error line, the usage and the pointer to `--help`.
        case usage
    }

    /// A representative command for each meaning of each status.
    enum Row: String, CaseIterable, Sendable {
        case probeAReplay
        case parseAPastedTable
        case matchAFittingHost
        case checkAFittingDockerfile
        case checkADockerfileThatDoesNotFit
        case parseAMissingFile
        case parseAnInputOverTheLimit
        case matchAHostOfANewerSchema
        case matchAMissingDriversFolder
        case replayAFolderThatIsNoCapture
        case captureOverAnExistingFolder
        case captureUnderAFile
        case dockerfileOverAnExistingFile
        case dockerfileUnderAFile
        case dockerfileWithAnUnsafeBaseImage
        case matchWithNoFittingInstaller
        case dockerfileWithNoFittingInstaller
        case runFlagsForAHostWithoutAccelerators
        case unknownOption
        case missingValue
        case unknownDevice

        var status: Int32 {
            switch self {
            case .probeAReplay, .parseAPastedTable, .matchAFittingHost, .checkAFittingDockerfile:
                0
            case .checkADockerfileThatDoesNotFit:
                1
            case .parseAMissingFile, .parseAnInputOverTheLimit, .matchAHostOfANewerSchema,
                .matchAMissingDriversFolder, .replayAFolderThatIsNoCapture,
                .captureOverAnExistingFolder, .captureUnderAFile, .dockerfileOverAnExistingFile,
                .dockerfileUnderAFile, .dockerfileWithAnUnsafeBaseImage:
                2
            case .matchWithNoFittingInstaller, .dockerfileWithNoFittingInstaller,
                .runFlagsForAHostWithoutAccelerators:
                3
            case .unknownOption, .missingValue, .unknownDevice:
                64
            }
        }

        var shape: Shape {
            switch self {
            case .dockerfileWithNoFittingInstaller, .runFlagsForAHostWithoutAccelerators,
                .unknownDevice:
                .error
            case .unknownOption, .missingValue:
                .usage
            default:
                status == 2 ? .error : .result
            }
        }

        /// What the error line names, so the row fails for its own reason.
        var phrase: String? {
            switch self {
            case .parseAMissingFile: "cannot read 'missing.txt': No such file or directory"
            case .parseAnInputOverTheLimit: "'/dev/zero' is larger than 16 MiB"
            case .matchAHostOfANewerSchema: "newer than the 'gpuprobe/host/v1' this gpuprobe"
            case .matchAMissingDriversFolder: "the drivers folder 'Missing' does not exist"
            case .replayAFolderThatIsNoCapture: "'Drivers' has no manifest.json"
            case .captureOverAnExistingFolder: "'Drivers' already exists"
            case .captureUnderAFile: "could not write the capture 'host.json/capture'"
            case .dockerfileOverAnExistingFile: "'Dockerfile' exists; pass --force"
            case .dockerfileUnderAFile: "cannot write 'host.json/Dockerfile': Not a directory"
            case .dockerfileWithAnUnsafeBaseImage: "'ubuntu:22.04;rm' cannot go into a Dockerfile"
            case .dockerfileWithNoFittingInstaller: "the plan is incomplete, so no Dockerfile"
            case .runFlagsForAHostWithoutAccelerators: "shows no NVIDIA GPU and no Ascend NPU"
            case .unknownOption: "unknown option '--no-such-option'"
            case .missingValue: "--host needs a value"
            case .unknownDevice: "--devices names NVIDIA GPU index 7"
            default: nil
            }
        }

        /// The arguments, after writing what they need into `context`.
        func arguments(in context: URL) throws -> [String] {
            let fm = FileManager.default
            let empty = context.appendingPathComponent("NoInstallers")
            func write(_ text: String, _ name: String) throws {
                try Data(text.utf8).write(to: context.appendingPathComponent(name))
            }
            switch self {
            case .probeAReplay:
                return ["probe", "--replay", Fixtures.url("hosts/a100-sxm4-mig-xml").path]
            case .parseAPastedTable:
                return [
                    "parse", "nvidia-smi",
                    Fixtures.url("nvidia-smi/table_535.161.07_gtx1050ti.txt").path,
                ]
            case .matchAFittingHost:
                return ["match", "--host", "host.json"]
            case .checkAFittingDockerfile:
                try write("FROM ubuntu:22.04\nRUN echo hello\n", "Dockerfile")
                return ["check", "Dockerfile", "--host", "host.json"]
            case .checkADockerfileThatDoesNotFit:
                try fm.copyItem(
                    at: Fixtures.url("dockerfiles/packaging-guide.Dockerfile"),
                    to: context.appendingPathComponent("Dockerfile")
                )
                return ["check", "Dockerfile", "--host", "host.json"]
            case .parseAMissingFile:
                return ["parse", "npu-smi", "missing.txt"]
            case .parseAnInputOverTheLimit:
                return ["parse", "lspci", "/dev/zero"]
            case .matchAHostOfANewerSchema:
                try write(#"{"schema":"gpuprobe/host/v2"}"#, "v2.json")
                return ["match", "--host", "v2.json"]
            case .matchAMissingDriversFolder:
                return ["match", "--host", "host.json", "--drivers", "Missing"]
            case .replayAFolderThatIsNoCapture:
                return ["probe", "--replay", "Drivers"]
            case .captureOverAnExistingFolder:
                return ["capture", "Drivers", "--tool-path", empty.path]
            case .captureUnderAFile:
                return ["capture", "host.json/capture", "--tool-path", empty.path]
            case .dockerfileOverAnExistingFile:
                try write("FROM mine\n", "Dockerfile")
                return ["dockerfile", "--host", "host.json", "-o", "Dockerfile"]
            case .dockerfileUnderAFile:
                return ["dockerfile", "--host", "host.json", "-o", "host.json/Dockerfile"]
            case .dockerfileWithAnUnsafeBaseImage:
                return ["dockerfile", "--host", "host.json", "--base", "ubuntu:22.04;rm"]
            case .matchWithNoFittingInstaller:
                try fm.createDirectory(at: empty, withIntermediateDirectories: true)
                return ["match", "--host", "host.json", "--drivers", empty.path]
            case .dockerfileWithNoFittingInstaller:
                try fm.createDirectory(at: empty, withIntermediateDirectories: true)
                return ["dockerfile", "--host", "host.json", "--drivers", empty.path]
            case .runFlagsForAHostWithoutAccelerators:
                return [
                    "run-flags", "--host",
                    Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path,
                ]
            case .unknownOption:
                return ["probe", "--no-such-option"]
            case .missingValue:
                return ["match", "--host"]
            case .unknownDevice:
                return ["run-flags", "--host", "host.json", "--devices", "7"]
            }
        }
    }

    /// Every file and folder under `folder`, relative to it, except the drivers cache.
    static func tree(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let path = walker?.nextObject() as? String {
            guard path != "cache", !path.hasPrefix("cache/") else { continue }
            files[path] =
                FileManager.default.contents(
                    atPath: folder.appendingPathComponent(path).path
                ) ?? Data()
        }
        return files
    }

    @Test(arguments: Row.allCases)
    func eachRowExitsWithItsStatus(row: Row) throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let arguments = try row.arguments(in: context)
        let before = Self.tree(context)
        let result = MatchCommandTests.run(
            arguments,
            cache: context.appendingPathComponent("cache"),
            in: context
        )
        #expect(result.status == row.status, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        if let phrase = row.phrase {
            #expect(result.stderr.contains(phrase), "\(result.stderr)")
        }
        switch row.shape {
        case .result:
            #expect(!result.stdout.isEmpty)
            #expect(!result.stderr.contains("gpuprobe: error:"), "\(result.stderr)")
        case .error:
            // Warnings and notes may come first; the error is one line, the last.
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasSuffix("\n"))
            let messages = lines.dropLast()
            #expect(messages.last?.hasPrefix("gpuprobe: error: ") == true, "\(result.stderr)")
            #expect(messages.filter { $0.hasPrefix("gpuprobe: error: ") }.count == 1)
            #expect(messages.allSatisfy { $0.hasPrefix("gpuprobe: ") }, "\(result.stderr)")
        case .usage:
            #expect(result.stdout.isEmpty)
            #expect(lines.first?.hasPrefix("gpuprobe: error: ") == true)
            #expect(
                lines.dropFirst().joined(separator: "\n") == Self.usage(after: arguments),
                "\(result.stderr)"
            )
        }
        // No command leaves anything in the folder it ran in: no output refused or not
        // written is half there, and nothing replaced without --force changed.
        #expect(Self.tree(context) == before)
    }

    /// The usage a failed parse of `arguments` shows.
    static func usage(after arguments: [String]) -> String {
        var command: String?
        _ = try? Commands.parse(arguments, command: &command)
        return HelpText.usage(for: command)
    }

    /// The statuses of the README's table, from its first column (`130, 143` is two).
    static func readmeStatuses() throws -> Set<Int32> {
        let section = try Fixtures.readmeSection("Exit status")
        var statuses: Set<Int32> = []
        for line in section.split(separator: "\n") where line.hasPrefix("| ") {
            let cell = line.split(separator: "|").first ?? ""
            for number in cell.split(separator: ",") {
                if let status = Int32(number.trimmingCharacters(in: .whitespaces)) {
                    statuses.insert(status)
                }
            }
        }
        return statuses
    }

    @Test func theREADMETableHasExactlyTheStatusesTested() throws {
        // 128 + a signal (SIGHUP, SIGINT, SIGUSR1, SIGALRM, SIGTERM) are run by InterruptTests.
        let tested = Set(Row.allCases.map(\.status)).union([129, 130, 138, 142, 143])
        #expect(try Self.readmeStatuses() == tested)
    }
}
