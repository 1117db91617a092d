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
        case found(parent: FileDescriptor, name: String, info: FileInfo)
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
        let top: FileDescriptor
        do {
            top = try FileDescriptor.open(root, .folder)
        } catch {
            return error.isMissing ? .missing : .failed(error.reason)
        }
        var folders: [FileDescriptor] = [top]
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
            for fd in folders { fd.close() }
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
                folders.removeLast().close()
                names.removeLast()
                continue
            }
            let parent = folders[folders.count - 1]
            let info: FileInfo
            do {
                info = try parent.info(of: name)
            } catch {
                return finish(error.isMissing ? .missing : .failed(error.reason))
            }
            if info.kind == .symbolicLink {
                links += 1
                guard links <= maximumLinks else {
                    return finish(.failed("more than \(maximumLinks) symbolic links on the way"))
                }
                let target: String
                do {
                    target = try parent.linkText(of: name)
                } catch {
                    return finish(.failed(error.reason))
                }
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
            guard info.kind == .directory else { return finish(.missing) }
            // Each folder on the way stays open (for `..`): a bound keeps clear of the file
            // descriptor limit.
            guard folders.count < maximumDepth else {
                return finish(.failed("more than \(maximumDepth) folders deep"))
            }
            let fd: FileDescriptor
            do {
                fd = try parent.open(name, [.folder, .noFollow])
            } catch {
                // A folder swapped for a link since the fstatat is refused, never followed.
                let swapped = error == .symbolicLinkRefused || error == .notAFolder
                let path = (names + [name]).joined(separator: "/")
                return finish(.failed(swapped ? "\(path) changed while read" : error.reason))
            }
            folders.append(fd)
            names.append(name)
        }
        // The path ends at a folder held open (the root, or where `..` led).
        let last = folders.removeLast()
        let info: FileInfo
        do {
            info = try last.info()
        } catch {
            last.close()
            return finish(.failed(error.reason))
        }
        return finish(.found(parent: last, name: ".", info: info))
    }

    /// The names in the open folder `fd` (closed after), `.` and `..` left out; none when it
    /// cannot be listed.
    static func names(_ fd: FileDescriptor) -> [String] {
        ((try? fd.consumeNames()) ?? []).map { String(decoding: $0, as: UTF8.self) }
    }
}
