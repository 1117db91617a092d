#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Folder and path operations several parts of gpuprobe share, on plain String paths.
///
/// Plain POSIX calls, not Foundation's `FileManager` and `URL`: the release binary links the
/// Swift runtime statically, and Foundation would add about 7 MB to it. Failures carry the
/// system's own words for `errno`, which is what the messages show.
enum FileSystem {
    /// Why an operation failed.
    struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The system's words for the error, `strerror(errno)`: "No such file or directory".
        var reason: String
        /// The error number, `errno`.
        var code: Int32

        /// The reason alone: messages put the path around it.
        var description: String { reason }

        /// The failure for the error number `code`.
        init(code: Int32) {
            self.code = code
            reason = FileSystem.errorText(code)
        }

        /// Nothing is at the path, or a component on the way is not a folder (`ENOENT`,
        /// `ENOTDIR`): what callers report as missing.
        var isMissing: Bool { code == ENOENT || code == ENOTDIR }

        /// `ENOENT`: no such file or directory.
        static var noSuchFile: Failure { Failure(code: ENOENT) }
        /// `ENOTDIR`: a component that should be a folder is not one.
        static var notAFolder: Failure { Failure(code: ENOTDIR) }
        /// `ELOOP`: a symbolic link where `O_NOFOLLOW` refused one, or too many links.
        static var symbolicLinkRefused: Failure { Failure(code: ELOOP) }
        /// `EISDIR`: a folder where a file was meant.
        static var isAFolder: Failure { Failure(code: EISDIR) }
        /// `EINVAL`: an argument the call refuses.
        static var invalidArgument: Failure { Failure(code: EINVAL) }

