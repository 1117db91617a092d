import Testing

@testable import GPUProbe
@testable import TestSupport

/// A requirements file read as pip reads it: comments, continuations, markers and options.
@Suite struct RequirementsFileTests {
    @Test func linesBecomeInstallWords() {
        let text = """
            # pinned for the A100 hosts
            torch == 2.5.1 ; python_version > "3.8"   # CUDA 12.4 from the index below
            torchvision==0.20.1\\
            # a comment line inside a continuation stays a comment
            --extra-index-url https://download.pytorch.org/whl/cu124
            -r common.txt
            https://example.com/wheels/tool-1.0-py3-none-any.whl#sha256=00

            numpy>=1.26,<2  --hash=sha256:ab
            """
        #expect(
            RequirementsFile.lines(text).map { $0.map(\.text) } == [
                ["torch==2.5.1"], ["torchvision==0.20.1"],
                ["--extra-index-url", "https://download.pytorch.org/whl/cu124"],
                ["-r", "common.txt"],
                ["https://example.com/wheels/tool-1.0-py3-none-any.whl#sha256=00"],
                ["numpy>=1.26,<2"],
            ]
        )
        var install = PipInstall(tool: "pip")
        for line in RequirementsFile.lines(text) { install.read(line[...]) }
        #expect(install.requirement("torch")?.version == "2.5.1")
        #expect(install.extraIndexURLs.map(\.text) == ["https://download.pytorch.org/whl/cu124"])
        #expect(install.requirementFiles.map(\.text) == ["common.txt"])
    }

    /// The reviewer's cases: a comment ending in a backslash continues nothing; a last line
    /// with a backslash and no newline is kept; an option line's words stay on their line.
    @Test func commentsContinuationsAndOptionLinesAsPipReadsThem() {
        #expect(
            RequirementsFile.lines("# CUDA 13 wheel \\\ntorch==2.11.0").map { $0.map(\.text) }
                == [["torch==2.11.0"]]
        )
        #expect(
            RequirementsFile.lines("torch==2.11.0 \\").map { $0.map(\.text) } == [["torch==2.11.0"]]
        )
        var install = PipInstall(tool: "pip")
        let text = "--pre --index-url https://download.pytorch.org/whl/cu121\n--index-url\ntorch\n"
        for line in RequirementsFile.lines(text) { install.read(line[...]) }
        #expect(install.requirement("torch") != nil)
        #expect(install.indexURL == nil)
    }
}
