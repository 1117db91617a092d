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
        + "       gpuprobe parse nvidia-smi|npu-smi|lspci [FILE|-] [--format json|text]\n"
        + "       gpuprobe match [--host FILE|-] [--drivers DIR] [--python X.Y] [--torch VERSION]\n"
        + "                      [--catalog FILE] [--pip-index-url URL] [--format json|text]"

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
          match              Pick the NVIDIA userspace driver installer (.run) from the drivers
                             folder and the PyTorch wheels for a host, and explain every choice
                             and rejection (plan gpuprobe/plan/v1). The host comes from a probe
                             JSON (--host, made on the GPU host) or from probing this machine.

        Not implemented yet (planned; see the README's roadmap):
          dockerfile, run-flags, stage-ascend, check

        Options:
          --format json|text  JSON (default; pretty, sorted keys) or a short summary for people.
          --timeout S         Seconds each tool may run before it is killed (default 10).
          --replay DIR        Build the report from a capture folder instead of this host.
          --force             capture: replace DIR if it exists.
          --host FILE|-       match: the host's probe JSON (from `gpuprobe probe` on that host).
          --drivers DIR       match: the folder of NVIDIA-Linux-<arch>-<version>.run installers
                              (default Drivers). Installers are read, never run; what was read is
                              cached in $XDG_CACHE_HOME/gpuprobe (else ~/.cache/gpuprobe).
          --python X.Y        match: only releases that support this CPython.
          --torch VERSION     match: pin torch (2.7.1, or 2.7 for its newest patch).
          --catalog FILE      match: a PyTorch catalog to use instead of the one built in
                              (format: catalog/pytorch.json, schema gpuprobe/torch-catalog/v1).
          --pip-index-url URL match: a mirror of the chosen PyTorch index; {variant} in URL is
                              replaced by the variant (cu124, cpu).
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
          3   match: the plan is incomplete (no installer fits, no wheel fits, or the host has
              GPUs without a driver); the plan is still printed and says why
          64  the command line is wrong

        The JSON contracts are gpuprobe/host/v1 and gpuprobe/plan/v1; their schemas are
        schema/host-v1.schema.json and schema/plan-v1.schema.json.
        """
}
