/// Reads any output of `nvidia-smi` that gpuprobe meets, captured live or pasted by a person.
///
/// The form is recognised from the text itself: the default table of every driver
/// generation, `--query-gpu` CSV (with or without header and units), `-q`/`-a` text, `-q -x`
/// XML, and the one-line failure messages. Parsing never throws and never traps; what could
/// not be read becomes a ``Diagnostic`` (for example `incomplete_output` for a paste cut
/// mid-table, `unrecognized_output` for text in no known form). Values are kept as printed
/// and unknown values are nil, never a default.
public enum NvidiaSMIParser {
    /// The `--query-gpu` fields gpuprobe asks for, in order.
    ///
    /// A CSV without a header is read in this column order, and only when its rows have
    /// exactly this many fields; with a header, columns are matched by name and may come in
    /// any order.
    public static let queryFields: [String] = [
        "index", "name", "pci.bus_id", "uuid", "memory.total", "memory.used", "compute_cap",
        "mig.mode.current", "driver_version", "pci.device_id",
    ]

    /// Parses nvidia-smi output whose exit status is unknown (a paste).
    ///
    /// Same as ``parse(_:exitStatus:)`` with a nil exit status.
    public static func parse(_ text: String) -> NvidiaSMIParseResult {
        parse(text, exitStatus: nil)
    }

    /// Parses nvidia-smi output captured together with its exit status.
    ///
    /// The exit status (for example 18 for a driver/library version mismatch) is added to the
    /// context of every failure diagnostic as `exit_status`; a non-zero status with text in no
    /// known form gives `tool_failed` instead of `unrecognized_output`.
    public static func parse(_ text: String, exitStatus: Int32?) -> NvidiaSMIParseResult {
        document(text, exitStatus: exitStatus).result
    }

    /// The richer internal form of ``parse(_:exitStatus:)``, for tests.
    static func document(_ text: String, exitStatus: Int32? = nil) -> NvidiaSMIDocument {
        let bytes = NvidiaSMIText.bytes(text)
        let lines = NvidiaSMIText.lines(bytes)
        let failures = NvidiaSMIFailures.scan(lines, exitStatus: exitStatus)
        var parsed: NvidiaSMIDocument?
        switch detectForm(lines) {
        case .xml: parsed = NvidiaSMIXMLParser.parse(bytes)
        case .query: parsed = NvidiaSMIQueryTextParser.parse(lines)
        case .table: parsed = NvidiaSMITableParser.parse(lines)
        default: parsed = NvidiaSMICSVParser.parse(lines)
        }
        if var document = parsed, document.format != .unknown || failures.isEmpty {
            document.diagnostics = failures + document.diagnostics
            return document
        }
        if !failures.isEmpty {
            return NvidiaSMIDocument(format: .failure, diagnostics: failures)
        }
        return NvidiaSMIDocument(
            format: .unknown,
            diagnostics: [
                unrecognized(isEmpty: lines.allSatisfy(NvidiaSMIText.isEmpty), exitStatus)
            ]
        )
    }

    /// The form the first telling line points to; `.unknown` leaves it to the CSV reader.
    ///
    /// The first telling line decides, so prompt and banner lines above the output do not
    /// matter. Within a line the XML root is looked for first, because element text could
    /// hold any of the other markers.
    private static func detectForm(_ lines: [NvidiaSMIText.Bytes]) -> NvidiaSMIFormat {
        for line in lines {
            let trimmed = NvidiaSMIText.trim(line)
            guard let first = trimmed.first else { continue }
            if NvidiaSMIText.contains(trimmed, "<nvidia_smi_log") { return .xml }
            if NvidiaSMIText.contains(trimmed, "NVSMI LOG")
                || NvidiaSMIText.hasPrefix(trimmed, "Attached GPUs")
            {
                return .query
            }
            if first == NvidiaSMIText.pipe,
                NvidiaSMIText.contains(trimmed, "NVIDIA-SMI")
                    || NvidiaSMITableSnapshot.isGPUHeaderRow(trimmed)
            {
                return .table
            }
        }
        return .unknown
    }

    private static func unrecognized(isEmpty: Bool, _ exitStatus: Int32?) -> Diagnostic {
        if let status = exitStatus, status != 0 {
            return Diagnostic(
                .toolFailed,
                source: .nvidia,
                severity: .error,
                message: "nvidia-smi exited with status \(status) and printed nothing gpuprobe "
                    + "recognises; run it by hand to see what is wrong with the driver.",
                context: ["exit_status": String(status)]
            )
        }
        let what = isEmpty ? "The nvidia-smi output is empty" : "The text is not nvidia-smi output"
        return Diagnostic(
            .unrecognizedOutput,
            source: .nvidia,
            severity: .warning,
            message: what + " in a form gpuprobe reads; give it the default table, "
                + "--query-gpu CSV, -q text or -q -x XML.",
            context: exitStatus.map { ["exit_status": String($0)] } ?? [:]
        )
    }
}
