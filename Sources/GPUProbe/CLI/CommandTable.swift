/// Every command, its flags and examples: the one table that the parser's per-command flag check
/// (``Options/commandFlags``), each command's `--help` and the shell completion scripts are all
/// made from, so none of them can name a flag the others lack.
public struct CommandSpec: Sendable {
    /// What a flag's or an argument's value is, so help names it and completion offers it.
    public enum Value: Equatable, Sendable {
        /// A switch: no value.
        case none
        /// A file path (the placeholder, for example `FILE|-`).
        case file(String)
        /// A folder path.
        case directory(String)
        /// One of these words.
        case choice([String])
        /// Free text nobody can complete (the placeholder, for example `X.Y`).
        case text(String)

        /// The placeholder shown in help: `FILE`, `DIR`, `json|text`.
        var placeholder: String? {
            switch self {
            case .none: nil
            case .file(let name), .directory(let name), .text(let name): name
            case .choice(let words): words.joined(separator: "|")
            }
        }
    }

    /// One flag as a command takes it.
    public struct Flag: Sendable {
        /// Its spellings, short first (`-o`, `--output`); the parser accepts each.
        public let names: [String]
        /// Its value.
        public let value: Value
        /// What it does for this command, one sentence or two.
        public let help: String

        init(_ names: [String], _ value: Value, _ help: String) {
            self.names = names
            self.value = value
            self.help = help
        }

        init(_ name: String, _ value: Value, _ help: String) {
            self.init([name], value, help)
        }

        /// A switch.
        init(_ names: [String], _ help: String) {
            self.init(names, .none, help)
        }

        /// A switch.
        init(_ name: String, _ help: String) {
            self.init([name], .none, help)
        }
    }

    /// An example command line and what it does.
    public struct Example: Sendable {
        /// The shell line; each `gpuprobe ...` in it must parse (`OptionsTests` checks).
        public let line: String
        /// What it does.
        public let note: String
    }

    /// The verb, as typed.
    public let name: String
    /// One line for the command list and completion menus.
    public let summary: String
    /// Usage lines after `gpuprobe `; one that starts with spaces continues the line before.
    public let synopsis: [String]
    /// A paragraph on what it does.
    public let details: String
    /// Its flags besides `-h/--help` and `-V/--version`, which every command takes.
    public let flags: [Flag]
    /// Its positional arguments, in order, for completion.
    public let arguments: [Value]
    /// At least one real command line.
    public let examples: [Example]

    /// Looks a command up by name.
    ///
    /// - Parameter name: the verb.
    /// - Returns: its entry, or nil for a word that is no command.
    public static func named(_ name: String) -> CommandSpec? {
        all.first { $0.name == name }
    }

    /// The command with its positional arguments, as the full help lists it (`capture DIR`,
    /// `help [COMMAND]`): the synopsis's first words, up to the first flag.
    var label: String {
        let words = (synopsis.first ?? name).split(separator: " ")
        // Arguments are upper case or words (`DIR`, `[FILE|-]`, `bash|zsh|fish`); flags and
        // `[match's options]` end them.
        let kept = words.prefix { word in
            guard let first = word.first, first != "-" else { return false }
            guard first == "[" else { return true }
            return word == "[probe]" || word.dropFirst().first?.isUppercase == true
        }
        // `[probe]`: the default command's name is optional; the list names it plainly.
        return "  " + kept.map { $0 == "[probe]" ? "probe" : String($0) }.joined(separator: " ")
    }

    /// Every flag once (by its spellings, in the order the commands first name it), with the
    /// commands that take it grouped by the help they give it.
    static var flagUses: [(flag: Flag, uses: [(commands: [String], help: String)])] {
        var found: [(flag: Flag, uses: [(commands: [String], help: String)])] = []
        for spec in all {
            for flag in spec.flags {
                guard let at = found.firstIndex(where: { $0.flag.names == flag.names }) else {
                    found.append((flag, [([spec.name], flag.help)]))
                    continue
                }
                if let use = found[at].uses.firstIndex(where: { $0.help == flag.help }) {
                    found[at].uses[use].commands.append(spec.name)
                } else {
                    found[at].uses.append(([spec.name], flag.help))
                }
            }
        }
        return found + CommandSpec.common.map { ($0, [(["every command"], $0.help)]) }
    }

    /// The formats a command takes with `--format`; empty where `--format` does not apply.
    var formats: [String] {
        for flag in flags where flag.names == ["--format"] {
            if case .choice(let words) = flag.value { return words }
        }
        return []
    }
}

