/// Failure lines npu-smi prints instead of a table, turned into diagnostics.
enum NPUSMIFailures {
    /// The most diagnostics one text yields: a log of thousands of failures says no more
    /// than its first few, and the report must stay readable.
    static let limit = 8

    /// Diagnostics for the failure lines in `lines`, one per distinct code and ret, in order.
    static func scan(_ lines: [NPUSMILine]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var seen: Set<Diagnostic> = []
        for line in lines where found.count < limit {
            let text = NPUSMIText.trimmed(line.bytes)
            // Table rows never carry failures; skipping them keeps 10 MB tables fast.
            guard let first = text.first, first != NPUSMIText.pipe, first != NPUSMIText.plus,
                let diagnostic = diagnose(text)
            else { continue }
            if seen.insert(diagnostic).inserted { found.append(diagnostic) }
        }
        return found
    }

    static let dcmi = NPUSMIText.needle("dcmi")
    static let initial = NPUSMIText.needle("initiali")
    static let failed = NPUSMIText.needle("fail")
    static let retIs = NPUSMIText.needle("ret is")

    /// The diagnostic for one line, or nil when it reports no failure.
    ///
    /// `DrvMngGetConsoleLogLevel failed` is deliberately not one: npu-smi prints it before
    /// working output too, and the line that matters follows it.
    static func diagnose(_ text: ArraySlice<UInt8>) -> Diagnostic? {
        guard NPUSMIText.contains(text, failed) else { return nil }
        let ret = self.ret(text)
        if NPUSMIText.contains(text, dcmi), NPUSMIText.contains(text, initial) {
            return Diagnostic(
                .dcmiInitFailed,
                source: .ascend,
                severity: .error,
                message: dcmiMessage(ret: ret),
                context: ret.map { ["ret": $0] } ?? [:]
            )
        }
        guard let ret else { return nil }
        return Diagnostic(
            .toolFailed,
            source: .ascend,
            severity: .error,
            message: "npu-smi failed with ret \(ret) ("
                + NPUSMIText.string(text.prefix(120))
                + "); run `npu-smi info` on the host to check the driver and the card.",
            context: ["ret": ret]
        )
    }

    /// One sentence for a DCMI initialisation failure, with the fix the code points to.
    static func dcmiMessage(ret: String?) -> String {
        switch ret {
        case "-8005", "-8020":
            "npu-smi could not initialise DCMI (ret \(ret ?? "")): the NPU is held by another "
                + "container or this container lacks the davinci device nodes; stop the other "
                + "container or pass --device=/dev/davinciN --device=/dev/davinci_manager "
                + "--device=/dev/devmm_svm --device=/dev/hisi_hdc."
        case let code?:
            "npu-smi could not initialise DCMI (ret \(code)); check that `npu-smi info` works on "
                + "the host and that the container gets --device=/dev/davinciN "
                + "--device=/dev/davinci_manager --device=/dev/devmm_svm --device=/dev/hisi_hdc."
        case nil:
            "npu-smi could not initialise DCMI; check that `npu-smi info` works on the host and "
                + "that the container gets --device=/dev/davinciN --device=/dev/davinci_manager "
                + "--device=/dev/devmm_svm --device=/dev/hisi_hdc."
        }
    }

    /// The signed number after `ret is`, as printed (`-8005`).
    static func ret(_ text: ArraySlice<UInt8>) -> String? {
        guard let range = NPUSMIText.firstRange(of: retIs, in: text) else { return nil }
        var rest = text[range.upperBound...].drop(while: NPUSMIText.isBlank)
        var number: [UInt8] = []
        if let sign = rest.first, sign == 0x2D {
            number.append(sign)
            rest = rest.dropFirst()
        }
        let digits = rest.prefix(while: { $0 >= 0x30 && $0 <= 0x39 }).prefix(18)
        guard !digits.isEmpty else { return nil }
        number.append(contentsOf: digits)
        return String(decoding: number, as: UTF8.self)
    }
}
