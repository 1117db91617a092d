/// The version this build reports.
public enum GPUProbeVersion {
    /// Semantic version of the tool; the JSON contract has its own (`gpuprobe/host/v1`).
    public static let current = "0.1.0"
}

/// `gpuprobe --help`.
public enum HelpText {
    /// The usage line printed after a usage error.
    public static let usage =
        "usage: gpuprobe [probe] [--format json|text] [--timeout S] [--replay DIR]\n"
        + "       gpuprobe capture DIR [--force] [--timeout S]\n"
        + "       gpuprobe parse nvidia-smi|npu-smi|lspci [FILE|-] [--format json|text]"

    /// The whole help text.
    public static let full = """
        gpuprobe \(GPUProbeVersion.current): what GPUs and NPUs this host has, as one JSON document.

        \(usage)

        Commands:
          probe              Enumerate PCI devices through libpci, read the NVIDIA kernel module
                             version, run `nvidia-smi -q -x` and `npu-smi info` (each once, at the
                             same time, with a timeout) and print the report (the default command).
          capture DIR        Write everything the probe reads, raw, into the new folder DIR:
                             PCI config space as an `lspci -x` dump, each tool's output and exit
                             status, and the /proc, /sys and /etc files. Replay it with --replay.
          parse TOOL [FILE]  Read a pasted output of nvidia-smi (table, --query-gpu CSV, -q, -q -x),
                             npu-smi (info, info -m) or lspci (-nn, -Dnn, -vmm, -k, -vvv, and -x
                             dumps read through libpci) from FILE or standard input, and print the
                             section the probe would produce.

        Not implemented yet (planned; see the README's roadmap):
          match, dockerfile, run-flags, stage-ascend, check

        Options:
          --format json|text  JSON (default; pretty, sorted keys) or a short summary for people.
          --timeout S         Seconds each tool may run before it is killed (default 10).
          --replay DIR        Build the report from a capture folder instead of this host.
          --force             capture: replace DIR if it exists.
          --root PATH         Read /proc, /sys and /etc files under PATH (a host root mounted
                              elsewhere, or a fake root in tests).
          --tool-path DIRS    Colon-separated folders to find nvidia-smi and npu-smi in, instead
                              of $PATH and the usual install places.
          --sysfs PATH        libpci's sysfs folder instead of /sys/bus/pci.
          -h, --help          Show this help.
          -V, --version       Show the version.

        Exit status:
          0   the report (or parsed section) was printed; problems on the host are reported
              inside it as diagnostics, not by the exit status
          1   the output could not be written (for example, capture could not create DIR)
          2   the input could not be read (missing file, not a capture, input too large)
          64  the command line is wrong

        The JSON contract is gpuprobe/host/v1; its schema is schema/host-v1.schema.json.
        """
}
