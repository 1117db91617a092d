/// `gpuprobe.1`, the manual page, written from the same table as the help: ``CommandSpec/all``
/// and ``ExitStatus/meanings``.
///
/// The committed `docs/gpuprobe.1` must equal ``render()`` (a test compares them); regenerate
/// it with `gpuprobe help man > docs/gpuprobe.1`. No date in the header, so that the page
/// changes only when the table does.
public enum ManPage {
    /// The page in man(7) roff.
    public static func render() -> String {
        var lines = [
            ".\\\" Written by gpuprobe's ManPage.render() from its command table; do not edit.",
            ".TH GPUPROBE 1 \"\" \"gpuprobe \(GPUProbeVersion.current)\" \"User Commands\"",
            ".SH NAME",
            "gpuprobe \\- what GPUs and NPUs a host has, and the driver, PyTorch and Ascend layers "
                + "its Docker images need",
            ".SH SYNOPSIS",
            ".nf",
        ]
        // Every usage line is led by `usage: ` or seven spaces; continuations keep the rest.
        lines += HelpText.usage.split(separator: "\n").map { text(String($0.dropFirst(7))) }
        lines += [
            ".fi",
            ".SH DESCRIPTION",
            text(
                "gpuprobe enumerates a host's PCI devices through libpci, reads nvidia-smi and "
                    + "npu-smi, and prints one JSON document about the host (gpuprobe/host/v1). "
                    + "From that document, or from pasted tool outputs, it picks the NVIDIA "
                    + "userspace driver installer and the PyTorch wheels (or, for Ascend, the "
                    + "CANN and torch_npu), writes the Dockerfile layers and docker run flags, "
                    + "and checks an existing Dockerfile against the host."
            ),
            ".SH COMMANDS",
        ]
        for spec in CommandSpec.all {
            lines.append(".SS " + text(spec.label.drop { $0 == " " }.description))
            lines.append(text(spec.details))
            for flag in spec.flags + CommandSpec.common {
                lines.append(".TP")
                var names = flag.names.map { "\\fB" + text($0) + "\\fR" }.joined(separator: ", ")
                if let placeholder = flag.value.placeholder {
                    names += " \\fI" + text(placeholder) + "\\fR"
                }
                lines.append(names)
                lines.append(text(flag.help))
            }
            lines.append(".PP")
            lines.append("Examples:")
            for example in spec.examples {
                lines += [
                    ".PP", ".RS 4", ".nf", text(example.line), ".fi", text(example.note), ".RE",
                ]
            }
        }
        lines.append(".SH \"EXIT STATUS\"")
        for row in ExitStatus.meanings {
            lines += [".TP", text(row.status), text(row.meaning)]
        }
        lines += [
            ".SH FILES",
            ".TP",
            text("$XDG_CACHE_HOME/gpuprobe (else ~/.cache/gpuprobe)"),
            text(
                "What was read from driver installers, so that an unchanged one is not read again."
            ),
            ".SH \"SEE ALSO\"",
            text(
                "lspci(8), nvidia-smi(1), docker-run(1); the JSON schemas in Schemas/ of the "
                    + "source repository."
            ),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe on a roff line: backslashes escaped, hyphens as minus signs (options copy
    /// and paste as typed), and a line that would start with a control character guarded.
    static func text(_ raw: String) -> String {
        var out = ""
        for character in raw {
            switch character {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            default: out.append(character)
            }
        }
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
