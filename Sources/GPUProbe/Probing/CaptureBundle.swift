/// A host snapshot on disk: what `gpuprobe capture DIR` writes and `probe --replay DIR` reads.
///
/// Layout (format `gpuprobe/capture/v1`):
/// - `manifest.json`: uname, how each tool ended, which files were missing or unreadable;
/// - `pci/config.txt`: every device's config space in `lspci -x` format, read back through
///   libpci's dump method; `pci/sysfs.tsv`: the kernel driver and NUMA node per device, which
///   config space does not hold;
/// - `tools/<tool>.stdout`, `tools/<tool>.stderr`: the raw output;
/// - `files/<absolute path>`: each file as read (`files/proc/driver/nvidia/version`).
public enum CaptureBundle {
    /// The manifest's format identifier.
    public static let format = "gpuprobe/capture/v1"

    /// Writes `snapshot` into a new folder at `directory`, atomically.
    ///
    /// Everything is written into a hidden sibling folder first and renamed into place at the
    /// end, so an interrupted capture never leaves a half-written bundle under the real name.
    /// - Parameters:
    ///   - snapshot: what the probe read.
    ///   - directory: the bundle folder; it must not exist unless `replace` is true.
    ///   - replace: replace an existing folder.
    ///   - createdAt: a timestamp string for the manifest.
    /// - Throws: ``CaptureError`` naming the path and what to do.
    public static func write(
        _ snapshot: HostSnapshot,
        to directory: String,
        replace: Bool = false,
        createdAt: String? = nil
    ) throws(CaptureError) {
        // The path as written, not cleaned by its text: `link/../x` is `x` beside the link's
        // target, as the kernel resolves it, not `./x`. A last step of `.` or `..` names a
        // folder that holds others (the current one, its parent), never a new bundle.
        let target = FileSystem.trimmingSlashes(directory)
        let name = FileSystem.lastComponent(target)
        guard !target.isEmpty, name != ".", name != "..", name != "/" else {
            throw .notANewFolder(path: directory)
        }
        if FileSystem.exists(target) {
            guard replace else { throw .exists(path: directory) }
            try checkReplaceable(target, as: directory)
        }
        let folder = FileSystem.parent(target)
        let staging = FileSystem.join(folder, ".\(name).partial-\(HostSystem.processID)")
        // The bundle being replaced is moved here, then removed once the new one is in place.
        let aside = FileSystem.join(folder, ".\(name).old-\(HostSystem.processID)")
        let stagingToken = Interruption.removeOnInterrupt(staging)
        let asideToken = Interruption.removeOnInterrupt(aside)
        defer {
            Interruption.forget(stagingToken)
            Interruption.forget(asideToken)
        }
        do {
            try? FileSystem.removeTree(staging)
            try? FileSystem.removeTree(aside)
            // The parent must exist: folders made for a capture that then fails would stay.
            try FileSystem.createFolder(staging)
            try writeContents(snapshot, into: staging, createdAt: createdAt)
            Interruption.testHold("capture")
            try Interruption.uninterrupted { () throws(CaptureError) in
                try commit(staging, to: target, aside: aside, replace: replace, as: directory)
            }
            try? FileSystem.removeTree(aside)
        } catch let error as CaptureError {
            try? FileSystem.removeTree(staging)
            throw error
        } catch {
            try? FileSystem.removeTree(staging)
            throw .writeFailed(path: directory, reason: systemReason(error))
        }
    }

    /// What a capture writes at the top of its folder, and nothing else.
    static let bundleEntries: Set<String> = ["manifest.json", "pci", "tools", "files"]

    /// Refuses to replace `path` unless it is a capture folder as `capture` writes one: a
    /// folder (not a link to one) whose `manifest.json` says `gpuprobe/capture/...` and that
    /// holds nothing a capture does not write.
    ///
    /// `--force` is for taking a host again into the same folder; a typo (`capture --force ..`,
    /// a home folder, a build context) must not cost a person their files. Something a person
    /// added to a bundle (notes, an expected report) is theirs too, so it also stops the
    /// replacement.
    static func checkReplaceable(_ path: String, as shown: String) throws(CaptureError) {
        guard let info = try? FileSystem.info(path) else { return }
        guard info.kind == .directory else {
            throw .notACapture(path: shown, reason: "is \(StagePlan.describe(info.kind))")
        }
        let names: [String]
        do {
            names = try FileSystem.names(in: path)
        } catch {
            throw .notACapture(path: shown, reason: "cannot be listed (\(error.reason))")
        }
        if let other = names.sorted().first(where: { !bundleEntries.contains($0) }) {
            throw .notACapture(
                path: shown,
                reason: "holds '\(other)', which capture does not write"
            )
        }
        let manifest = FileSystem.join(path, "manifest.json")
        guard case .success(let file) = BoundedFile.read(manifest, limit: 1 << 20),
            let value = try? JSONParser.parse(file.bytes),
            case .object(let fields) = value,
            case .string(let format)? = fields["format"],
            format.hasPrefix("gpuprobe/capture/")
        else {
            throw .notACapture(path: shown, reason: "has no gpuprobe capture manifest.json")
        }
    }

