/// Reads an NVIDIA `.run` installer without running it, in one pass over the file.
///
/// The file is read once, in 1 MiB chunks: every chunk goes to SHA-256 and, until the payload's
/// tar archive ends, also to a ``PayloadScanner``, which decodes it and keeps
/// `supported-gpus/supported-gpus.json`. Nothing is extracted to disk and no part of the file is
/// executed. A 300 MB installer costs one sequential read and about 2 MiB of buffers plus the
/// decoder's window.
///
/// Everything is bounded, because the file is a download: only a regular file outside the
/// kernel's pseudo-filesystems is read, at most ``Limits/fileSize`` bytes of it and never more
/// than its size said when opened; the payload decodes to at most ``Limits/decoded`` bytes;
/// and reading stops as soon as the file is known to be unusable (a bad header, a damaged
/// payload, a name that disagrees with the header), so a 20 GiB file of zeros costs one
/// 1 MiB read, not a hash of 20 GiB.
public enum DriverInstallerReader {
    /// The largest supported-gpus.json kept.
    public static let listLimit = SupportedGPUsList.sizeLimit

    /// Bytes per `read(2)`.
    static let chunkSize = 1 << 20

    /// How much the reader reads and decodes at most.
    struct Limits: Sendable {
        /// The largest installer read, 2 GiB: NVIDIA's are under 450 MB.
        var fileSize: Int64 = 2 << 30
        /// The most bytes the payload may decode to.
        var decoded: Int64 = PayloadScanner.decodedLimit
        /// Bytes decoded before the compression ratio is bounded.
        var ratioSlack: Int64 = PayloadScanner.ratioSlack
        /// The largest supported-gpus.json.
        var list: Int = SupportedGPUsList.sizeLimit
    }

    /// Reads the installer at `path`.
    ///
    /// Never throws: a file that cannot be opened, read or understood comes back with
    /// ``DriverInstaller/problem`` saying why and what to do, and with whatever could be read.
    /// - Parameter path: the `.run` file.
    /// - Returns: the record; ``DriverInstaller/fileName`` is the last path component.
    public static func read(path: String) -> DriverInstaller {
        readWithIdentity(path: path).installer
    }

