#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads an NVIDIA `.run` installer without running it, in one pass over the file.
///
/// The file is read once, in 1 MiB chunks: every chunk goes to SHA-256, and until the payload's
/// `supported-gpus/supported-gpus.json` is found (or the payload is over) also to a
/// ``PayloadScanner``, which decodes only as far as the list. Nothing is extracted to disk and
/// no part of the file is executed. A 300 MB installer costs one sequential read and about
/// 2 MiB of buffers plus the decoder's window.
public enum DriverInstallerReader {
    /// The largest supported-gpus.json kept (NVIDIA's is about 400 KB).
    public static let listLimit = 32 << 20

    /// Bytes per `read(2)`.
    static let chunkSize = 1 << 20

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
    /// `fstat` on the open descriptor, before reading), or nil when it could not be read in full.
    static func readWithIdentity(path: String) -> (
        installer: DriverInstaller, identity: FileIdentity?
    ) {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        // O_NONBLOCK: a FIFO in the file's place must not block the open; fstat below refuses it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return (
                failed(fileName, size: 0, "could not open it: \(FileSystem.errorText())" + checkIt),
                nil
            )
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return (
                failed(fileName, size: 0, "could not stat it: \(FileSystem.errorText())" + checkIt),
                nil
            )
        }
        let identity = FileIdentity(info)
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let why =
                "it is \(BoundedFile.kind(info.st_mode)), not a regular file; put only "
                + "NVIDIA-Linux-*.run files here"
            return (failed(fileName, size: identity.size, why), nil)
        }
        var pass = SinglePass(fileName: fileName, size: identity.size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        var first = true
        while true {
            let count: Int
            switch fill(fd, buffer) {
            case .failure(let error):
                let why = "could not read it: \(error)" + checkIt
                return (failed(fileName, size: identity.size, why), nil)
            case .success(let filled):
                count = filled
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            let atEnd = count < buffer.count
            if first {
                pass.start(chunk, endsFile: atEnd)
                first = false
            }
            pass.consume(chunk)
            if atEnd { break }
        }
        return (pass.finish(), identity)
    }

    /// Reads until `buffer` is full or the file ends; the count read, or the error text.
    private static func fill(
        _ fd: Int32,
        _ buffer: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ReadFailure> {
        var count = 0
        while count < buffer.count {
            let got = systemRead(
                fd,
                buffer.baseAddress.unsafelyUnwrapped + count,
                buffer.count - count
            )
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(text: FileSystem.errorText()))
            }
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

/// `read(2)`, named apart from ``DriverInstallerReader/read(path:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// The work of one read: header, name checks, hashing and the payload scan.
private struct SinglePass {
    private var installer: DriverInstaller
    private var hasher = SHA256()
    private var scanner: PayloadScanner?
    private var problems: [String] = []
    private var payloadProblem: PayloadError?

    init(fileName: String, size: Int64) {
        installer = DriverInstaller(
            fileName: fileName,
            variant: InstallerFileName(fileName)?.variant,
            size: size
        )
    }

    /// Reads the header from the first chunk and checks the file name against it.
    mutating func start(_ chunk: UnsafeRawBufferPointer, endsFile: Bool) {
        let prefix = Array(chunk.prefix(RunHeader.prefixLimit))
        let header: RunHeader
        do throws(RunHeaderError) {
            header = try RunHeader.parse(prefix, endsFile: endsFile && prefix.count == chunk.count)
        } catch {
            problems.append(error.description)
            return
        }
        installer.version = header.version.text
        installer.architecture = header.targetArchitecture
        installer.label = header.label
        let fileName = installer.fileName
        if let name = InstallerFileName(fileName) {
            if let disagreement = name.disagreement(with: header, fileName: fileName) {
                problems.append(disagreement)
            }
        } else {
            let arch = header.targetArchitecture ?? "<arch>"
            problems.append(
                "the file name '\(fileName)' does not follow \(InstallerFileName.pattern) "
                    + "while its header says version \(header.version), architecture "
                    + "\(header.targetArchitecture ?? "unknown"); rename it "
                    + "NVIDIA-Linux-\(arch)-\(header.version).run"
            )
        }
        scanner = PayloadScanner(skip: header.skip, limit: DriverInstallerReader.listLimit)
    }

    /// Hashes the chunk and, while the list is still wanted, scans it.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        hasher.update(chunk)
        guard scanner != nil, payloadProblem == nil else { return }
        do throws(PayloadError) {
            try scanner?.consume(chunk)
        } catch {
            payloadProblem = error
        }
    }

    /// The record, once the whole file was consumed.
    mutating func finish() -> DriverInstaller {
        installer.sha256 = hasher.hexDigest()
        if var scanner {
            if payloadProblem == nil {
                do throws(PayloadError) {
                    try scanner.finish()
                } catch {
                    payloadProblem = error
                }
            }
            installer.compression = scanner.compression
            if let payloadProblem {
                problems.append(payloadProblem.description)
            } else if let list = scanner.found {
                do throws(SupportedGPUsError) {
                    installer.supportedGPUs = try SupportedGPUsList.parse(list)
                } catch {
                    problems.append(error.description)
                }
            }
        }
        installer.problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
        return installer
    }
}

/// What identifies a file's content without reading it: size, modification time and inode.
struct FileIdentity: Hashable, Codable, Sendable {
    /// Size in bytes.
    var size: Int64
    /// Modification time in nanoseconds since the epoch.
    var modifiedNanoseconds: Int64
    /// Inode number: a file replaced by rename is a new inode even with the same size and time.
    var inode: UInt64

    init(size: Int64, modifiedNanoseconds: Int64, inode: UInt64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
    }

    init(_ info: stat) {
        size = Int64(info.st_size)
        modifiedNanoseconds =
            Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    enum CodingKeys: String, CodingKey {
        case size
        case modifiedNanoseconds = "mtime_ns"
        case inode
    }
}
