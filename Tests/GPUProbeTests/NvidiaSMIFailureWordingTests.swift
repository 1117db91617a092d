import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Failure messages are recognised by their words, as people paste them: every real failure
/// fixture still gives its diagnostic after what chat and mail clients do to a paste (curly
/// apostrophes, indentation, wrapping at a narrow width, CRLF), and the wordings of other
/// shells and systems that the fixtures do not hold are read by the same rules.
@Suite struct NvidiaSMIFailureWordingTests {
    static let failures = NvidiaSMIFixtureTests.files.filter {
        ($0.split(separator: "/").last ?? "").hasPrefix("fail_")
    }

    /// What happens to a paste on its way to gpuprobe.
    enum Mangling: String, CaseIterable, CustomTestStringConvertible {
        case curlyApostrophes, indented, wrappedAt40, wrappedAt16, crlf, allAtOnce

        var testDescription: String { rawValue }

        func apply(_ text: String) -> String {
            switch self {
            case .curlyApostrophes: return text.replacingOccurrences(of: "'", with: "\u{2019}")
            case .indented:
                return text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            case .wrappedAt40: return Self.wrap(text, width: 40)
            case .wrappedAt16: return Self.wrap(text, width: 16)
            case .crlf: return text.replacingOccurrences(of: "\n", with: "\r\n")
            case .allAtOnce:
                return Mangling.crlf.apply(
                    Mangling.indented.apply(
                        Mangling.wrappedAt40.apply(Mangling.curlyApostrophes.apply(text))
                    )
                )
            }
        }

        /// Breaks each line at the last space before `width`, as a chat client does.
        static func wrap(_ text: String, width: Int) -> String {
            var out: [String] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                var rest = Substring(line)
                while rest.count > width,
                    let space = rest.prefix(width).lastIndex(of: " ")
                {
                    out.append(String(rest[..<space]))
                    rest = rest[rest.index(after: space)...]
                }
                out.append(String(rest))
            }
            return out.joined(separator: "\n")
        }
    }

    @Test func everyRealFailureIsCovered() {
        #expect(Self.failures.count >= 15)
    }

    @Test(arguments: failures, Mangling.allCases)
    func manglingKeepsTheDiagnostic(file: String, mangling: Mangling) throws {
        let text = try Fixtures.text(file)
        let expected = try #require(try Fixtures.expected(file)["error"] as? String)
        let document = NvidiaSMIParser.document(mangling.apply(text))
        #expect(document.format == .failure)
        #expect(document.diagnostics.map(\.code.rawValue) == [expected])
        let original = NvidiaSMIParser.document(text)
        #expect(
            document.diagnostics.first?.context["bus_id"]
                == original.diagnostics.first?.context["bus_id"]
        )
    }

    /// Wordings of systems the fixtures do not hold (written here: they show the rule).
    @Test(arguments: [
        // Ubuntu's command-not-found handler (bash and zsh on Ubuntu).
        (
            "Command 'nvidia-smi' not found, but can be installed with:\n\nsudo apt install "
                + "nvidia-utils-535         # version 535.183.01-0ubuntu0.22.04.1", "not_installed"
        ),
        ("sudo: nvidia-smi: command not found", "not_installed"),
        // cmd.exe and PowerShell.
        (
            "'nvidia-smi' is not recognized as an internal or external command,\noperable program "
                + "or batch file.", "not_installed"
        ),
        (
            "nvidia-smi : The term 'nvidia-smi' is not recognized as the name of a cmdlet, "
                + "function, script file, or operable program.", "not_installed"
        ),
        // Docker's and Kubernetes' exec error.
        (
            "OCI runtime exec failed: exec failed: unable to start container process: exec: "
                + "\"nvidia-smi\": executable file not found in $PATH: unknown", "not_installed"
        ),
        ("bash: /usr/bin/nvidia-smi: No such file or directory", "not_installed"),
        // The Windows driver's wording of the device-handle failure.
        ("Unable to detect the device handle for GPU 0000:01:00.0: Unknown Error", "unknown_error"),
        ("Unable to determine the device handle for gpu 0000:3B:00.0: GPU is lost.", "gpu_lost"),
        (
            "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.",
            "driver_not_loaded"
        ),
        ("failed to initialize nvml: driver/library version mismatch", "version_mismatch"),
    ])
    func otherWordings(text: String, code: String) {
        let document = NvidiaSMIParser.document(text)
        #expect(document.diagnostics.map(\.code.rawValue) == [code])
    }

    @Test func theMissingLibraryIsTheUserspaceDriver() throws {
        let text = try Fixtures.text("nvidia-smi/fail_no_libnvidia_ml_550.163.01.txt")
        let diagnostic = try #require(
            NvidiaSMIParser.document(text, exitStatus: 12).diagnostics.first
        )
        #expect(diagnostic.code == .notInstalled)
        #expect(diagnostic.context["missing"] == "libnvidia-ml.so")
        #expect(diagnostic.context["exit_status"] == "12")
    }

    /// Text that only looks like a failure is not one.
    @Test(arguments: [
        "$ nvidia-smi",
        "root@host:~# which nvidia-smi\n/usr/bin/nvidia-smi",
        "pip: command not found",
        "The docs say nvidia-smi prints a table.",
    ])
    func lookalikesAreNotFailures(text: String) {
        let document = NvidiaSMIParser.document(text)
        #expect(document.format == .unknown)
        #expect(document.diagnostics.map(\.code) == [.unrecognizedOutput])
    }

    /// Lines are joined only where a message was cut: two real failures one after the other
    /// stay two diagnostics.
    @Test func separateMessagesStaySeparate() throws {
        let first = try Fixtures.text("nvidia-smi/fail_no_libnvidia_ml_550.163.01.txt")
        let second = try Fixtures.text("nvidia-smi/fail_not_found_bash_5.2.15.txt")
        let document = NvidiaSMIParser.document(first + second)
        #expect(document.diagnostics.map(\.code) == [.notInstalled, .notInstalled])
    }
}