    /// Reads the installer and returns it with the identity of the file that was read (from
    /// `fstat` on the open descriptor, before reading), or nil when it could not be read.
    ///
    /// A file that was read but found unusable keeps its identity, so that the cache remembers
    /// the verdict until the file changes.
    static func readWithIdentity(
        path: String,
        shownAs fileName: String? = nil,
        limits: Limits = Limits()
    ) -> (installer: DriverInstaller, identity: FileIdentity?) {
        let fileName = fileName ?? path.split(separator: "/").last.map(String.init) ?? path
        // O_NONBLOCK: a FIFO in the file's place must not block the open; fstat below refuses it.
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .nonBlocking)
        } catch {
            return (failed(fileName, size: 0, "could not open it: \(error.reason)" + checkIt), nil)
        }
        defer { fd.close() }
        let info: FileInfo
        do {
            info = try fd.info()
        } catch {
            return (failed(fileName, size: 0, "could not stat it: \(error.reason)" + checkIt), nil)
        }
        let identity = FileIdentity(info)
        if let why = refusal(fd, info, limits: limits) {
            return (failed(fileName, size: identity.size, why), nil)
        }
        var pass = SinglePass(fileName: fileName, size: identity.size, limits: limits)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        // The size fstat gave is all that is read: a file that grows while it is read (or a
        // kernel file whose size says nothing) is not what was looked at.
        var left = identity.size
        var first = true
        while left >= 0 {
            let want = UnsafeMutableRawBufferPointer(
                rebasing: buffer[..<Int(min(Int64(buffer.count), left + 1))]
            )
            let count: Int
            switch fill(fd, want) {
            case .failure(let error):
                let why = "could not read it: \(error)" + checkIt
                return (failed(fileName, size: identity.size, why), nil)
            case .success(let filled):
                count = filled
            }
            if Int64(count) > left {
                let why =
                    "it holds more than the \(identity.size) bytes its size says (it grew "
                    + "while it was read, or is a kernel file): wait until it is complete, or put "
                    + "only NVIDIA-Linux-*.run files here"
                return (failed(fileName, size: identity.size, why), nil)
            }
            left -= Int64(count)
            let atEnd = count < want.count
            if atEnd, left > 0 {
                let why = "it shrank while it was read; wait until it is complete and run again"
                return (failed(fileName, size: identity.size, why), nil)
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            if first {
                pass.start(chunk, endsFile: atEnd)
                first = false
            }
            // A file known to be unusable is not read further: its hash is of no use.
            let goOn = pass.consume(chunk)
            if atEnd { break }
            guard goOn else {
                pass.stop()
                break
            }
        }
        return (pass.finish(), identity)
    }

    /// Why the open file is not read at all, or nil.
    private static func refusal(_ fd: FileDescriptor, _ info: FileInfo, limits: Limits) -> String? {
        guard info.kind == .regular else {
            return "it is \(info.kindText), not a regular file; put only "
                + "NVIDIA-Linux-*.run files here"
        }
        if let system = pseudoFileSystem(info) {
            return "it is a file of the kernel's \(system), not an installer; put only "
                + "NVIDIA-Linux-*.run files here"
        }
        let size = info.size
        guard size <= limits.fileSize else {
            return "it is \(size) bytes, larger than the \(PayloadError.size(limits.fileSize)) "
                + "gpuprobe reads (NVIDIA's installers are under 450 MB); it is not an NVIDIA "
                + "installer: download it again from NVIDIA"
        }
        // A download that was cut, or a file preallocated and never filled, has holes; a whole
        // installer has none, as a compressed stream has no runs of zero pages.
        if let hole = fd.nextHole(from: 0), hole < size {
            return "it has a hole at byte \(hole) (a sparse file): a download that was cut or "
                + "never finished; download it again"
        }
        fd.rewind()
        return nil
    }

    /// The kernel pseudo-filesystem a file lies on (`/proc`, `/sys`), whose files report a
    /// size of 0 or 4096 whatever they hold and may never end; nil for any other.
    private static func pseudoFileSystem(_ info: FileInfo) -> String? {
        for folder in ["/proc", "/sys"] {
            if let system = try? FileSystem.info(folder, followingLinks: true),
                system.device == info.device
            {
                return folder
            }
        }
        return nil
    }

    /// Reads until `buffer` is full or the file ends; the count read, or the error text.
    private static func fill(
        _ fd: FileDescriptor,
        _ buffer: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ReadFailure> {
        var count = 0
        while count < buffer.count {
            let got: Int
            do {
                got = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            } catch {
                return .failure(ReadFailure(text: error.reason))
            }
            if got == 0 { break }
            count += got
        }
        return .success(count)
    }

    private static func failed(_ fileName: String, size: Int64, _ why: String) -> DriverInstaller {
        DriverInstaller(
            fileName: fileName,
            variant: InstallerFileName(fileName)?.variant,
            size: size,
            problem: why
        )
    }

    private static let checkIt = "; check the file's permissions, or download it again"

    private struct ReadFailure: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}

/// The work of one read: header, name checks, hashing and the payload scan.
private struct SinglePass {
    private var installer: DriverInstaller
    private var hasher = SHA256()
    private var scanner: PayloadScanner?
    private let limits: DriverInstallerReader.Limits
    /// Why the file is unusable, once known; reading stops then.
    private var problem: String?
    /// Whether every byte went to the hash.
    private var hashedAll = true

    init(fileName: String, size: Int64, limits: DriverInstallerReader.Limits) {
        installer = DriverInstaller(
            fileName: fileName,
            variant: InstallerFileName(fileName)?.variant,
            size: size
        )
        self.limits = limits
    }

