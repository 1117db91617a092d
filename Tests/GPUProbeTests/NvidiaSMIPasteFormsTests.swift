import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// What happens to a tool's output on its way from a terminal to gpuprobe, done to a real
/// capture by program (the captures themselves are never edited).
///
/// Each case is something a real client does: browsers collapse runs of spaces when a
/// `<pre>`-less page is copied and keep them as U+00A0 when a page wrote `&nbsp;`; chat
/// clients (Slack, Teams, WeChat) collapse or keep spaces depending on the message style;
/// editors with "tabify" turn runs of spaces into tabs; mail and GitHub's "Quote reply" put
/// `> ` before each line; Windows Terminal and PuTTY copy line art as box-drawing characters;
/// macOS, Word and Outlook turn `...` into `…`; Markdown and forum posts indent code by four
/// spaces; people paste the prompt line with the command.
enum PasteForm: String, CaseIterable, CustomTestStringConvertible {
    case collapsedSpaces, webPage, tabs, indented, trailingBlanksStripped, crlf, quoted
    case nestedQuote, bashPrompt, powerShellPrompt, rootPrompt, noBreakSpaces, boxDrawing
    case ellipsis, paddingDropped, allAtOnce
    // Border changes: npu-smi only (nvidia-smi's `===` underline is what opens its GPU list).
    case bordersDropped, bordersShortened, underlinesAsDashes, bordersAsMarkdown
    // Boxed tables only: plain-text mail wraps at 76 columns, nvidia-smi's rows are 79-91 wide.
    case mailWrapped

    var testDescription: String { rawValue }

    /// The forms that change only a table's borders.
    static let borderForms: [PasteForm] = [
        .bordersDropped, .bordersShortened, .underlinesAsDashes, .bordersAsMarkdown,
    ]

    /// Every form but the border ones and wrapping.
    static let textForms = allCases.filter { !borderForms.contains($0) && $0 != .mailWrapped }

    func apply(_ text: String) -> String {
        switch self {
        case .collapsedSpaces: return Self.eachLine(text, Self.collapseInnerRuns)
        case .webPage:
            return Self.eachLine(text) { line in
                line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            }
        case .tabs: return Self.eachLine(text) { Self.replaceRuns(in: $0, with: "\t") }
        case .indented: return Self.eachLine(text) { $0.isEmpty ? $0 : "    " + $0 }
        case .trailingBlanksStripped:
            return Self.eachLine(text) { line in
                var line = Substring(line)
                while line.last == " " || line.last == "\t" { line = line.dropLast() }
                return String(line)
            }
        case .crlf: return text.replacingOccurrences(of: "\n", with: "\r\n")
        case .quoted: return Self.eachLine(text) { "> " + $0 }
        case .nestedQuote: return Self.eachLine(text) { "> > " + $0 }
        case .bashPrompt: return "user@gpu-host:~$ nvidia-smi\n" + text
        case .powerShellPrompt: return "PS C:\\Users\\me> nvidia-smi\n" + text
        case .rootPrompt: return "[root@node1 ~]# nvidia-smi\n" + text + "\n[root@node1 ~]# "
        case .noBreakSpaces: return text.replacingOccurrences(of: "  ", with: "\u{00A0} ")
        case .boxDrawing:
            return Self.eachLine(text) { line in
                if Self.isBorder(line) {
                    return String(
                        line.map { character -> Character in
                            switch character {
                            case "-": "\u{2500}"
                            case "=": "\u{2550}"
                            case "+": "\u{253C}"
                            case "|": "\u{2502}"
                            default: character
                            }
                        }
                    )
                }
                return line.replacingOccurrences(of: "|", with: "\u{2502}")
            }
        case .ellipsis: return text.replacingOccurrences(of: "...", with: "\u{2026}")
        case .mailWrapped:
            // Broken at the last space before column 76, the space kept at the line's end.
            return Self.eachLine(text) { line in
                var rest = Substring(line)
                var out: [Substring] = []
                while rest.count > 76, let space = rest.prefix(76).lastIndex(of: " "),
                    space > rest.startIndex
                {
                    out.append(rest[...space])
                    rest = rest[rest.index(after: space)...]
                }
                out.append(rest)
                return out.joined(separator: "\n")
            }
        case .paddingDropped:
            return Self.eachLine(text) { line in
                guard line.drop(while: { $0 == " " }).first == "|" else { return line }
                return line.split(separator: "|", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "|")
            }
        case .allAtOnce:
            return PasteForm.crlf.apply(
                PasteForm.quoted.apply(
                    PasteForm.bashPrompt.apply(
                        PasteForm.noBreakSpaces.apply(PasteForm.collapsedSpaces.apply(text))
                    )
                )
            )
        case .bordersDropped:
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !Self.isBorder(String($0)) }.joined(separator: "\n")
        case .bordersShortened:
            return Self.eachLine(text) { line in
                guard Self.isBorder(line) else { return line }
                let indent = line.prefix(while: { $0 == " " })
                let rule = line.drop(while: { $0 == " " })
                return indent + "+" + rule.dropFirst().prefix(12) + "+"
            }
        case .underlinesAsDashes:
            return Self.eachLine(text) {
                Self.isBorder($0) ? $0.replacingOccurrences(of: "=", with: "-") : $0
            }
        case .bordersAsMarkdown:
            return Self.eachLine(text) {
                Self.isBorder($0) ? $0.replacingOccurrences(of: "+", with: "|") : $0
            }
        }
    }

    /// A `+---+` or `+===+` line.
    static func isBorder(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        return !text.isEmpty && text.allSatisfy { $0 == "+" || $0 == "-" || $0 == "=" }
    }

    static func eachLine(_ text: String, _ change: (String) -> String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { change(String($0)) }.joined(separator: "\n")
    }

    /// Runs of two or more spaces after the line's first text become one space; the
    /// indentation stays.
    static func collapseInnerRuns(_ line: String) -> String {
        let indent = line.prefix(while: { $0 == " " })
        return indent + replaceRuns(in: String(line.dropFirst(indent.count)), with: " ")
    }

    /// Every run of two or more spaces replaced by `replacement`.
    static func replaceRuns(in line: String, with replacement: String) -> String {
        var out = ""
        var spaces = 0
        for character in line {
            if character == " " {
                spaces += 1
                continue
            }
            if spaces > 0 { out += spaces >= 2 ? replacement : " " }
            spaces = 0
            out.append(character)
        }
        if spaces > 0 { out += spaces >= 2 ? replacement : " " }
        return out
    }
}