    /// The system's words for why a file operation failed ("Not a directory"), else the
    /// error's description on one line.
    private static func systemReason(_ error: any Error) -> String {
        if let failure = error as? FileSystem.Failure { return failure.reason }
        return "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Puts the finished bundle in place: the old one (when replacing) aside first, so that
    /// a failed rename can put it back.
    private static func commit(
        _ staging: String,
        to target: String,
        aside: String,
        replace: Bool,
        as directory: String
    ) throws(CaptureError) {
        var moved = false
        if replace {
            do {
                try FileSystem.rename(target, to: aside)
                moved = true
            } catch {
                // Nothing there to move aside is as good.
                guard error == .noSuchFile else {
                    throw .writeFailed(path: directory, reason: error.reason)
                }
            }
        }
        if moved {
            // Checked again once it is out of reach of other writers: what was a capture when
            // the probe began may have been replaced by something else since.
            do throws(CaptureError) {
                try checkReplaceable(aside, as: directory)
            } catch {
                try? FileSystem.rename(aside, to: target)
                throw error
            }
        }
        // Without replace, rename onto an existing empty folder would succeed: refuse instead.
        if !replace, FileSystem.exists(target, followingLinks: true) {
            throw .exists(path: directory)
        }
        do {
            try FileSystem.rename(staging, to: target)
        } catch {
            if moved { try? FileSystem.rename(aside, to: target) }
            throw .writeFailed(path: directory, reason: error.reason)
        }
    }

    private static func writeContents(
        _ snapshot: HostSnapshot,
        into root: String,
        createdAt: String?
    ) throws {
        var manifest = Manifest(format: format, createdAt: createdAt, uname: snapshot.uname)
        switch snapshot.pci {
        case .success(let scan):
            manifest.pci = .init(method: scan.method, error: nil)
            try put(
                ConfigDump.render(devices: scan.devices, configSpace: scan.configSpace),
                root,
                "pci/config.txt"
            )
            let rows = scan.devices.map { device in
                [
                    device.address.description, device.kernelDriver ?? "-",
                    device.numaNode.map(String.init) ?? "-",
                ].joined(separator: "\t")
            }
            try put(
                (["address\tdriver\tnuma_node"] + rows).joined(separator: "\n") + "\n",
                root,
                "pci/sysfs.tsv"
            )
        case .failure(let error):
            manifest.pci = .init(method: nil, error: error.description)
        }
        for (name, run) in snapshot.tools.sorted(by: { $0.key < $1.key }) {
            manifest.tools[name] = Manifest.Tool(run)
            try put(run.stdout, root, "tools/\(name).stdout")
            try put(run.stderr, root, "tools/\(name).stderr")
        }
        for (path, content) in snapshot.files.sorted(by: { $0.key < $1.key }) {
            switch content {
            case .content(let bytes):
                manifest.files[path] = "present"
                try put(bytes, root, "files" + path)
            case .missing:
                manifest.files[path] = "missing"
            case .unreadable(let reason):
                manifest.files[path] = "unreadable: " + reason
            }
        }
        try put(try JSONCoding.encode(manifest, layout: .pretty) + [0x0a], root, "manifest.json")
    }

    /// Reads a bundle back into a snapshot; PCI devices come from libpci's dump method.
    ///
    /// - Parameter directory: the bundle folder.
    /// - Returns: the snapshot the bundle holds.
    /// - Throws: ``CaptureError`` when the folder or its manifest cannot be read.
    public static func read(from directory: String) throws(CaptureError) -> HostSnapshot {
        let manifestLimit = 1 << 20
        // 4096 bytes of config space per device as hex text is under 14 KiB; 64 MiB is
        // thousands of devices.
        let configLimit = 64 << 20
        // Absolute, so that messages name the files wherever gpuprobe was run from.
        let root = FileSystem.absolute(directory)
        let manifestPath = FileSystem.join(root, "manifest.json")
        let data: [UInt8]
        switch BoundedFile.read(manifestPath, limit: manifestLimit) {
        case .success(let read) where read.complete: data = read.bytes
        case .success:
            throw .badFile(
                path: manifestPath,
                reason: "is larger than \(BoundedFile.sizeText(manifestLimit))"
            )
        case .failure(.missing): throw .notABundle(path: directory)
        case .failure(let failure):
            throw .badFile(path: manifestPath, reason: failure.reason)
        }
        let manifest: Manifest
        do {
            manifest = try JSONCoding.decode(Manifest.self, from: data)
        } catch let error as DecodingError {
            throw .badManifest(path: manifestPath, reason: HostReportDecoding.oneLine(error))
        } catch {
            throw .badManifest(path: manifestPath, reason: "\(error)")
        }
        guard manifest.format == format else {
            throw .unsupportedFormat(path: manifestPath, format: manifest.format)
        }
        try manifest.checkNames(manifestPath)

        /// A file the manifest lists; nil when it is missing, an error when it is not what a
        /// capture writes.
        func contents(_ relative: String, limit: Int) throws(CaptureError) -> [UInt8]? {
            let path = FileSystem.join(root, relative)
            switch BoundedFile.read(path, limit: limit) {
            case .success(let read) where read.complete: return read.bytes
            case .success:
                throw .badFile(path: path, reason: "is larger than \(BoundedFile.sizeText(limit))")
            case .failure(.missing): return nil
            case .failure(let failure): throw .badFile(path: path, reason: failure.reason)
            }
        }
        var files: [String: FileContent] = [:]
        for (path, state) in manifest.files {
            if state == "present" {
                let bytes = try contents("files" + path, limit: LiveHost.fileLimit)
                files[path] = bytes.map { .content($0) } ?? .missing
            } else if state.hasPrefix("unreadable") {
                files[path] = .unreadable(String(state.dropFirst("unreadable: ".count)))
            } else {
                files[path] = .missing
            }
        }
        var tools: [String: ToolRun] = [:]
        for (name, tool) in manifest.tools {
            let out = try contents("tools/\(name).stdout", limit: ToolRunner.outputLimit)
            let err = try contents("tools/\(name).stderr", limit: ToolRunner.outputLimit)
            tools[name] = ToolRun(
                arguments: tool.arguments,
                path: tool.path,
                outcome: tool.outcome,
                stdout: out ?? [],
                stderr: err ?? [],
                truncated: tool.truncated ?? false
            )
        }
        // libpci reads the dump itself; it must not meet a FIFO or a file of gigabytes either.
        _ = try contents("pci/config.txt", limit: configLimit)
        return HostSnapshot(
            uname: manifest.uname,
            files: files,
            tools: tools,
            pci: readPCI(manifest, root, configLimit: configLimit)
        )
    }

    private static func readPCI(
        _ manifest: Manifest,
        _ root: String,
        configLimit: Int
    ) -> Result<LibPCI.Scan, PCIError> {
        let dump = FileSystem.join(root, "pci/config.txt")
        if let error = manifest.pci?.error {
            return .failure(.notCaptured(reason: error))
        }
        guard FileSystem.exists(dump) else {
            return .failure(.notCaptured(reason: "the bundle has no pci/config.txt"))
        }
        return Result { () throws(PCIError) in
            var scan: LibPCI.Scan
            do throws(PCIError) {
                scan = try LibPCI.scan(.dump(file: dump))
            } catch {
                // The message names the bundle's own file, not where the bundle happens to be.
                guard case .libpci(_, let message, _) = error else { throw error }
                throw .notCaptured(reason: "libpci could not read pci/config.txt: \(message)")
            }
            scan.method = manifest.pci?.method ?? scan.method
            // Driver and NUMA node live in sysfs, not in config space: the capture kept them.
            let tsv =
                (try? BoundedFile.read(
                    FileSystem.join(root, "pci/sysfs.tsv"),
                    limit: configLimit
                ).get().bytes)
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            var extra: [PCIAddress: (String?, Int?)] = [:]
            for line in tsv.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(
                    String.init
                )
                guard cells.count >= 3, let address = PCIAddress(cells[0]) else { continue }
                extra[address] = (cells[1] == "-" ? nil : cells[1], Int(cells[2]))
            }
            for index in scan.devices.indices {
                if let (driver, node) = extra[scan.devices[index].address] {
                    scan.devices[index].kernelDriver = driver
                    scan.devices[index].numaNode = node
                }
            }
            return scan
        }
    }