// MARK: - Flags shared by several commands, with the words each command needs

extension CommandSpec.Flag {
    static func format(_ words: [String], _ help: String) -> Self {
        Self("--format", .choice(words), help)
    }

    static let live: [Self] = [
        Self(
            "--timeout",
            .text("S"),
            "Seconds each tool may run before it is killed (default 10)."
        ),
        Self(
            "--root",
            .directory("PATH"),
            "Read /proc, /sys and /etc files under PATH: a host root mounted elsewhere, or a fake "
                + "root in tests."
        ),
        Self(
            "--tool-path",
            .directory("DIRS"),
            "Colon-separated folders to find nvidia-smi and npu-smi in, instead of $PATH and the "
                + "usual install places."
        ),
        Self("--sysfs", .directory("PATH"), "libpci's sysfs folder instead of /sys/bus/pci."),
    ]

    static let host = Self(
        "--host",
        .file("SOURCE"),
        "The host: a pasted nvidia-smi or npu-smi output (any form `parse` reads), and with it, "
            + "as more --host flags, the host's npu-smi info -m, lspci or Ascend version.info; or "
            + "a `gpuprobe capture` folder, or its probe JSON (`gpuprobe probe` on that host), "
            + "alone. - is standard input; without --host, this machine is probed."
    )

    static let arch = Self(
        "--arch",
        .choice(["x86_64", "aarch64"]),
        "The machine of a host built from pastes, which do not say it (default: aarch64 for "
            + "Grace and Jetson GPUs, else x86_64, and the plan says it assumed so)."
    )

    static let catalog = Self(
        "--catalog",
        .file("FILE"),
        "A PyTorch catalog to use instead of the one built in (format: catalog/pytorch.json, "
            + "schema gpuprobe/torch-catalog/v1)."
    )

    static let plan: [Self] = [
        host,
        arch,
        Self(
            "--drivers",
            .directory("DIR"),
            "The folder of NVIDIA-Linux-<arch>-<version>.run installers (default Drivers). "
                + "Installers are read, never run; what was read is cached in "
                + "$XDG_CACHE_HOME/gpuprobe (else ~/.cache/gpuprobe)."
        ),
        Self("--python", .text("X.Y"), "Only PyTorch releases that support this CPython."),
        Self("--torch", .text("VERSION"), "Pin torch: 2.7.1, or 2.7 for its newest patch."),
        Self(
            "--cann",
            .text("VERSION"),
            "Ascend: pin the CANN the image carries (8.1.RC1, 9.0.0); torch_npu follows it."
        ),
        catalog,
        Self(
            "--pip-index-url",
            .text("URL"),
            "A mirror of the chosen PyTorch index; {variant} in URL is replaced by the variant "
                + "(cu124, cpu)."
        ),
    ]
}

// MARK: - The table

