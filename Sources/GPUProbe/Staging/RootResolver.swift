/// Resolves host paths inside a root folder the way the kernel would inside `chroot(root)`.
///
/// A path is a list of canonical components below the root (`["usr", "local", "dcmi"]` is
/// `/usr/local/dcmi`): no `.`, no `..`, no symbolic link. Only such lists are ever joined to
/// the root, one component at a time from the open root (``RootFolder``), so every `lstat` and
/// `readlink` lands under the root and nothing outside it is looked at, whatever the links on
/// the host say, and whatever is swapped while gpuprobe reads.
struct RootResolver {
    /// Why a path did not resolve.
    enum Failure: Error, Equatable {
        /// A component does not exist (or is not a folder); `link` is the last symbolic link
        /// followed on the way, when there was one, so a broken link can be named.
        case missing(link: [String]?)
        /// A `..` would climb above the root; `link` is the last symbolic link followed.
        case aboveRoot(link: [String]?)
        /// The walk stepped out of the fence it was confined to.
        case leftFence
        /// More than ``maxLinks`` symbolic links were followed; `link` is the last one.
        case loop(link: [String])
        /// The system refused a look-up; `path` is the component concerned.
        case unreadable(path: [String], reason: String)
    }

    /// Linux's own bound on links followed in one look-up (`MAXSYMLINKS`).
    static let maxLinks = 40

    /// The canonical root on disk, empty for `/` so that joining never doubles the slash.
    let prefix: String
    /// The root held open: every look-up goes through it (see ``RootFolder``), so the paths
    /// built with ``disk(_:)`` are only for messages.
    let folder: RootFolder

    /// Creates a resolver for `root`, which must already be canonical (from `realpath`).
    init(root: String) {
        prefix = root == "/" ? "" : root
        folder = RootFolder(root)
    }

    /// Where `path` lies on the disk.
    func disk(_ path: [String]) -> String {
        path.isEmpty ? (prefix.isEmpty ? "/" : prefix) : prefix + "/" + path.joined(separator: "/")
    }

    /// Resolves `path` (absolute from the root, or relative to the folder `base`), following
    /// every symbolic link, and returns the canonical path and `lstat` of what it names.
    ///
    /// With a non-empty `fence`, the walk must stay inside that folder at every step: a `..`
    /// out of it or an absolute link target is ``Failure/leftFence`` even if a later step would
    /// come back. That is the condition under which a link's text, copied verbatim next to a
    /// copy of the fence's tree, means the same thing there as on the host.
    func resolve(
        _ path: String,
        from base: [String] = [],
        fence: [String] = []
    ) throws(Failure) -> (path: [String], info: FileInfo) {
        let absolute = path.hasPrefix("/")
        if absolute, !fence.isEmpty { throw .leftFence }
        var current = absolute ? [] : base
        var pending = components(path)
        var lastLink: [String]?
        var links = 0
        var isFolder = true
        while let name = pending.popLast() {
            // The kernel refuses `file/..` and `file/x`: only folders have entries.
            guard isFolder else { throw .missing(link: lastLink) }
            if name == "." { continue }
            if name == ".." {
                guard !current.isEmpty else { throw .aboveRoot(link: lastLink) }
                current.removeLast()
                guard current.starts(with: fence) else { throw .leftFence }
                continue
            }
            let next = current + [name]
            let info = try status(next, lastLink: lastLink)
            guard info.kind == .symbolicLink else {
                current = next
                isFolder = info.kind == .directory
                continue
            }
            links += 1
            guard links <= Self.maxLinks else { throw .loop(link: next) }
            let target = try readLink(next)
            lastLink = next
            if target.hasPrefix("/") {
                guard fence.isEmpty else { throw .leftFence }
                current = []
            }
            pending += components(target)
        }
        return (current, try status(current, lastLink: lastLink))
    }

    /// The text of the symbolic link at `path`.
    func readLink(_ path: [String]) throws(Failure) -> String {
        do {
            return try folder.linkText(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
    }

    /// The `lstat` of a canonical path.
    ///
    /// Its folders were seen to be folders on the way here; one
    /// that is a link now was swapped since, and is refused (`ELOOP`) rather than followed.
    func status(_ path: [String], lastLink: [String]? = nil) throws(Failure) -> FileInfo {
        do {
            return try folder.status(path)
        } catch {
            if error.isMissing { throw .missing(link: lastLink) }
            throw .unreadable(path: path, reason: error.reason)
        }
    }

    /// The components of `path`, last first, ready to be popped in order.
    private func components(_ path: String) -> [String] {
        path.split(separator: "/").reversed().map(String.init)
    }

    /// A relative link text that leads from the folder `from` to `to`, both canonical.
    static func relative(from folder: [String], to target: [String]) -> String {
        let common = zip(folder, target).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: folder.count - common) + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// A canonical path as the host would print it.
    static func hostPath(_ path: [String]) -> String {
        "/" + path.joined(separator: "/")
    }
}