    private static func put(
        _ text: String,
        _ root: String,
        _ relative: String
    ) throws(FileSystem.Failure) {
        try put(Array(text.utf8), root, relative)
    }

    private static func put(
        _ bytes: [UInt8],
        _ root: String,
        _ relative: String
    ) throws(FileSystem.Failure) {
        let path = FileSystem.join(root, relative)
        try FileSystem.createFolder(FileSystem.parent(path), parents: true)
        try FileSystem.createFile(path, contents: bytes)
    }
}

/// The bundle's `manifest.json`.
struct Manifest: Codable {
    struct PCI: Codable {
        var method: String?
        var error: String?
    }

    struct Tool: Codable {
        var path: String?
        var arguments: [String]
        /// `exited`, `signaled`, `timeout`, `not_found`, `failed_to_start`.
        var result: String
        var status: Int32?
        var timeoutSeconds: Double?
        var reason: String?
        var truncated: Bool?

        enum CodingKeys: String, CodingKey {
            case path, arguments, result, status, reason, truncated
            case timeoutSeconds = "timeout_seconds"
        }

        init(_ run: ToolRun) {
            path = run.path
            arguments = run.arguments
            truncated = run.truncated
            switch run.outcome {
            case .exited(let code):
                result = "exited"
                status = code
            case .signaled(let signal):
                result = "signaled"
                status = signal
            case .timedOut(let seconds):
                result = "timeout"
                timeoutSeconds = seconds
            case .notFound:
                result = "not_found"
            case .failedToStart(let why):
                result = "failed_to_start"
                reason = why
            case .pasted:
                result = "pasted"
            }
        }