extension CommandSpec {
    /// Every command, in the order help lists them.
    public static let all: [CommandSpec] = [
        CommandSpec(
            name: "probe",
            summary: "probe this host (or replay a capture) and print the report",
            synopsis: [
                "[probe] [--format json|text] [--timeout S] [--replay DIR]",
                "[probe] --format nfd [--output-file PATH [--force]] [--replay DIR]",
            ],
            details: "Enumerate PCI devices through libpci, read the NVIDIA kernel module "
                + "version, run `nvidia-smi -q -x` and `npu-smi info` (each once, at the same "
                + "time, with a timeout) and print the report, gpuprobe/host/v1 JSON. This is "
                + "the default command. With --format nfd, print (or write to --output-file) "
                + "node labels for Kubernetes node-feature-discovery instead: GPU Feature "
                + "Discovery's nvidia.com names for NVIDIA GPUs and gpuprobe.io/ ones for the rest.",
            flags: [
                .format(
                    ["json", "text", "nfd"],
                    "JSON (the default), a summary for people, or node-feature-discovery labels."
                ),
                Flag(
                    "--replay",
                    .directory("DIR"),
                    "Build the report from a capture folder (`gpuprobe capture`) instead of this host."
                ),
                Flag(
                    "--output-file",
                    .file("PATH"),
                    "With --format nfd: write PATH atomically instead of standard output (- is "
                        + "standard output). A file gpuprobe wrote (first line '# gpuprobe nfd "
                        + "labels') is replaced; any other regular file only with --force; a "
                        + "link, device or folder never."
                ),
                Flag(
                    "--force",
                    "Replace an --output-file that gpuprobe did not write (a regular file only)."
                ),
            ] + Flag.live,
            arguments: [],
            examples: [
                Example(line: "gpuprobe probe > host.json", note: "Write this host's report."),
                Example(
                    line: "gpuprobe probe --replay h100-host --format text",
                    note: "Summarise a capture made with `gpuprobe capture h100-host`."
                ),
                Example(
                    line: "gpuprobe --format nfd --output-file "
                        + "/etc/kubernetes/node-feature-discovery/features.d/gpuprobe",
                    note:
                        "Write node labels where nfd-worker reads them (probe is the default command)."
                ),
            ]
        ),
        CommandSpec(
            name: "capture",
            summary: "write everything the probe reads, raw, into a new folder",
            synopsis: ["capture DIR [--force] [--timeout S]"],
            details: "Write everything the probe reads, raw, into the new folder DIR: PCI config "
                + "space as an `lspci -x` dump, each tool's output and exit status, and the "
                + "/proc, /sys and /etc files; then print the report. Replay it anywhere with "
                + "`gpuprobe probe --replay DIR`.",
            flags: [
                .format(["json", "text"], "The report printed after the capture: JSON or text."),
                Flag("--force", "Replace DIR if it exists."),
            ] + Flag.live,
            arguments: [.directory("DIR")],
            examples: [
                Example(
                    line: "gpuprobe capture h100-host",
                    note: "Capture this host into ./h100-host, to replay or attach to a bug report."
                )
            ]
        ),
        CommandSpec(
            name: "parse",
            summary: "turn a pasted nvidia-smi, npu-smi or lspci output into JSON",
            synopsis: ["parse nvidia-smi|npu-smi|lspci [FILE|-] [--format json|text]"],
            details: "Read a pasted output of nvidia-smi (table, --query-gpu CSV, -q, -q -x), "
                + "npu-smi (info, info -m) or lspci (plain, -nn, -Dnn, -vmm, -k, -vvv, -tv trees, "
                + "with grep or IOMMU-group prefixes, wrapped; -x dumps read through libpci) from "
                + "FILE or standard input, and print the section the probe would produce.",
            flags: [.format(["json", "text"], "JSON (the default) or a summary for people.")],
            arguments: [.choice(Options.ParseTool.allCases.map(\.rawValue)), .file("FILE|-")],
            examples: [
                Example(
                    line: "nvidia-smi -q -x | gpuprobe parse nvidia-smi",
                    note: "The nvidia section of this host's report."
                ),
                Example(
                    line: "gpuprobe parse npu-smi npu-smi-info.txt --format text",
                    note: "Summarise an `npu-smi info` output someone pasted."
                ),
            ]
        ),
        CommandSpec(
            name: "match",
            summary: "pick the NVIDIA driver installer and PyTorch wheels for a host",
            synopsis: [
                "match [--host SOURCE]... [--arch x86_64|aarch64] [--drivers DIR] [--python X.Y]",
                "      [--torch VERSION] [--cann VERSION] [--catalog FILE] [--pip-index-url URL]",
                "      [--format json|text]",
            ],
            details: "Pick the NVIDIA userspace driver installer (.run) from the drivers folder "
                + "and the PyTorch wheels, or for Ascend the CANN and torch + torch_npu, for a "
                + "host, and explain every choice and rejection "
                + "(gpuprobe/plan/v1). The host comes from --host: its pasted nvidia-smi or npu-smi "
                + "output (with lspci or version.info for more), a capture folder or a probe "
                + "JSON; without --host, this machine is probed. Exit 3 when the plan is "
                + "incomplete.",
            flags: [.format(["json", "text"], "JSON (the default) or the plan for people.")]
                + Flag.plan + Flag.live,
            arguments: [],
            examples: [
                Example(
                    line: "gpuprobe match --host nvidia-smi.txt --format text",
                    note: "Plan for the host whose nvidia-smi output was pasted into a file."
                ),
                Example(
                    line: "gpuprobe match --host nvidia-smi.txt --host lspci-nn.txt",
                    note: "The same, with the PCI device IDs that tell the chip."
                ),
                Example(
                    line: "gpuprobe match --host host.json --drivers Drivers",
                    note: "Plan for the host whose report is host.json."
                ),
                Example(
                    line: "ssh gpu-host gpuprobe probe | gpuprobe match --host - --format text",
                    note: "Probe a remote host and read the plan."
                ),
                Example(
                    line: "gpuprobe match --host host.json --python 3.11 --torch 2.7",
                    note: "Pin CPython and torch."
                ),
            ]
        ),
        CommandSpec(
            name: "dockerfile",
            summary: "write the Dockerfile instructions the plan calls for",
            synopsis: ["dockerfile [match's options] [--base IMAGE] [-o FILE [--force]]"],
            details: "Write the Dockerfile instructions the plan calls for: the chosen .run "
                + "COPYed into /root and run with --silent --no-kernel-module --no-x-check "
                + "--no-nouveau-check after a nouveau blacklist; the PyTorch pip line; for "
                + "Ascend, the CANN the driver supports (its toolkit .run from --drivers with "
                + "set_env.sh as ENV, your --base, or else FROM the official "
                + "quay.io/ascend/cann image), torch + torch_npu, and the driver files' ENV and "
                + "COPY lines. With --base (or the CANN image) a whole Dockerfile, else a "
                + "fragment to paste after your FROM. Run it in the build context: --drivers "
                + "must be a folder inside it.",
            flags: Flag.plan + [
                Flag("--base", .text("IMAGE"), "Start the Dockerfile with FROM IMAGE."),
                Flag(
                    ["-o", "--output"],
                    .file("FILE"),
                    "Write FILE atomically instead of standard output (-o - is standard output); "
                        + "an existing FILE is kept unless --force is given."
                ),
                Flag(
                    "--force",
                    "Replace an existing -o FILE: a regular file only, never a link, device or "
                        + "folder."
                ),
            ] + Flag.live,
            arguments: [],
            examples: [
                Example(
                    line: "gpuprobe dockerfile --host nvidia-smi.txt --base ubuntu:22.04 "
                        + "-o Dockerfile",
                    note: "A whole Dockerfile for the host whose nvidia-smi output was pasted."
                ),
                Example(
                    line: "gpuprobe dockerfile --host host.json --base ubuntu:22.04 -o Dockerfile",
                    note: "The same from the host's probe JSON, in the build context."
                ),
                Example(
                    line: "gpuprobe dockerfile --host npu-smi.txt --host version.info "
                        + "-o Dockerfile",
                    note: "An Ascend host from its npu-smi info and version.info: the CANN image, "
                        + "torch_npu and the driver files (`gpuprobe stage-ascend` first)."
                ),
            ]
        ),
        CommandSpec(
            name: "run-flags",
            summary: "print the docker run arguments for the host's GPUs or NPUs",
            synopsis: [
                "run-flags [--host SOURCE]... [--devices all|N[,N...]] [--format text|json]"
            ],
            details: "Print the `docker run` arguments for the host's GPUs or NPUs (--gpus, or the "
                + "davinci --device, -e and -v flags) as one shell line; standard error says what "
                + "to run inside the container to check them.",
            flags: [
                .format(["text", "json"], "A shell line (the default) or JSON."),
                Flag.host,
                Flag(
                    "--devices",
                    .text("LIST"),
                    "all (the default), or NVIDIA GPU indices / Ascend davinci numbers such as 0 "
                        + "or 0,1."
                ),
            ] + Flag.live,
            arguments: [],
            examples: [
                Example(
                    line: "gpuprobe run-flags --host npu-smi-info.txt",
                    note: "The davinci flags for the NPUs of a pasted `npu-smi info`."
                ),
                Example(
                    line: "gpuprobe run-flags --host host.json --devices 0,1",
                    note: "The arguments for the first two devices."
                ),
            ]
        ),
        CommandSpec(
            name: "stage-ascend",
            summary: "copy this host's Ascend driver files into a build context",
            synopsis: ["stage-ascend --context DIR [--root PATH] [--force] [--format text|json]"],
            details: "Copy this host's Ascend driver files (driver lib64/common and lib64/driver, "
                + "dcmi, npu-smi, ascend_install.info, vnpu.cfg, version.info) into DIR/ascend, "
                + "where the dockerfile's COPY lines read them. Symlinks that leave a copied "
                + "folder are skipped and reported.",
            flags: [
                .format(["text", "json"], "A report for people (the default) or JSON."),
                Flag("--context", .directory("DIR"), "The build context to copy into (required)."),
                Flag("--root", .directory("PATH"), "Copy from under PATH instead of /."),
                Flag("--force", "Replace DIR/ascend if it exists."),
            ],
            arguments: [],
            examples: [
                Example(
                    line: "gpuprobe stage-ascend --context .",
                    note: "Stage into ./ascend, then build with the emitted Dockerfile."
                )
            ]
        ),
        CommandSpec(
            name: "check",
            summary: "judge a Dockerfile against a host",
            synopsis: [
                "check DOCKERFILE|- [--host SOURCE]... [--arch ARCH] [--context DIR] [--catalog FILE]",
                "      [--build-arg NAME[=VALUE]]... [--cuda-images FILE] [--gpu-brands FILE]",
                "      [--format text|json]",
            ],
            details: "Read a Dockerfile and judge its NVIDIA installer, CUDA base image, PyTorch "
                + "install and Ascend COPY lines against the host; every finding names its line, "
                + "a severity and the fix. Exit 1 when the Dockerfile does not fit the host.",
            flags: [
                .format(["text", "json"], "Findings for people (the default) or JSON."),
                Flag.host,
                Flag.arch,
                Flag(
                    "--context",
                    .directory("DIR"),
                    "The build context COPY sources and pip -r files are read from, after "
                        + "its .dockerignore (default: the Dockerfile's folder)."
                ),
                Flag.catalog,
                Flag(
                    "--cuda-images",
                    .file("FILE"),
                    "The NVIDIA_REQUIRE_CUDA of each nvidia/cuda image, to use instead of the "
                        + "table built in (format: data/nvidia_require_cuda.tsv)."
                ),
                Flag(
                    "--gpu-brands",
                    .file("FILE"),
                    "GPU names with their NVML brand, to use instead of the table built in "
                        + "(format: data/nvml_brand_by_name.tsv)."
                ),
                Flag(
                    "--build-arg",
                    .text("NAME[=VALUE]"),
                    "A build argument, as docker build takes it (repeatable): it replaces the "
                        + "default of every ARG NAME; NAME alone takes the value from this "
                        + "environment. Shell conditions on it (if, case, test) are then judged."
                ),
            ] + Flag.live,
            arguments: [.file("DOCKERFILE|-")],
            examples: [
                Example(
                    line: "gpuprobe check Dockerfile --host nvidia-smi.txt",
                    note: "Judge ./Dockerfile against the host whose nvidia-smi output was pasted."
                ),
                Example(
                    line: "gpuprobe check Dockerfile --host host.json",
                    note: "Judge ./Dockerfile against the host whose report is host.json."
                ),
                Example(
                    line: "gpuprobe check - --host host.json < Dockerfile",
                    note: "The same, reading the Dockerfile from standard input."
                ),
                Example(
                    line: "gpuprobe check Dockerfile --host host.json --build-arg USE_CUDA=true",
                    note: "Judge it as `docker build --build-arg USE_CUDA=true` builds it."
                ),
            ]
        ),
        CommandSpec(
            name: "completions",
            summary: "print a shell completion script",
            synopsis: ["completions bash|zsh|fish"],
            details: "Print a completion script for bash, zsh or fish: commands, each command's "
                + "flags, --format values, parse's tools, and files or folders where a flag takes "
                + "a path. Install it where the shell looks (see the examples).",
            flags: [],
            arguments: [.choice(Options.Shell.allCases.map(\.rawValue))],
            examples: [
                Example(
                    line: "gpuprobe completions bash > /etc/bash_completion.d/gpuprobe",
                    note: "bash (bash-completion loads it in new shells)."
                ),
                Example(
                    line:
                        "gpuprobe completions zsh > /usr/local/share/zsh/site-functions/_gpuprobe",
                    note: "zsh (a folder on $fpath; run compinit again)."
                ),
                Example(
                    line: "gpuprobe completions fish > ~/.config/fish/completions/gpuprobe.fish",
                    note: "fish."
                ),
            ]
        ),
        CommandSpec(
            name: "help",
            summary: "show the help, or a command's help",
            synopsis: ["help [COMMAND|man]"],
            details: "Show the whole help, or one command's flags and examples "
                + "(the same as `gpuprobe COMMAND --help`); `help man` prints the manual page "
                + "(roff), written from the same table.",
            flags: [],
            arguments: [
                .choice([
                    "probe", "capture", "parse", "match", "dockerfile", "run-flags",
                    "stage-ascend", "check", "completions", "help", "man",
                ])
            ],
            examples: [
                Example(line: "gpuprobe help match", note: "match's flags and examples."),
                Example(line: "gpuprobe help man | man -l -", note: "The manual page."),
            ]
        ),
    ]

    /// `-h/--help` and `-V/--version`: every command takes them (help wins over the rest of
    /// the line; `--version` prints the one version the whole tool has).
    public static let common: [Flag] = [
        Flag(["-h", "--help"], "Show this help."),
        Flag(["-V", "--version"], "Show the version."),
    ]
}
