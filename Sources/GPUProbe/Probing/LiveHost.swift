/// Reads a snapshot from the machine we run on.
public enum LiveHost {
    /// Files larger than this are cut (the ones we read are a few hundred bytes).
    public static let fileLimit = 1 << 20

    /// How to read the host; the defaults read the real machine.
    public struct Options: Sendable {
        /// Seconds each tool may run before it is killed.
        public var timeout: Double = 10
        /// Prefix for every file path (`/` on a real host; a fake root in tests).
        public var root: String = "/"
        /// Where to look for tools; nil means `$PATH` plus the places drivers install them.
        public var toolSearchPath: [String]?
        /// libpci's source; `.automatic` on a real host.
        public var pciSource: LibPCI.Source = .automatic
        /// Also copy each PCI device's config space (capture needs it; a probe does not).
        public var readPCIConfig = false

        /// The defaults: a real host, 10 s per tool.
        public init() {}
    }

    /// Directories searched for each tool beyond `$PATH`: driver installers put nvidia-smi in
    /// /usr/bin, WSL in /usr/lib/wsl/lib, NVIDIA's container images in /usr/local/nvidia/bin;
    /// npu-smi lives in /usr/local/bin on servers and /usr/local/sbin on edge boxes.
    public static let extraToolDirectories = [
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
        "/usr/lib/wsl/lib", "/usr/local/nvidia/bin",
    ]

    /// Reads everything the report needs; tools run concurrently, each under the timeout.
    ///
    /// - Parameter options: where and how to read.
    /// - Returns: the raw snapshot; failures are recorded in it, never thrown.
    public static func snapshot(_ options: Options = Options()) -> HostSnapshot {
        let searchPath = options.toolSearchPath ?? (environmentPath() + extraToolDirectories)
        let jobs: [@Sendable () -> (String, ToolRun)] = HostSnapshot.toolsToRun.map { tool in
            {
                guard let path = ToolRunner.locate(tool.name, in: searchPath) else {
                    return (
                        tool.name, ToolRun(arguments: tool.arguments, path: nil, outcome: .notFound)
                    )
                }
                return (tool.name, ToolRunner.run(path, tool.arguments, timeout: options.timeout))
            }
        }
        let pending = Concurrent.start(jobs)

        var files: [String: FileContent] = [:]
        for path in HostSnapshot.filesOfInterest {
            files[path] = readFile(join(options.root, path))
        }
        let pci = Result { () throws(PCIError) in
            try LibPCI.scan(options.pciSource, readConfig: options.readPCIConfig)
        }
        let tools = Dictionary(pending.wait(), uniquingKeysWith: { first, _ in first })
        return HostSnapshot(uname: currentUname(), files: files, tools: tools, pci: pci)
    }

    /// Reads a file whole, up to `limit` bytes, telling missing from unreadable.
    ///
    /// Only regular files are read (the files of `/proc` and `/sys` are regular files): opening
    /// a FIFO for reading would block until a writer came, and a device can be endless, so the
    /// open does not block and anything else found in a file's place is unreadable. A file
    /// longer than `limit` comes back cut at `limit` bytes.
    static func readFile(_ path: String, limit: Int = fileLimit) -> FileContent {
        switch BoundedFile.read(path, limit: limit) {
        case .success(let read): .content(read.bytes)
        case .failure(.missing): .missing
        case .failure(.notRegular(let kind)): .unreadable("it is \(kind), not a regular file")
        case .failure(.failed(let reason)): .unreadable(reason)
        }
    }

    static func currentUname() -> Uname {
        let kernel = HostSystem.kernel()
        return Uname(
            sysname: kernel.sysname,
            nodename: kernel.nodename,
            release: kernel.release,
            machine: kernel.machine
        )
    }

    private static func environmentPath() -> [String] {
        guard let value = HostSystem.environment("PATH") else { return [] }
        return value.split(separator: ":").map(String.init)
    }

    private static func join(_ root: String, _ path: String) -> String {
        root == "/" ? path : (root.hasSuffix("/") ? String(root.dropLast()) : root) + path
    }
}
