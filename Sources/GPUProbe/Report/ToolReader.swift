/// A parsed tool output as the report needs it: whether the text was recognised, and what
/// the parser noticed.
protocol ToolParseResult {
    /// False when the text is in no form the parser knows.
    var isRecognised: Bool { get }
    /// The parser's diagnostics.
    var diagnostics: [Diagnostic] { get }
}

extension NvidiaSMIParseResult: ToolParseResult {
    var isRecognised: Bool { format != .unknown }
}

extension NPUSMIParseResult: ToolParseResult {
    var isRecognised: Bool { format != .unknown }
}

/// What one tool run contributed: its parsed output, if any, and the diagnostics.
struct ToolReading<Result> {
    /// The parsed output; nil when the tool did not run or printed nothing usable.
    var result: Result?
    /// Timeouts, start failures, non-zero exits and the parser's own diagnostics.
    var diagnostics: [Diagnostic]
}

/// Turns a tool run into a reading, the same way for nvidia-smi and npu-smi.
///
/// How the run ended decides the diagnostics, and whatever it printed is parsed (a timed-out run's partial output
/// too). A missing tool yields nothing here; whether that matters depends on the host, so the
/// caller says.
enum ToolReader {
    static func read<R: ToolParseResult>(
        _ run: ToolRun?,
        name: String,
        source: Diagnostic.Source,
        hungAdvice: String,
        parse: (String, Int32?) -> R
    ) -> ToolReading<R> {
        guard let run else { return ToolReading(result: nil, diagnostics: []) }
        var diagnostics: [Diagnostic] = []
        var result: R?
        switch run.outcome {
        case .notFound:
            break
        case .timedOut(let seconds):
            diagnostics.append(
                Diagnostic(
                    .timeout,
                    source: source,
                    severity: .error,
                    message: "\(name) did not answer within \(format(seconds)) s and was killed; "
                        + "\(hungAdvice); or raise --timeout"
                )
            )
            if !run.stdout.isEmpty { result = read(run, parse) }
        case .failedToStart(let reason):
            diagnostics.append(failed(run, "\(name) could not be started (\(reason))", source))
        case .signaled(let signal):
            diagnostics.append(failed(run, "\(name) was killed by signal \(signal)", source))
        case .pasted:
            result = read(run, parse)
        case .exited(let status):
            let parsed = read(run, parse)
            result = parsed
            if status != 0, !parsed.diagnostics.contains(where: { $0.severity == .error }) {
                diagnostics.append(failed(run, "\(name) exited with status \(status)", source))
            }
        }
        if run.truncated {
            let limit = ToolRunner.outputLimit >> 20
            diagnostics.append(
                Diagnostic(
                    .incompleteOutput,
                    source: source,
                    severity: .warning,
                    message: "\(name) printed more than \(limit) MiB, which no healthy run does; "
                        + "only the first \(limit) MiB were read; run `\(command(run))` by hand to "
                        + "see what it prints",
                    context: ["limit_bytes": String(ToolRunner.outputLimit)]
                )
            )
        }
        return ToolReading(result: result, diagnostics: diagnostics + (result?.diagnostics ?? []))
    }

    /// Parses stdout; when it holds nothing recognisable, the failure text may be on stderr.
    private static func read<R: ToolParseResult>(
        _ run: ToolRun,
        _ parse: (String, Int32?) -> R
    ) -> R {
        let status: Int32? = if case .exited(let code) = run.outcome { code } else { nil }
        let out = parse(String(decoding: run.stdout, as: UTF8.self), status)
        guard !out.isRecognised, !run.stderr.isEmpty else { return out }
        let both = parse(String(decoding: run.stderr + [0x0a] + run.stdout, as: UTF8.self), status)
        return both.isRecognised ? both : out
    }

    private static func failed(
        _ run: ToolRun,
        _ what: String,
        _ source: Diagnostic.Source
    ) -> Diagnostic {
        let text = String(decoding: run.stderr.isEmpty ? run.stdout : run.stderr, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline)
        // A table's first line is a border (`+----+`), which tells nothing: quote the first
        // line with words in it.
        let firstLine = (lines.first { $0.contains { $0.isLetter || $0.isNumber } } ?? lines.first)
            .map { String($0.prefix(200)) }
        return Diagnostic(
            .toolFailed,
            source: source,
            severity: .error,
            message: what + (firstLine.map { ": \($0)" } ?? "")
                + "; run `\(command(run))` by hand to see the whole message",
            context: firstLine.map { ["output": $0] } ?? [:]
        )
    }

    /// The command line as a person would type it: `nvidia-smi -q -x`.
    private static func command(_ run: ToolRun) -> String {
        ([run.path.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? ""]
            + run.arguments).joined(separator: " ")
    }

    /// Seconds as a short decimal (`10`, `2.5`).
    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