        var outcome: ToolOutcome {
            switch result {
            case "exited": .exited(status ?? 0)
            case "signaled": .signaled(status ?? 0)
            case "timeout": .timedOut(seconds: timeoutSeconds ?? 0)
            case "failed_to_start": .failedToStart(reason: reason ?? "unknown")
            case "pasted": .pasted
            default: .notFound
            }
        }
    }

    var format: String
    var createdAt: String?
    var uname: Uname
    var pci: PCI?
    var tools: [String: Tool] = [:]
    var files: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case format, uname, pci, tools, files
        case createdAt = "created_at"
    }

    init(format: String, createdAt: String?, uname: Uname) {
        self.format = format
        self.createdAt = createdAt
        self.uname = uname
    }

    /// Refuses names that would lead out of the bundle: file keys are absolute paths without
    /// `.` or `..` steps, tool names plain file names.
    func checkNames(_ path: String) throws(CaptureError) {
        for file in files.keys {
            let steps = file.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard file.hasPrefix("/"), !steps.isEmpty,
                steps.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
            else {
                throw .badManifest(
                    path: path,
                    reason: "file '\(file)' is not a plain absolute path"
                )
            }
        }
        for name in tools.keys {
            guard !name.isEmpty, !name.hasPrefix("."),
                name.utf8.allSatisfy({ $0 != 0x2F && $0 > 0x20 && $0 < 0x7F })
            else {
                throw .badManifest(path: path, reason: "tool '\(name)' is not a plain file name")
            }
        }
    }
}

/// Why a capture could not be written or read.
public enum CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The target folder already exists.
    case exists(path: String)
    /// Writing failed part-way; nothing was left under the target name.
    case writeFailed(path: String, reason: String)
    /// The folder has no manifest.json.
    case notABundle(path: String)
    /// `--force` was given, but what is there is not a capture folder; `reason` says why.
    case notACapture(path: String, reason: String)
    /// The path ends in `.` or `..` (or is the root): a folder that holds others.
    case notANewFolder(path: String)
    /// manifest.json is not valid.
    case badManifest(path: String, reason: String)
    /// manifest.json names a format this build does not read.
    case unsupportedFormat(path: String, format: String)
    /// A file of the bundle is not what a capture writes (too large, not a regular file).
    case badFile(path: String, reason: String)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .exists(let path):
            "'\(path)' already exists; choose a new folder or pass --force to replace it"
        case .writeFailed(let path, let reason):
            "could not write the capture '\(path)': \(reason); nothing was left behind. Pass a "
                + "new folder inside one that exists and that you can write to"
        case .notACapture(let path, let reason):
            "'\(path)' \(reason), so it is not a gpuprobe capture; --force replaces only a "
                + "capture folder as capture wrote it: move your files out, or choose a new folder"
        case .notANewFolder(let path):
            "'\(path)' names an existing folder that holds others, not a new one; pass the "
                + "capture folder itself, such as '\(path)/host-capture'"
        case .notABundle(let path):
            "'\(path)' has no manifest.json; pass a folder written by `gpuprobe capture`"
        case .badManifest(let path, let reason):
            "'\(path)' is not a valid capture manifest (\(reason)); capture the host again"
        case .badFile(let path, let reason):
            "'\(path)' \(reason), which no capture writes; capture the host again"
        case .unsupportedFormat(let path, let format):
            "'\(path)' is format '\(format)', this gpuprobe reads '\(CaptureBundle.format)'; "
                + "use a gpuprobe that matches, or capture again"
        }
    }
}
