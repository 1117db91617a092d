#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A path looked up in a build context folder one component at a time, never leaving it.
///
/// What is modelled: the builder sends the context's files with symbolic links as links, and
/// resolves a `COPY` source path by following its links *scoped to the context* (BuildKit's
/// `FollowSymlinks` with `RootPath`: an absolute target is read from the context's root, `..`
/// stops at the root). So a link whose target lies outside the context (an absolute target, or
/// `..` past the root) never brings the outside file into the build; `check` says so and does
/// not read the file it names on this host. Links that stay inside are followed, as the builder
/// follows them. Below a folder that a `COPY` copies whole, the builder copies links as links:
/// a link there is what the image holds, so it must stay within that folder (`floor`) to lead
/// to a file that came from the context.
///
/// Each folder is opened relative to the one above it with `O_NOFOLLOW`, and a link's target is
/// read with `readlinkat` on the folder held open, so a component swapped for a link while the
/// walk runs is refused rather than followed out of the context.
enum ContextWalk {
    /// Where a path leads.
    enum Outcome {
        /// The last component, in the folder `parent` (held open; the caller closes it).
        case found(parent: Int32, name: String, info: stat)
        case missing
        /// A link on the way leads outside: `ascend -> /opt/ascend`.
        case outside(String)
        case failed(String)
    }

    /// The most links followed in one path, as Linux's own limit (`ELOOP`).
    static let maximumLinks = 40
    /// The deepest folder walked to.
    static let maximumDepth = 256

    /// Walks `parts` below `root`; the first `floor` parts are the folder a `COPY` copied whole
    /// (all of them when the path was named itself).
    static func walk(root: String, _ parts: [String], floor: Int? = nil) -> Outcome {
        // The context folder itself may be a link: the user named it.
        let top = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard top >= 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .failed(FileSystem.errorText())
        }
        var folders: [Int32] = [top]
        // The context paths of the folders held, for messages.
        var names: [String] = []
        // Components still to walk, the next last; `given` marks the path's own ones (links'
        // targets are pushed on top of them).
        var pending = parts.reversed().map { (name: $0, given: true) }
        var givenWalked = 0
        let floor = min(floor ?? parts.count, parts.count)
        // Below the copied folder, `..` must not climb above it: `floorDepth` folders deep.
        var floorDepth: Int?
        var links = 0
        var lastLink: String?
        func finish(_ outcome: Outcome) -> Outcome {
            for fd in folders { close(fd) }
            return outcome
        }
        while true {
            if floorDepth == nil, givenWalked >= floor, pending.last?.given ?? true {
                floorDepth = folders.count
            }
            guard let (name, given) = pending.popLast() else { break }
            if given { givenWalked += 1 }
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                guard folders.count > 1, folders.count > floorDepth ?? 0 else {
                    return finish(.outside(lastLink ?? names.joined(separator: "/")))
                }
                close(folders.removeLast())
                names.removeLast()
                continue
            }
            let parent = folders[folders.count - 1]
            var info = stat()
            guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                let missing = errno == ENOENT || errno == ENOTDIR
                return finish(missing ? .missing : .failed(FileSystem.errorText()))
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                links += 1
                guard links <= maximumLinks else {
                    return finish(.failed("more than \(maximumLinks) symbolic links on the way"))
                }
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = buffer.withUnsafeMutableBufferPointer { bytes -> Int in
                    guard let base = bytes.baseAddress else { return -1 }
                    return readlinkat(parent, name, base, bytes.count)
                }
                guard count >= 0 else { return finish(.failed(FileSystem.errorText())) }
                let target = String(
                    decoding: buffer[0..<count].map { UInt8(bitPattern: $0) },
                    as: UTF8.self
                )
                let link = (names + [name]).joined(separator: "/") + " -> " + target
                // An absolute target is read inside the context by the builder: not the file
                // this host's link names, which is never read.
                guard !target.hasPrefix("/") else { return finish(.outside(link)) }
                lastLink = link
                pending += target.split(separator: "/").reversed().map { (String($0), false) }
                continue
            }
            guard !pending.isEmpty else {
                folders.removeLast()
                return finish(.found(parent: parent, name: name, info: info))
            }
            guard info.st_mode & S_IFMT == S_IFDIR else { return finish(.missing) }
            // Each folder on the way stays open (for `..`): a bound keeps clear of the file
            // descriptor limit.
            guard folders.count < maximumDepth else {
                return finish(.failed("more than \(maximumDepth) folders deep"))
            }
            let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else {
                // A folder swapped for a link since the fstatat is refused, never followed.
                let swapped = errno == ELOOP || errno == ENOTDIR
                let path = (names + [name]).joined(separator: "/")
                return finish(
                    .failed(swapped ? "\(path) changed while read" : FileSystem.errorText())
                )
            }
            folders.append(fd)
            names.append(name)
        }
        // The path ends at a folder held open (the root, or where `..` led).
        let last = folders.removeLast()
        var info = stat()
        guard fstat(last, &info) == 0 else {
            close(last)
            return finish(.failed(FileSystem.errorText()))
        }
        return finish(.found(parent: last, name: ".", info: info))
    }

    /// The names in the open folder `fd` (closed after), `.` and `..` left out.
    static func names(_ fd: Int32) -> [String] {
        guard let stream = fdopendir(fd) else {
            close(fd)
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }
}
