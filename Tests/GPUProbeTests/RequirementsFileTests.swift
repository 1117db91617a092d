import Testing

@testable import GPUProbe

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
            RequirementsFile.words(text).map(\.text) == [
                "torch==2.5.1", "torchvision==0.20.1",
                "--extra-index-url", "https://download.pytorch.org/whl/cu124", "-r", "common.txt",
                "https://example.com/wheels/tool-1.0-py3-none-any.whl#sha256=00",
                "numpy>=1.26,<2",
            ]
        )
        var install = PipInstall(tool: "pip")
        install.read(RequirementsFile.words(text)[...])
        #expect(install.requirement("torch")?.version == "2.5.1")
        #expect(install.extraIndexURLs.map(\.text) == ["https://download.pytorch.org/whl/cu124"])
        #expect(install.requirementFiles.map(\.text) == ["common.txt"])
    }
}
