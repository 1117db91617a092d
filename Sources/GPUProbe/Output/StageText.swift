/// The human form of a stage report (`stage-ascend` without `--json`).
public enum StageText {
    /// Renders a report: one line per entry with its size, then what was skipped and the total.
    ///
    /// - Parameter report: what ``AscendStager/stage(root:context:force:)`` returned.
    /// - Returns: lines of text ending with a newline.
    public static func render(_ report: StageReport) -> String {
        var lines = ["staged into \(report.context) from \(report.root):"]
        let pathWidth = report.entries.map(\.contextPath.count).max() ?? 0
        let sourceWidth = report.entries.map(\.source.count).max() ?? 0
        for entry in report.entries {
            var line =
                "  " + pad(entry.contextPath, pathWidth) + "  " + pad(entry.source, sourceWidth)
            line += "  " + pad(count(entry.files, "file"), 10, right: true)
            line += "  " + pad(humanSize(entry.bytes), 10, right: true)
            if entry.symlinks > 0 { line += "  " + count(entry.symlinks, "link") }
            lines.append(line)
        }
        lines += report.skipped.map { "skipped \($0.path): \($0.reason)" }
        lines += report.missingOptional.map { "not on this host (optional): \($0)" }
        lines += report.hardLinked.map {
            "hard-linked (copied; its other names may lie outside the root, check them): \($0)"
        }
        lines.append(
            "total: \(count(report.entries.count, "entry", "entries")), "
                + "\(count(report.files, "file")), \(humanSize(report.bytes))"
        )
        return TerminalText.lines(lines)
    }

    /// A byte count in binary units with one decimal (`512 B`, `1.5 KiB`, `2.0 GiB`).
    static func humanSize(_ bytes: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        var unit = 0
        // Round before choosing the unit, so 1023.96 KiB reads 1.0 MiB and not 1024.0 KiB.
        while (value * 10).rounded() >= 10240, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    private static func count(_ number: Int, _ one: String, _ many: String? = nil) -> String {
        "\(number) " + (number == 1 ? one : many ?? one + "s")
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
