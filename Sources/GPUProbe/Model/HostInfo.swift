/// The machine itself: name, architecture, kernel, OS, and whether we run contained.
public struct HostInfo: Hashable, Sendable, Codable {
    /// Host name (`uname -n`).
    public var hostname: String?
    /// Machine architecture as `uname -m` prints it (`x86_64`, `aarch64`).
    public var architecture: String?
    /// Kernel release (`uname -r`).
    public var kernel: String?
    /// From `/etc/os-release`.
    public var os: OSInfo?
    /// True when a container marker was found (`/.dockerenv`, `/run/.containerenv`, cgroup).
    public var container: Bool
    /// Which runtime the marker names (`docker`, `podman`, `kubernetes`, `lxc`), when it does.
    public var containerRuntime: String?
    /// True under Windows Subsystem for Linux (kernel release or `/proc/version` says so).
    public var wsl: Bool

    /// Creates a host record.
    public init(
        hostname: String? = nil,
        architecture: String? = nil,
        kernel: String? = nil,
        os: OSInfo? = nil,
        container: Bool = false,
        containerRuntime: String? = nil,
        wsl: Bool = false
    ) {
        self.hostname = hostname
        self.architecture = architecture
        self.kernel = kernel
        self.os = os
        self.container = container
        self.containerRuntime = containerRuntime
        self.wsl = wsl
    }

    enum CodingKeys: String, CodingKey {
        case hostname, architecture, kernel, os, container, wsl
        case containerRuntime = "container_runtime"
    }
}

/// The distribution, from `/etc/os-release`.
public struct OSInfo: Hashable, Sendable, Codable {
    /// `ID` (`debian`, `ubuntu`, `openEuler`).
    public var id: String?
    /// `VERSION_ID` (`12`, `22.04`).
    public var versionID: String?
    /// `PRETTY_NAME`.
    public var prettyName: String?

    /// Creates an OS record.
    public init(id: String? = nil, versionID: String? = nil, prettyName: String? = nil) {
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
    }

    enum CodingKeys: String, CodingKey {
        case id
        case versionID = "version_id"
        case prettyName = "pretty_name"
    }
}