/// nvidia-smi output as people paste it: every real capture, changed the way a paste changes
/// it, gives the same facts as the capture itself.
@Suite struct NvidiaSMIPasteFormsTests {
    static let files = Fixtures.captured(in: "nvidia-smi")

    /// What a document says, diagnostics aside (their line numbers move with a prompt line).
    struct Facts: Equatable {
        var format: NvidiaSMIFormat
        var driverVersion: String?
        var cudaVersion: String?
        var attachedGPUs: Int?
        var gpus: [NvidiaSMIParsedGPU]
        var processes: [NvidiaProcess]
        var codes: [String]

        init(_ document: NvidiaSMIDocument) {
            format = document.format
            driverVersion = document.driverVersion
            cudaVersion = document.cudaVersion
            attachedGPUs = document.attachedGPUs
            gpus = document.gpus
            processes = document.processes
            codes = document.diagnostics.map(\.code.rawValue)
        }
    }

    @Test(arguments: files, PasteForm.textForms)
    func aPasteReadsAsTheCapture(file: String, form: PasteForm) throws {
        let text = try Fixtures.text(file)
        let clean = Facts(NvidiaSMIParser.document(text))
        #expect(clean.format == .failure || !clean.gpus.isEmpty)
        let pasted = Facts(NvidiaSMIParser.document(form.apply(text)))
        #expect(pasted == clean)
    }

    /// A table mailed as plain text, its rows wrapped at 76 columns.
    @Test(arguments: files.filter { $0.hasPrefix("nvidia-smi/table_") })
    func aMailWrappedTableReadsAsTheCapture(file: String) throws {
        let text = try Fixtures.text(file)
        let pasted = Facts(NvidiaSMIParser.document(PasteForm.mailWrapped.apply(text)))
        #expect(pasted == Facts(NvidiaSMIParser.document(text)))
    }

    /// `-q` whose indentation a web page removed: read by its section titles, so the GPU's
    /// memory is the `FB Memory Usage` total, not a MIG device's `Shared FB Memory Usage` or
    /// the `BAR1` one that follows it.
    @Test func queryTextWithoutIndentationKeepsItsSections() throws {
        let text = try Fixtures.text("nvidia-smi/q_590.48.01_h200_mig.txt")
        let document = NvidiaSMIParser.document(PasteForm.webPage.apply(text))
        let gpu = try #require(document.gpus.first)
        #expect(gpu.gpu.memoryTotalMiB == 143771)
        #expect(gpu.gpu.migMode == "enabled")
        #expect(gpu.migDeviceCount == 5)
        #expect(document.driverVersion == "590.48.01")
    }

    /// `--format=csv,noheader` pasted under its command line: the command names the columns.
    ///
    /// The rows are the real capture's without its header, which is what `noheader` prints.
    @Test(arguments: files.filter { $0.hasSuffix(".csv") })
    func headerlessCSVUnderItsCommandLine(file: String) throws {
        let text = try Fixtures.text(file)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.removeFirst()
        let names = header.split(separator: ",").map { field in
            field.split(separator: "[").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? ""
        }
        let command =
            "user@gpu-host:~$ nvidia-smi --query-gpu=\(names.joined(separator: ","))"
            + " --format=csv,noheader"
        let rows = lines.joined(separator: "\n")
        let pasted = NvidiaSMIParser.document(command + "\n" + rows + "\nuser@gpu-host:~$ ")
        #expect(Facts(pasted) == Facts(NvidiaSMIParser.document(text)))
        // Without the command the rows stay unread: their columns are not gpuprobe's own.
        #expect(NvidiaSMIParser.document(rows).gpus.isEmpty)
    }
}