        /// The failure `errno` holds now.
        static func current() -> Failure {
            Failure(code: errno)
        }
    }

    /// The system's words for an error number, `errno`'s by default: every message that
    /// reports a failed system call quotes them.
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    // MARK: Paths

    /// `path` made absolute, as `URL(fileURLWithPath:).path` made it.
    ///
    /// A relative path is taken from the current directory with its `.` and `..` steps
    /// resolved; an absolute one is kept as written. Trailing slashes are dropped. Messages
    /// name files by these paths, so they read as before.
    /// - Parameter path: any path; the empty path is the current directory.
    /// - Returns: the absolute path, or `path` without trailing slashes when the current
    ///   directory cannot be found.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return trimmingSlashes(path) }
        guard let cwd = getcwd(nil, 0) else { return trimmingSlashes(path) }
        defer { free(cwd) }
        var steps = String(cString: cwd).split(separator: "/").map(String.init)
        // RFC 3986 dot-segment removal, as URL does it: an empty step is a step.
        for step in path.split(separator: "/", omittingEmptySubsequences: false) {
            switch step {
            case ".": continue
            case "..": _ = steps.popLast()
            default: steps.append(String(step))
            }
        }
        return trimmingSlashes("/" + steps.joined(separator: "/"))
    }

    /// ``absolute(_:)`` with every `.`, `..` and empty step resolved by the text alone.
    ///
    /// Symbolic links are not looked at, as in `URL.standardizedFileURL`; `..` at the root
    /// stays at the root.
    /// - Parameter path: any path.
    /// - Returns: an absolute path without `.`, `..` or `//`.
    static func standardized(_ path: String) -> String {
        var steps: [Substring] = []
        for step in absolute(path).split(separator: "/") {
            switch step {
            case ".": continue
            case "..": _ = steps.popLast()
            default: steps.append(step)
            }
        }
        return "/" + steps.joined(separator: "/")
    }

    /// The folder that holds `path`: `/a/b` for `/a/b/c`, `/` for `/c`, `.` for `c`.
    static func parent(_ path: String) -> String {
        let trimmed = trimmingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let folder = trimmingSlashes(String(trimmed[..<slash]))
        return folder.isEmpty ? "/" : folder
    }

    /// The last step of `path`: `c` for `/a/b/c/`; `/` for the root.
    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? (path.isEmpty ? "" : "/")
    }

    /// `relative` inside `folder`, with one slash between them.
    static func join(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    /// `path` without trailing slashes; `/` stays `/`.
    static func trimmingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    // MARK: Folders and files

    /// Whether anything is at `path`; a symbolic link counts, even one that leads nowhere,
    /// unless `followingLinks` (then the call is `access(path, F_OK)`, whose links are
    /// followed).
    static func exists(_ path: String, followingLinks: Bool = false) -> Bool {
        if followingLinks { return access(path, F_OK) == 0 }
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// What is at `path`: the link itself when it is one (`lstat`), or with `followingLinks`
    /// what it leads to (`stat`).
    /// - Throws: ``Failure`` with the system's words (``Failure/isMissing`` when nothing is
    ///   there).
    static func info(_ path: String, followingLinks: Bool = false) throws(Failure) -> FileInfo {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { throw .current() }
        return FileInfo(info)
    }

    /// ``info(_:followingLinks:)``, links followed, for a path given as bytes: a name read
    /// from a folder need not be UTF-8, and a `String` would not say it back.
    static func info(rawPath path: [UInt8]) throws(Failure) -> FileInfo {
        var info = stat()
        let result = (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { name in
                name.baseAddress.map { stat($0, &info) } ?? -1
            }
        }
        guard result == 0 else { throw .current() }
        return FileInfo(info)
    }

    /// `path` made absolute with every symbolic link resolved.
    ///
    /// The corresponding C function is `realpath`.
    static func resolved(_ path: String) throws(Failure) -> String {
        guard let resolved = realpath(path, nil) else { throw .current() }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Renames `path` to `newPath`, replacing a file or an empty folder there, in one step.
    ///
    /// The corresponding C function is `rename`.
    static func rename(_ path: String, to newPath: String) throws(Failure) {
        guard systemRename(path, newPath) == 0 else { throw .current() }
    }

    /// Removes the file or link `path`.
    ///
    /// The corresponding C function is `unlink`.
    static func removeFile(_ path: String) throws(Failure) {
        guard unlink(path) == 0 else { throw .current() }
    }

    /// Removes the empty folder `path`.
    ///
    /// The corresponding C function is `rmdir`.
    static func removeFolder(_ path: String) throws(Failure) {
        guard rmdir(path) == 0 else { throw .current() }
    }

    /// Creates a symbolic link at `path` whose text is `text`.
    ///
    /// The corresponding C function is `symlink`.
    static func createSymbolicLink(_ path: String, text: String) throws(Failure) {
        guard symlink(text, path) == 0 else { throw .current() }
    }

    /// Sets the permission bits of `path`, following links.
    ///
    /// The corresponding C function is `chmod`.
    static func setPermissions(_ path: String, _ permissions: UInt32) throws(Failure) {
        guard chmod(path, mode_t(permissions)) == 0 else { throw .current() }
    }

    /// Creates a new folder named `template` with its trailing `XXXXXX` replaced, mode 0700.
    ///
    /// The corresponding C function is `mkdtemp`.
    /// - Returns: its path.
    static func createTemporaryFolder(_ template: String) throws(Failure) -> String {
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw .current() }
        return String(cString: made)
    }

    /// Creates and opens a new file named `template` with its trailing `XXXXXX` replaced, mode
    /// 0600.
    ///
    /// The corresponding C function is `mkstemp`.
    /// - Returns: the open file, which the caller closes, and its path.
    static func createTemporaryFile(_ template: String) throws(Failure)
        -> (file: FileDescriptor, path: String)
    {
        var bytes = Array(template.utf8CString)
        let fd = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { throw .current() }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let path = String(
            decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
        return (FileDescriptor(rawValue: fd), path)
    }

    /// Creates the folder `path`, and with `parents` every missing folder above it.
    ///
    /// Folders get mode 0777 less the umask, `path` itself `permissions` less the umask. With
    /// `parents`, a folder (or a link to one) already at `path` is success, as with `mkdir -p`;
    /// without, it is `File exists`.
    /// - Parameters:
    ///   - path: the folder.
    ///   - parents: make the missing folders above it too.
    ///   - permissions: the mode of the folder `path`.
    /// - Throws: ``Failure`` with the system's words, for the first folder that could not be
    ///   made.
    static func createFolder(
        _ path: String,
        parents: Bool = false,
        permissions: UInt32 = 0o777
    ) throws(Failure) {
        if mkdir(path, mode_t(permissions)) == 0 { return }
        let code = errno
        guard parents else { throw Failure(code: code) }
        if code == EEXIST {
            guard isFolder(path) else { throw Failure(code: code) }
            return
        }
        let above = parent(path)
        guard code == ENOENT, above != path, above != "." else { throw Failure(code: code) }
        try createFolder(above, parents: true)
        if mkdir(path, mode_t(permissions)) == 0 { return }
        let again = errno
        // Another process may have made it meanwhile: that is as good.
        guard again == EEXIST, isFolder(path) else { throw Failure(code: again) }
    }

    /// Whether `path` is a folder after following symbolic links.
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Creates (or truncates) the file `path` and writes `bytes` into it.
    ///
    /// The file gets mode 0666 less the umask.
    /// - Throws: ``Failure`` with the system's words; a part-written file stays.
    static func createFile(_ path: String, contents bytes: [UInt8]) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .current() }
        do throws(Failure) {
            try writeAll(bytes, to: fd)
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw .current() }
    }

    /// Writes all of `bytes` to the open file `fd`, again after a short write or `EINTR`.
    ///
    /// - Throws: ``Failure`` with the system's words; `fd` stays open either way.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(Failure) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let count = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .current()
            }
            rest = rest.dropFirst(count)
        }
    }

    /// The names in `folder`, unsorted, without `.` and `..`.
    ///
    /// A name that is not UTF-8 is decoded with replacement characters.
    /// - Throws: ``Failure`` when the folder cannot be opened or read.
    static func names(in folder: String) throws(Failure) -> [String] {
        try rawNames(in: folder).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The names in `folder` as bytes (a name need not be UTF-8), unsorted, without `.` and
    /// `..`.
    /// - Throws: ``Failure`` when the folder cannot be opened or read.
    static func rawNames(in folder: String) throws(Failure) -> [[UInt8]] {
        guard let stream = opendir(folder) else { throw .current() }
        defer { closedir(stream) }
        return try names(of: stream)
    }

    /// The names an open folder stream lists, `.` and `..` left out; the caller closes it.
    static func names(of stream: OpaquePointer) throws(Failure) -> [[UInt8]] {
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw .current() }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                Array(bytes.prefix { $0 != 0 })
            }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
    }

    /// Removes `path`: a file, a symbolic link, or a folder with everything in it.
    ///
    /// Symbolic links are removed, never followed, at `path` and inside the tree: what
    /// gpuprobe removes are its own temporary folders and old capture bundles, and a link in
    /// one must not lead the removal out of it. A folder is opened with `O_NOFOLLOW` and its
    /// entries removed relative to it (`unlinkat`), so a folder swapped for a link while the
    /// removal runs is not followed either. Entries that vanish meanwhile are not an error.
    /// The walk holds one descriptor and no recursion, so a tree of any depth is removed.
    /// - Throws: ``Failure`` for the first entry that could not be removed (`path` missing
    ///   included); what could be removed is gone.
    static func removeTree(_ path: String) throws(Failure) {
        // `link/` would make lstat and open follow the link: the last component is looked at
        // as itself. `.` and `..` are never what a caller means to remove.
        let path = trimmingSlashes(path)
        guard !path.isEmpty, ![".", "..", "/"].contains(lastComponent(path)) else {
            throw Failure(code: EINVAL)
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .current() }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            guard unlink(path) == 0 else { throw .current() }
            return
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .current() }
        try removeContents(fd)
        guard rmdir(path) == 0 else { throw .current() }
    }

    /// A folder on the way down: who it is, its name in its parent, and its subfolders left.
    private struct Level {
        var device: dev_t
        var inode: ino_t
        var name: [CChar]
        var subfolders: [[CChar]]
    }

    /// Removes everything in the open folder `top`, and closes it.
    ///
    /// Depth-first with an explicit stack and one open descriptor: going down opens the
    /// subfolder with `O_NOFOLLOW`; going up opens `..` and checks it is the folder it came
    /// from (device and inode), so a folder moved elsewhere meanwhile stops the removal instead
    /// of leading it into another tree. A tree deeper than `PATH_MAX` allows to name is
    /// removed too: no path is ever built.
    private static func removeContents(_ top: Int32) throws(Failure) {
        var fd = top
        defer { close(fd) }
        var stack = [try level(fd, name: [])]
        while !stack.isEmpty {
            if let name = stack[stack.count - 1].subfolders.popLast() {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    if errno == ENOENT { continue }
                    throw .current()
                }
                close(fd)
                fd = child
                stack.append(try level(fd, name: name))
                continue
            }
            let done = stack.removeLast()
            guard let parent = stack.last else { return }
            let up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard up >= 0 else { throw .current() }
            close(fd)
            fd = up
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw .current() }
            guard info.st_dev == parent.device, info.st_ino == parent.inode else {
                throw Failure(code: ESTALE)
            }
            guard unlinkat(fd, done.name, AT_REMOVEDIR) == 0 || errno == ENOENT else {
                throw .current()
            }
        }
    }

    /// Removes every entry of the open folder `fd` but its subfolders, which it returns.
    private static func level(_ fd: Int32, name: [CChar]) throws(Failure) -> Level {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .current() }
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            let failure = Failure.current()
            if copy >= 0 { close(copy) }
            throw failure
        }
        defer { closedir(stream) }
        // Names as bytes: a name that is not UTF-8 must be removed too.
        var names: [[CChar]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw .current() }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                bytes.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
            }
            if name != [0x2E, 0], name != [0x2E, 0x2E, 0] { names.append(name) }
        }
        var subfolders: [[CChar]] = []
        for entry in names {
            var entryInfo = stat()
            guard fstatat(fd, entry, &entryInfo, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }
                throw .current()
            }
            if entryInfo.st_mode & S_IFMT == S_IFDIR {
                subfolders.append(entry)
            } else if unlinkat(fd, entry, 0) != 0, errno != ENOENT {
                throw .current()
            }
        }
        return Level(device: info.st_dev, inode: info.st_ino, name: name, subfolders: subfolders)
    }
}

/// `rename(2)`, outside ``FileSystem`` whose own `rename` would shadow it.
private func systemRename(_ path: String, _ newPath: String) -> Int32 {
    rename(path, newPath)
}
