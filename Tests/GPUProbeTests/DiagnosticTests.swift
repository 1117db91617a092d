import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct DiagnosticTests {
    @Test(arguments: [
        (raw: "no NVIDIA GPU", sentence: "No NVIDIA GPU."),
        (raw: "nvidia-smi timed out.", sentence: "nvidia-smi timed out."),
        (raw: "npu-smi output is cut", sentence: "npu-smi output is cut."),
        (raw: "2 GPUs are lost", sentence: "2 GPUs are lost."),
        (raw: "", sentence: ""),
    ])
    func messagesReadAsSentences(raw: String, sentence: String) {
        #expect(
            Diagnostic(.timeout, source: .nvidia, severity: .error, message: raw).message
                == sentence
        )
    }
}
