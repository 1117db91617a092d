/// The human form of a check report, compiler style: one `FILE:LINE: severity: message` per
/// finding with its fix indented below, then a summary line.
public enum CheckText {
    /// Renders a report.
    ///
    /// - Parameter report: the report.
    /// - Returns: lines of text ending with a newline.
    public static func render(_ report: CheckReport) -> String {
        var lines: [String] = []
        for finding in report.findings {
            lines.append(
                "\(report.dockerfile):\(finding.line): \(finding.severity.rawValue): "
                    + finding.message
            )
            if let fix = finding.fix { lines.append("    fix: " + fix) }
        }
        func count(_ number: Int, _ noun: String) -> String {
            "\(number) \(noun)\(number == 1 ? "" : "s")"
        }
        let tally = [
            count(report.errors, "error"), count(report.warnings, "warning"),
            count(report.notes, "note"),
        ].joined(separator: ", ")
        let verdict =
            report.compatible
            ? "compatible with this host" : "not compatible with this host"
        lines.append("\(report.dockerfile): \(tally): \(verdict)")
        return TerminalText.lines(lines)
    }
}
