#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An open file or folder, and the calls gpuprobe makes on it and relative to it (`openat`,
/// `fstatat`, `readlinkat`).
///
/// A plain value, as swift-system's `FileDescriptor`: whoever opened it closes it, once. Every
/// descriptor is opened with `O_CLOEXEC`, so a tool gpuprobe runs inherits none. Failures are
/// ``FileSystem/Failure`` with the system's words for `errno`.
struct FileDescriptor: Hashable, Sendable {
    /// The descriptor number.
    let rawValue: Int32

    /// How a file is opened for reading, besides `O_RDONLY | O_CLOEXEC`.
    struct Options: OptionSet, Sendable {
        let rawValue: Int32

        /// `O_DIRECTORY`: only a folder opens.
        static let folder = Options(rawValue: O_DIRECTORY)
        /// `O_NOFOLLOW`: a symbolic link as the last component fails with `ELOOP`.
        static let noFollow = Options(rawValue: O_NOFOLLOW)
        /// `O_NONBLOCK`: a FIFO opens at once instead of waiting for a writer.
        static let nonBlocking = Options(rawValue: O_NONBLOCK)
    }

    /// Opens `path` for reading.
    ///
    /// The corresponding C function is `open`.
    static func open(_ path: String, _ options: Options = []) throws(FileSystem.Failure)
        -> FileDescriptor
    {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC | options.rawValue, 0)
        guard fd >= 0 else { throw .current() }
        return FileDescriptor(rawValue: fd)
    }

    /// Opens `name` in this folder for reading.
    ///
    /// The corresponding C function is `openat`.
    func open(_ name: String, _ options: Options = []) throws(FileSystem.Failure)
        -> FileDescriptor
    {
        let fd = openat(rawValue, name, O_RDONLY | O_CLOEXEC | options.rawValue)
        guard fd >= 0 else { throw .current() }
        return FileDescriptor(rawValue: fd)
    }

    /// Creates the file `path` for writing; it must not exist, not even as a symbolic link.
    ///
    /// The corresponding C function is `open` with `O_CREAT | O_EXCL | O_NOFOLLOW`.
    /// - Parameters:
    ///   - path: the new file.
    ///   - permissions: the mode it is created with, less the umask.
    /// - Returns: the open file, which the caller closes.
    /// - Throws: ``FileSystem/Failure`` with the system's words (`File exists` when anything,
    ///   a link included, is at `path`).
    static func createNew(_ path: String, permissions: UInt32) throws(FileSystem.Failure)
        -> FileDescriptor
    {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let fd = systemOpen(path, flags, mode_t(permissions))
        guard fd >= 0 else { throw .current() }
        return FileDescriptor(rawValue: fd)
    }

    /// A second descriptor for the same open file.
    ///
    /// The corresponding C function is `dup`.
    func duplicate() throws(FileSystem.Failure) -> FileDescriptor {
        let fd = dup(rawValue)
        guard fd >= 0 else { throw .current() }
        return FileDescriptor(rawValue: fd)
    }

    /// Closes it where a failure changes nothing (a file only read).
    func close() {
        _ = systemClose(rawValue)
    }

    /// Closes it, and says when that failed: for a file written, the last chance to hear of a
    /// write that did not land.
    func closeChecked() throws(FileSystem.Failure) {
        guard systemClose(rawValue) == 0 else { throw .current() }
    }

    // MARK: Looking

    /// What the open file is.
    ///
    /// The corresponding C function is `fstat`.
    func info() throws(FileSystem.Failure) -> FileInfo {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else { throw .current() }
        return FileInfo(info)
    }

    /// What `name` in this folder is, the link itself when it is one.
    ///
    /// The corresponding C function is `fstatat` with `AT_SYMLINK_NOFOLLOW`.
    func info(of name: String) throws(FileSystem.Failure) -> FileInfo {
        var info = stat()
        guard fstatat(rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw .current() }
        return FileInfo(info)
    }

    /// The text of the symbolic link `name` in this folder, decoded as UTF-8 with replacement
    /// characters.
    ///
    /// The corresponding C function is `readlinkat`.
    func linkText(of name: String) throws(FileSystem.Failure) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(rawValue, name, &buffer, buffer.count - 1)
        guard count >= 0 else { throw .current() }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in this folder as bytes (a name need not be UTF-8), unsorted, without `.` and
    /// `..`; the descriptor is closed after, whether or not the listing succeeds.
    ///
    /// The corresponding C functions are `fdopendir`, `readdir` and `closedir`.
    func consumeNames() throws(FileSystem.Failure) -> [[UInt8]] {
        guard let stream = fdopendir(rawValue) else {
            let failure = FileSystem.Failure.current()
            close()
            throw failure
        }
        defer { closedir(stream) }
        return try FileSystem.names(of: stream)
    }

    // MARK: Reading and writing

    /// Reads up to `buffer.count` bytes, again after `EINTR`; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileSystem.Failure) -> Int {
        while true {
            let count = systemRead(rawValue, buffer)
            if count >= 0 { return count }
            if errno != EINTR { throw .current() }
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`, again after `EINTR`; 0 at the end of the file.
    ///
    /// The corresponding C function is `pread`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64)
        throws(FileSystem.Failure) -> Int
    {
        while true {
            let count = pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw .current() }
        }
    }

    /// Writes all of `buffer` at `offset`, again after a short write or `EINTR`.
    ///
    /// The corresponding C function is `pwrite`.
    func writeAll(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(FileSystem.Failure) {
        var done = 0
        while done < buffer.count {
            let written = pwrite(
                rawValue,
                buffer.baseAddress.unsafelyUnwrapped + done,
                buffer.count - done,
                off_t(offset + Int64(done))
            )
            if written < 0 {
                if errno == EINTR { continue }
                throw .current()
            }
            done += written
        }
    }

    /// Writes all of `bytes` at the current position, again after a short write or `EINTR`.
    func writeAll(_ bytes: [UInt8]) throws(FileSystem.Failure) {
        try FileSystem.writeAll(bytes, to: rawValue)
    }

    /// The start of the first run of data at or after `offset`, or nil when only a hole follows
    /// (`ENXIO`).
    ///
    /// The corresponding C function is `lseek` with `SEEK_DATA` (Linux 3.1); a file system without
    /// it reports the whole file as data.
    func nextData(from offset: Int64) throws(FileSystem.Failure) -> Int64? {
        let data = lseek(rawValue, off_t(offset), Self.seekData)
        if data < 0 {
            if errno == ENXIO { return nil }
            throw .current()
        }
        return Int64(data)
    }

    /// The start of the first hole at or after `offset` (the end of the file counts as one), or nil
    /// when it cannot be told.
    ///
    /// The corresponding C function is `lseek` with `SEEK_HOLE`. The file's position moves there:
    /// ``rewind()`` before reading from the start.
    func nextHole(from offset: Int64) -> Int64? {
        let hole = lseek(rawValue, off_t(offset), Self.seekHole)
        return hole < 0 ? nil : Int64(hole)
    }

    /// Moves the position back to the start of the file.
    func rewind() {
        lseek(rawValue, 0, SEEK_SET)
    }

    /// Sets the file's size: a hole at the end, which no write made.
    ///
    /// The corresponding C function is `ftruncate`.
    func truncate(to size: Int64) throws(FileSystem.Failure) {
        guard ftruncate(rawValue, off_t(size)) == 0 else { throw .current() }
    }

    /// Sets the permission bits; unlike the mode `open` creates a file with, not cut by the umask.
    ///
    /// The corresponding C function is `fchmod`.
    func setPermissions(_ permissions: UInt32) throws(FileSystem.Failure) {
        guard fchmod(rawValue, mode_t(permissions)) == 0 else { throw .current() }
    }

    /// `lseek`'s `SEEK_DATA` and `SEEK_HOLE` of Linux's `<unistd.h>`, which glibc declares
    /// only under `_GNU_SOURCE` and Swift's Glibc module therefore leaves out.
    private static let seekData: Int32 = 3
    private static let seekHole: Int32 = 4
}

// The C calls whose names ``FileDescriptor``'s own methods shadow inside it.

private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}