    /// Reads the header from the first chunk and checks the file name against it.
    mutating func start(_ chunk: UnsafeRawBufferPointer, endsFile: Bool) {
        let prefix = Array(chunk.prefix(RunHeader.prefixLimit))
        let header: RunHeader
        do throws(RunHeaderError) {
            header = try RunHeader.parse(prefix, endsFile: endsFile && prefix.count == chunk.count)
        } catch {
            problem = error.description
            return
        }
        installer.version = header.version.text
        installer.architecture = header.targetArchitecture
        installer.label = header.label
        let fileName = installer.fileName
        if let name = InstallerFileName(fileName) {
            if let disagreement = name.disagreement(with: header, fileName: fileName) {
                problem = disagreement
                return
            }
        } else {
            let arch = header.targetArchitecture ?? "<arch>"
            problem =
                "the file name '\(fileName)' does not follow \(InstallerFileName.pattern) "
                + "while its header says version \(header.version), architecture "
                + "\(header.targetArchitecture ?? "unknown"); rename it "
                + "NVIDIA-Linux-\(arch)-\(header.version).run"
            return
        }
        scanner = PayloadScanner(
            skip: header.skip,
            limit: limits.list,
            decodedLimit: limits.decoded,
            ratioSlack: limits.ratioSlack
        )
    }

    /// Hashes the chunk and, while the payload is still being read, scans it.
    ///
    /// - Returns: false once the file is known to be unusable: the rest need not be read.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard problem == nil else {
            hashedAll = false
            return false
        }
        hasher.update(chunk)
        do throws(PayloadError) {
            try scanner?.consume(chunk)
            installer.compression = scanner?.compression
        } catch {
            installer.compression = scanner?.compression
            problem = error.description
            scanner = nil
            return false
        }
        return true
    }

    /// Reading stopped before the end of the file: there is no hash of it.
    mutating func stop() {
        hashedAll = false
    }

    /// The record, once the whole file was consumed or reading stopped.
    mutating func finish() -> DriverInstaller {
        if problem == nil, let list = finishPayload() {
            do throws(SupportedGPUsError) {
                installer.supportedGPUs = SupportedGPUsList.compacted(
                    try SupportedGPUsList.parse(list)
                )
            } catch {
                problem = error.description
            }
        }
        // A hash of part of the file would be no hash of it.
        if hashedAll { installer.sha256 = hasher.hexDigest() }
        installer.problem = problem
        return installer
    }

    /// Ends the payload scan and returns the list, if the payload held one; the scanner, and
    /// with it the decoder's buffers and window, is gone before the list is parsed.
    private mutating func finishPayload() -> [UInt8]? {
        guard var scanner else { return nil }
        self.scanner = nil
        do throws(PayloadError) {
            try scanner.finish()
        } catch {
            problem = error.description
        }
        return problem == nil ? scanner.found : nil
    }
}

/// What identifies a file's content without reading it: size, modification and change times,
/// device and inode.
///
/// The change time (`st_ctim`) is in it because the modification time is not enough: `touch -r`
/// or any `utimes` call sets the modification time back after an edit in place, but the kernel
/// sets the change time to now on every write and every `utimes`, and no call sets it back.
struct FileIdentity: Hashable, Codable, Sendable {
    /// Size in bytes.
    var size: Int64
    /// Modification time in nanoseconds since the epoch.
    var modifiedNanoseconds: Int64
    /// Status change time in nanoseconds since the epoch.
    var changedNanoseconds: Int64
    /// Device of the filesystem holding the file.
    var device: UInt64
    /// Inode number: a file replaced by rename is a new inode even with the same size and time.
    var inode: UInt64

    init(
        size: Int64,
        modifiedNanoseconds: Int64,
        changedNanoseconds: Int64,
        device: UInt64,
        inode: UInt64
    ) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
        self.device = device
        self.inode = inode
    }

    init(_ info: FileInfo) {
        size = info.size
        modifiedNanoseconds = info.modifiedNanoseconds
        changedNanoseconds = info.changedNanoseconds
        device = info.device
        inode = info.inode
    }

    enum CodingKeys: String, CodingKey {
        case size
        case modifiedNanoseconds = "mtime_ns"
        case changedNanoseconds = "ctime_ns"
        case device
        case inode
    }
}
