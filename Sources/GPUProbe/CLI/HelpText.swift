/// The version this build reports.
public enum GPUProbeVersion {
    /// Semantic version of the tool; the JSON contract has its own (`gpuprobe/host/v1`).
    public static let current = "0.1.0"
}

/// `gpuprobe --help`.
public enum HelpText {
    /// The usage lines printed after a usage error: every command's synopsis, from
    /// ``CommandSpec/all``.
    public static let usage = synopsis(
        CommandSpec.all.filter { $0.name != "help" },
        lead: "usage: "
    )

    /// What follows the error line of a usage error: the synopsis of the command the parser
    /// was in and where its help is, or every command's synopsis when it was in none.
    ///
    /// - Parameter command: the command ``Options/parse(_:command:)`` reported.
    /// - Returns: the lines, ending in a newline.
    public static func usage(for command: String?) -> String {
        guard let spec = command.flatMap(CommandSpec.named), spec.name != "help" else {
            return usage + "\nSee 'gpuprobe --help' for more information.\n"
        }
        return synopsis([spec], lead: "usage: ")
            + "\nSee 'gpuprobe \(spec.name) --help' for more information.\n"
    }

    /// The synopsis lines of some commands, the first led by `lead`, the rest aligned under it.
    static func synopsis(_ specs: [CommandSpec], lead: String) -> String {
        let indent = String(repeating: " ", count: lead.count)
        var lines: [String] = []
        for spec in specs {
            // A line that starts with a space continues the one before it.
            for line in spec.synopsis {
                let start = lines.isEmpty ? lead : indent
                lines.append(start + (line.hasPrefix(" ") ? "         " : "gpuprobe ") + line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One command's help, `gpuprobe COMMAND --help`: what it does, its usage, every flag the
    /// parser takes for it (from the same table) and examples.
    ///
    /// - Parameter name: the command; one not in ``CommandSpec/all`` gets the whole help.
    /// - Returns: the text, ending in a newline.
    public static func command(_ name: String) -> String {
        guard let spec = CommandSpec.named(name) else { return full + "\n" }
        var text = "gpuprobe \(spec.name): \(spec.summary).\n\n"
        text += synopsis([spec], lead: "usage: ") + "\n\n"
        text += wrap(spec.details, indent: "") + "\n"
        text += "\nOptions:\n"
        for flag in spec.flags + CommandSpec.common {
            var left = "  " + flag.names.joined(separator: ", ")
            if let placeholder = flag.value.placeholder { left += " " + placeholder }
            let column = 24
            let body = wrap(flag.help, indent: String(repeating: " ", count: column))
            if left.count < column - 1 {
                let pad = String(repeating: " ", count: column - left.count)
                text += left + pad + body.dropFirst(column) + "\n"
            } else {
                text += left + "\n" + body + "\n"
            }
        }
        text += "\nExamples:\n"
        for example in spec.examples {
            text += "  " + example.line + "\n" + wrap(example.note, indent: "      ") + "\n"
        }
        text += "\nExit status and the other commands: `gpuprobe --help`.\n"
        return text
    }

    /// Words wrapped to 100 columns, every line starting with `indent`.
    static func wrap(_ paragraph: String, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in paragraph.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > 100 {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// The whole help text.
    public static let full = """
        gpuprobe \(GPUProbeVersion.current): what GPUs and NPUs this host has, as one JSON document.

        \(usage)

        Commands:
          probe              Enumerate PCI devices through libpci, read the NVIDIA kernel module
                             version, run `nvidia-smi -q -x` and `npu-smi info` (each once, at the
                             same time, with a timeout) and print the report (the default command).
                             With --format nfd, print (or --output-file: write) node labels for
                             Kubernetes node-feature-discovery instead, GPU Feature Discovery's
                             nvidia.com names for NVIDIA GPUs and gpuprobe.io/ ones for the rest:
                               gpuprobe probe --format nfd --output-file \\
                                 /etc/kubernetes/node-feature-discovery/features.d/gpuprobe
          capture DIR        Write everything the probe reads, raw, into the new folder DIR:
                             PCI config space as an `lspci -x` dump, each tool's output and exit
                             status, and the /proc, /sys and /etc files. Replay it with --replay.
          parse TOOL [FILE]  Read a pasted output of nvidia-smi (table, --query-gpu CSV, -q, -q -x),
                             npu-smi (info, info -m) or lspci (plain, -nn, -Dnn, -vmm, -k, -vvv,
                             -tv trees, with grep or IOMMU-group prefixes, wrapped; -x dumps read
                             through libpci) from FILE or standard input, and print the section
                             the probe would produce.
          match              Pick the NVIDIA userspace driver installer (.run) from the drivers
                             folder and the PyTorch wheels, or for Ascend the CANN and torch +
                             torch_npu, for a host, and explain every choice and rejection
                             (plan gpuprobe/plan/v1). The host comes from a pasted
                             nvidia-smi/npu-smi output, a capture folder or a probe JSON (--host)
                             or from probing this machine.

          dockerfile         Write the Dockerfile instructions the plan calls for: the chosen .run
                             COPYed into /root and run with --silent --no-kernel-module
                             --no-x-check --no-nouveau-check after a nouveau blacklist written with
                             printf; the PyTorch pip line; for Ascend, the CANN the driver
                             supports (its toolkit .run from --drivers with set_env.sh as ENV,
                             your --base, or else FROM the official quay.io/ascend/cann image),
                             torch + torch_npu, and the driver files' ENV and COPY lines. With
                             --base (or the CANN image) a whole Dockerfile, else a fragment to
                             paste after your FROM. Run it in the build context: --drivers must
                             be a folder inside it.
          run-flags          Print the `docker run` arguments for the host's GPUs or NPUs (--gpus,
                             or the davinci --device, -e and -v flags) as one shell line; standard
                             error says what to run inside the container to check them.
          stage-ascend       Copy this host's Ascend driver files (driver lib64/common and
                             lib64/driver, dcmi, npu-smi, ascend_install.info, vnpu.cfg,
                             version.info) into DIR/ascend, where the dockerfile's COPY lines read
                             them. Symlinks that leave a copied folder are skipped and reported.
          check DOCKERFILE   Read a Dockerfile and judge its NVIDIA installer, CUDA base image,
                             PyTorch install and Ascend COPY lines against the host; every finding
                             names its line, a severity and the fix.
          completions SHELL  Print a completion script for bash, zsh or fish.
          help [COMMAND]     Show this help, or a command's flags and examples; the same as
                             `gpuprobe COMMAND --help`.

        Options:
          --format json|text  JSON (pretty, sorted keys) or text for people. JSON is the default,
                              except for run-flags, stage-ascend and check, which print text.
          --format nfd        probe: node-feature-discovery labels (name=value lines).
          --output-file PATH  probe --format nfd: write PATH atomically instead of standard
                              output (- is standard output). A file gpuprobe wrote (first line
                              '# gpuprobe nfd labels') is replaced; any other existing regular
                              file only with --force.
          --timeout S         Seconds each tool may run before it is killed (default 10).
          --replay DIR        Build the report from a capture folder instead of this host.
          --force             capture: replace a folder that is a gpuprobe capture (nothing
                              else); stage-ascend: replace what exists; dockerfile: replace the
                              -o file; probe: replace an --output-file gpuprobe did not write.
                              Only regular files are replaced, never a link, device or folder.
          --host SOURCE       match, dockerfile, run-flags, check: the host, as a pasted
                              nvidia-smi or npu-smi output, with more --host flags for its
                              npu-smi info -m, lspci or Ascend version.info; or, alone, a
                              `gpuprobe capture` folder or its probe JSON (`gpuprobe probe` on
                              that host); - is standard input; without it, this machine is probed.
          --arch ARCH         match, dockerfile, check: x86_64 or aarch64, the machine of a host
                              built from pastes (default: aarch64 for Grace and Jetson GPUs, else
                              x86_64, which the plan says it assumed).
          --drivers DIR       match: the folder of NVIDIA-Linux-<arch>-<version>.run installers
                              (default Drivers). Installers are read, never run; what was read is
                              cached in $XDG_CACHE_HOME/gpuprobe (else ~/.cache/gpuprobe).
          --python X.Y        match: only releases that support this CPython.
          --torch VERSION     match: pin torch (2.7.1, or 2.7 for its newest patch).
          --cann VERSION      match: Ascend: pin the CANN the image carries (8.1.RC1, 9.0.0);
                              torch_npu follows it.
          --catalog FILE      match: a PyTorch catalog to use instead of the one built in
                              (format: catalog/pytorch.json, schema gpuprobe/torch-catalog/v1).
          --pip-index-url URL match: a mirror of the chosen PyTorch index; {variant} in URL is
                              replaced by the variant (cu124, cpu).
          --base IMAGE        dockerfile: start the Dockerfile with FROM IMAGE.
          -o, --output FILE   dockerfile: write FILE atomically instead of standard output (-o -
                              is standard output); an existing FILE is kept unless --force.
          --devices LIST      run-flags: all (default), or NVIDIA GPU indices / Ascend davinci
                              numbers such as 0 or 0,1.
          --context DIR       stage-ascend: the build context to copy into. check: the build
                              context COPY sources are looked up in (default: the Dockerfile's
                              folder).
          --build-arg NAME[=VALUE]
                              check: a build argument as docker build takes it (repeatable): it
                              replaces the default of every ARG NAME, and shell conditions on
                              it are judged; NAME alone takes the value from this environment.
          --root PATH         Read /proc, /sys and /etc files under PATH (a host root mounted
                              elsewhere, or a fake root in tests); stage-ascend copies from it.
          --tool-path DIRS    Colon-separated folders to find nvidia-smi and npu-smi in, instead
                              of $PATH and the usual install places.
          --sysfs PATH        libpci's sysfs folder instead of /sys/bus/pci.
          -h, --help          Show this help; after a command, that command's help.
          -V, --version       Show the version (after a command too: there is one version).

        Exit status (the same for every command):
          0   done; problems on the host are reported inside the output, not by the exit status;
              check: the Dockerfile fits the host (warnings may still be printed)
          1   check: the Dockerfile does not fit the host
          2   an input could not be read or used, or the output could not be written (missing
              or unreadable file, input too large, not a capture, a host JSON of another schema
              version, a Dockerfile that cannot be parsed, a value unsafe for a Dockerfile line,
              Ascend files missing on the host, a file that would be replaced without --force)
          3   match: the plan is incomplete (no installer fits, no wheel fits, or the host has
              GPUs without a driver); the plan is still printed and says why. dockerfile,
              run-flags: the same, or nothing to emit; nothing is written
          64  the command line is wrong (including --devices naming a device the host lacks)
          128+N  ended by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP, ...): running tools
              are killed, temporary files removed, and no file or bundle is left half
              written

        The JSON contracts are gpuprobe/host/v1, gpuprobe/plan/v1, gpuprobe/run-flags/v1,
        gpuprobe/stage/v1 and gpuprobe/check/v1; their schemas are in Schemas/.
        """
}
