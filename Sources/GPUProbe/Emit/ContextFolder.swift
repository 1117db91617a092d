/// Where `dockerfile`'s `COPY` finds the chosen installer: its path inside the build context
/// (the current folder), checked to lie there on disk as well as by name.
public enum ContextFolder {
    /// A drivers folder or installer the build cannot take from the context.
    public struct OutsideError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The drivers folder as given.
        public let folder: String
        /// The symbolic link that leads out (`Drivers -> /srv/drivers`), or nil when the path
        /// itself lies outside.
        public let link: String?

        /// One line: what is outside and what to do.
        public var description: String {
            let shown = EmitError.printable(DockerIgnore.cut(folder, limit: 240))
            guard let link else {
                return "the drivers folder '\(shown)' is outside the build context (the current "
                    + "folder); run gpuprobe from the build context and pass --drivers as a "
                    + "folder inside it"
            }
            return "the drivers folder '\(shown)' leads out of the build context (the current "
                + "folder) through the symbolic link '\(EmitError.printable(DockerIgnore.cut(link, limit: 240)))', "
                + "and the builder sends nothing from outside the context, so the COPY would "
                + "fail; copy the installer into a folder inside the build context and pass "
                + "--drivers as that folder"
        }
    }

    /// The context path of `installer` in `folder`: relative paths lose a leading `./`;
    /// absolute ones must lie under `context`; and walked on disk from `context` down, no
    /// symbolic link on the way may lead out of it (the builder reads only what the context
    /// holds, see ``ContextWalk``).
    /// - Parameters:
    ///   - folder: `--drivers` as given (`Drivers`).
    ///   - installer: the chosen installer's file name.
    ///   - context: the build context, the current folder; nil when it cannot be known.
    /// - Returns: the installer's path relative to the context (`Drivers/NVIDIA-...run`).
    /// - Throws: ``OutsideError``.
    public static func installerPath(folder: String, installer: String, context: String?)
        throws(OutsideError) -> String
    {
        var path = folder
        if path.hasPrefix("/") {
            guard let context else { throw OutsideError(folder: folder, link: nil) }
            let prefix = context.hasSuffix("/") ? context : context + "/"
            guard path.hasPrefix(prefix) else { throw OutsideError(folder: folder, link: nil) }
            path.removeFirst(prefix.count)
        }
        let parts = path.split(separator: "/").filter { $0 != "." }.map(String.init)
        guard !parts.contains("..") else { throw OutsideError(folder: folder, link: nil) }
        if let context,
            case .outside(let link) = ContextWalk.walk(root: context, parts + [installer])
        {
            throw OutsideError(folder: folder, link: link)
        }
        return (parts + [installer]).joined(separator: "/")
    }

    /// The Ascend CANN packages in `folder` (toolkit and operator kernels), as context paths.
    ///
    /// None when the folder cannot be read. A package that lies outside the context is an
    /// error, as for the NVIDIA installer: a COPY of it would fail.
    public static func cannPackagePaths(folder: String, context: String?) throws(OutsideError)
        -> [String]
    {
        let names = (try? FileSystem.names(in: folder)) ?? []
        var paths: [String] = []
        for name in names.sorted() where CANNPackage(path: name) != nil {
            paths.append(try installerPath(folder: folder, installer: name, context: context))
        }
        return paths
    }
}
