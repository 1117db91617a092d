/// Everything a probe read from a host, raw: the input of ``HostReportBuilder``.
///
/// A live probe fills it from the machine, `gpuprobe capture` writes it to a folder and
/// `probe --replay` reads it back, so the same pure code turns it into a report in all three
/// cases.
public struct HostSnapshot: Sendable {
    /// What `uname(2)` said.
    public var uname: Uname
    /// Files by absolute path (see ``HostSnapshot/filesOfInterest``).
    public var files: [String: FileContent]
    /// Tool runs by tool name (`nvidia-smi`, `npu-smi`).
    public var tools: [String: ToolRun]
    /// The PCI bus, or why it could not be read.
    public var pci: Result<LibPCI.Scan, PCIError>

    /// Creates a snapshot.
    public init(
        uname: Uname,
        files: [String: FileContent],
        tools: [String: ToolRun],
        pci: Result<LibPCI.Scan, PCIError>
    ) {
        self.uname = uname
        self.files = files
        self.tools = tools
        self.pci = pci
    }

    /// The files the probe reads; markers (`/.dockerenv`) only need to exist.
    public static let filesOfInterest = [
        Paths.nvidiaProcVersion,
        Paths.nvidiaSysVersion,
        Paths.osRelease,
        Paths.osReleaseFallback,
        Paths.procVersion,
        Paths.initCgroup,
        Paths.dockerEnv,
        Paths.containerEnv,
        Paths.ascendVersionInfo,
        Paths.ascendInstallInfo,
        Paths.vnpuConfig,
    ]

    /// The tools the probe runs, with the one argument list each gets.
    ///
    /// nvidia-smi runs once: `-q -x` carries driver and CUDA versions, every GPU's name, bus id,
    /// UUID, memory, MIG mode and the processes on every driver generation; compute capability
    /// (which `--query-gpu` rejects on R470) is derived from the PCI device ID instead.
    public static let toolsToRun: [(name: String, arguments: [String])] = [
        (name: "nvidia-smi", arguments: ["-q", "-x"]),
        (name: "npu-smi", arguments: ["info"]),
    ]

    /// The text of a file, when it was read.
    public func text(_ path: String) -> String? {
        guard case .content(let bytes) = files[path] else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a file exists (read or not).
    public func exists(_ path: String) -> Bool {
        switch files[path] {
        case .content, .unreadable: true
        case .missing, nil: false
        }
    }
}

/// Absolute paths the probe reads.
public enum Paths {
    /// The loaded NVIDIA kernel module's banner, with its version.
    public static let nvidiaProcVersion = "/proc/driver/nvidia/version"
    /// The module version alone (present while the module is loaded).
    public static let nvidiaSysVersion = "/sys/module/nvidia/version"
    /// Distribution identity.
    public static let osRelease = "/etc/os-release"
    /// Where os-release lives when /etc has only a link.
    public static let osReleaseFallback = "/usr/lib/os-release"
    /// Kernel banner; names Microsoft under WSL.
    public static let procVersion = "/proc/version"
    /// Init's cgroups; name the container runtime inside one.
    public static let initCgroup = "/proc/1/cgroup"
    /// Docker's marker file.
    public static let dockerEnv = "/.dockerenv"
    /// Podman's marker file.
    public static let containerEnv = "/run/.containerenv"
    /// Ascend driver version file.
    public static let ascendVersionInfo = "/usr/local/Ascend/driver/version.info"
    /// Ascend install record.
    public static let ascendInstallInfo = "/etc/ascend_install.info"
    /// Ascend virtual-NPU configuration (310P).
    public static let vnpuConfig = "/etc/vnpu.cfg"
}

/// What `uname(2)` reports.
public struct Uname: Hashable, Sendable, Codable {
    /// `Linux`.
    public var sysname: String
    /// Host name.
    public var nodename: String
    /// Kernel release.
    public var release: String
    /// Machine architecture (`x86_64`, `aarch64`).
    public var machine: String

    /// Creates a record.
    public init(sysname: String, nodename: String, release: String, machine: String) {
        self.sysname = sysname
        self.nodename = nodename
        self.release = release
        self.machine = machine
    }
}

/// A file as the probe found it.
public enum FileContent: Hashable, Sendable {
    /// Read; the bytes (at most ``LiveHost/fileLimit``).
    case content([UInt8])
    /// Does not exist.
    case missing
    /// Exists but could not be read; the reason.
    case unreadable(String)
}
