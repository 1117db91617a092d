/// Copies a host's Ascend driver files into a Docker build context, under the names the emitted
/// `COPY` lines read (``AscendFiles``): what `gpuprobe stage-ascend` does.
///
/// The order of work is what makes it safe:
/// 1. read only: find every source inside the root (a chroot-like resolution, ``RootResolver``),
///    refuse existing destinations without `force`, list every folder and decide every link,
///    check the limits;
/// 2. write only into a hidden `.gpuprobe-stage-XXXXXX` folder in the context;
/// 3. move each entry into place with `rename(2)`, the previous one aside first, and put
///    everything back if one move fails.
///
/// Any failure removes the staging folder, so the context holds either the old entries or the
/// new ones, never a half-written copy. Nothing is `fsync`ed: the context feeds a build, not a
/// database, and a crash is answered by running the command again.
public enum AscendStager {
    /// The most files, folders and links one run copies.
    ///
    /// A real driver (common, driver, dcmi) holds a few thousand; a root pointing at a whole
    /// disk is caught long before it fills one.
    public static let maxEntries = 200_000
    /// The most bytes of file content one run copies: 16 GiB, several times a real driver's
    /// 1 to 3 GiB.
    public static let maxBytes = 16 << 30
    /// The name prefix of the temporary folder in the context.
    public static let stagingPrefix = ".gpuprobe-stage-"

    /// Copies the host's Ascend files under `root` into the build context `context`.
    ///
    /// Symbolic links are resolved as if `root` were the file system's root. A table entry that
    /// is a link (`/usr/local/bin/npu-smi` to `/usr/local/Ascend/driver/tools/npu-smi`) is
    /// followed and its target copied. Inside a copied folder, a link that stays inside the
    /// folder is recreated as a relative link; one that leads outside it, or nowhere, is not
    /// followed and is listed in ``StageReport/skipped``, as are devices, FIFOs and sockets.
    /// Modes are kept, without set-id bits; folders also keep owner rwx so the next `--force`
    /// can replace them; npu-smi is made 0755 when the host copy is not executable.
    /// - Parameters:
    ///   - root: the folder that holds the host's files, `/` on the host itself.
    ///   - context: the build context; it must exist. `context/ascend` is created as needed.
    ///   - force: replace entries that already exist; without it, any existing one is refused
    ///     before anything is written.
    /// - Returns: what was copied, with sizes, what was skipped, and the optional files absent.
    /// - Throws: ``StageError`` naming the path and what to do; the context is then unchanged.
    public static func stage(
        root: String,
        context: String,
        force: Bool
    ) throws(StageError) -> StageReport {
        try stage(root: root, context: context, force: force, files: AscendFiles.all)
    }

    /// ``stage(root:context:force:)`` with its table and limits given, for tests.
    static func stage(
        root: String,
        context: String,
        force: Bool,
        files: [AscendFile],
        maxEntries: Int = maxEntries,
        maxBytes: Int = maxBytes
    ) throws(StageError) -> StageReport {
        let rootPath = try canonicalFolder(
            root,
            missing: StageError.rootNotFound(path:),
            notAFolder: StageError.rootNotAFolder(path:)
        )
        let contextPath = try canonicalFolder(
            context,
            missing: StageError.contextNotFound(path:),
            notAFolder: StageError.contextNotAFolder(path:)
        )
        let resolver = RootResolver(root: rootPath)

        var located: [(file: AscendFile, source: Source)] = []
        var missing: [String] = []
        var missingOptional: [String] = []
        for file in files {
            switch try locate(file, resolver) {
            case .found(let source):
                located.append((file, source))
            case .missing where file.optional:
                missingOptional += file.hostPaths
            case .missing(let description):
                missing.append(description)
            }
        }
        guard missing.isEmpty else { throw .missingRequired(paths: missing, root: rootPath) }

        let toCreate = try foldersToCreate(for: files, in: contextPath)
        let existing = files.map { contextPath + "/" + $0.contextPath }.filter {
            FileSystem.exists($0)
        }
        guard existing.isEmpty || force else { throw .exists(paths: existing) }

        var budget = StagePlan.Budget(maxEntries: maxEntries, maxBytes: maxBytes)
        var plans: [StagePlan] = []
        for (file, source) in located {
            plans.append(
                try StagePlan(
                    file,
                    source: source.hostPath,
                    path: source.path,
                    info: source.info,
                    resolver: resolver,
                    budget: &budget
                )
            )
        }

        let entries = try install(
            plans,
            removing: files.filter { file in !plans.contains { $0.file == file } },
            into: contextPath,
            creating: toCreate,
            resolver: resolver
        )
        return StageReport(
            root: rootPath,
            context: contextPath,
            entries: entries,
            skipped: plans.flatMap(\.skipped),
            missingOptional: missingOptional,
            hardLinked: plans.flatMap(\.hardLinked)
        )
    }

    // MARK: Reading

    private struct Source {
        var hostPath: String
        var path: [String]
        var info: FileInfo
    }

    private enum Location {
        case found(Source)
        /// The host paths looked for, for the message.
        case missing(String)
    }

    /// The first of the entry's host paths that exists, resolved inside the root.
    private static func locate(
        _ file: AscendFile,
        _ resolver: RootResolver
    ) throws(StageError) -> Location {
        var looked: [String] = []
        for hostPath in file.hostPaths {
            let found: (path: [String], info: FileInfo)
            do {
                found = try resolver.resolve(hostPath)
            } catch {
                switch error {
                case .missing(let link):
                    looked.append(link == nil ? hostPath : hostPath + " (a broken symbolic link)")
                    continue
                case .aboveRoot(let link):
                    throw .linkOutsideRoot(
                        link: resolver.disk(link ?? []),
                        root: resolver.disk([])
                    )
                case .loop(let link):
                    throw .linkLoop(link: resolver.disk(link))
                case .unreadable(let path, let reason):
                    throw .unreadable(path: resolver.disk(path), reason: reason)
                case .leftFence:
                    preconditionFailure("an unfenced resolution cannot leave its fence")
                }
            }
            let expected: FileInfo.Kind = file.kind == .directory ? .directory : .regular
            guard found.info.kind == expected else {
                throw .wrongKind(
                    path: resolver.disk(found.path),
                    expected: StagePlan.describe(expected),
                    found: StagePlan.describe(found.info.kind)
                )
            }
            return .found(Source(hostPath: hostPath, path: found.path, info: found.info))
        }
        return .missing(looked.joined(separator: " or "))
    }

    /// The folders between the context and the entries that do not exist yet, parents first.
    private static func foldersToCreate(
        for files: [AscendFile],
        in context: String
    ) throws(StageError) -> [String] {
        var folders: [String] = []
        for file in files {
            var path = context
            for name in file.contextPath.split(separator: "/").dropLast() {
                path += "/" + name
                if let info = try? FileSystem.info(path) {
                    guard info.kind == .directory else { throw .notAFolder(path: path) }
                } else if !folders.contains(path) {
                    folders.append(path)
                }
            }
        }
        return folders
    }

    private static func canonicalFolder(
        _ path: String,
        missing: (String) -> StageError,
        notAFolder: (String) -> StageError
    ) throws(StageError) -> String {
        let info: FileInfo
        do {
            info = try FileSystem.info(path, followingLinks: true)
        } catch {
            if error.isMissing { throw missing(path) }
            throw .unreadable(path: path, reason: error.reason)
        }
        guard info.kind == .directory else { throw notAFolder(path) }
        do {
            return try FileSystem.resolved(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
    }

    // MARK: Writing

    /// Writes every plan into a staging folder, then moves each into place; `removing` are
    /// entries the host lacks whose stale copies `--force` takes away.
    private static func install(
        _ plans: [StagePlan],
        removing absent: [AscendFile],
        into context: String,
        creating folders: [String],
        resolver: RootResolver
    ) throws(StageError) -> [StagedEntry] {
        let staging: String
        do {
            staging = try FileSystem.createTemporaryFolder(context + "/" + stagingPrefix + "XXXXXX")
        } catch {
            throw .writeFailed(path: context, reason: error.reason)
        }
        // On interrupt, the staging folder goes, and so do the folders made for entries that
        // were not yet moved into them.
        var tokens = [Interruption.removeOnInterrupt(staging)]
        defer { tokens.forEach(Interruption.forget) }
        var created: [String] = []
        var keepStaging = false
        do throws(StageError) {
            for folder in folders {
                try makeFolder(folder, permissions: 0o755)
                created.append(folder)
                tokens.append(Interruption.removeOnInterrupt(folder))
            }
            for name in ["new", "old"] {
                try makeFolder(staging + "/" + name, permissions: 0o700)
            }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            var entries: [StagedEntry] = []
            var moves: [Move] = []
            for (index, plan) in plans.enumerated() {
                let new = staging + "/new/\(index)"
                entries.append(try copy(plan, to: new, resolver: resolver, buffer: buffer))
                moves.append(Move(destination: context + "/" + plan.file.contextPath, new: new))
            }
            moves += absent.map { Move(destination: context + "/" + $0.contextPath, new: nil) }
            Interruption.testHold("stage")
            do throws(StageError) {
                try Interruption.uninterrupted { () throws(StageError) in
                    try moveIntoPlace(moves, aside: staging + "/old")
                }
            } catch {
                if case .replaceFailed = error { keepStaging = true }
                throw error
            }
            // In place: an interrupt from here on removes only the staging folder.
            tokens.dropFirst().forEach(Interruption.forget)
            tokens = [tokens[0]]
            do throws(FileSystem.Failure) {
                try FileSystem.removeTree(staging)
            } catch {
                throw .cleanupFailed(path: staging, reason: error.reason)
            }
            return entries
        } catch {
            if case .cleanupFailed = error { throw error }
            if !keepStaging { try? FileSystem.removeTree(staging) }
            for folder in created.reversed() { try? FileSystem.removeFolder(folder) }
            throw error
        }
    }

    /// Writes one plan at `destination`, reading each file through a bounded buffer.
    private static func copy(
        _ plan: StagePlan,
        to destination: String,
        resolver: RootResolver,
        buffer: UnsafeMutableRawBufferPointer
    ) throws(StageError) -> StagedEntry {
        var files = 0
        var bytes = 0
        var links = 0
        var folders: [(path: String, mode: UInt32)] = []
        for item in plan.items {
            let target = ([destination] + item.relative).joined(separator: "/")
            switch item.kind {
            case .folder(let mode):
                try makeFolder(target, permissions: 0o700)
                folders.append((target, mode))
            case .file(let mode, _):
                let path = plan.path + item.relative
                bytes += try copyFile(
                    path,
                    from: resolver,
                    to: target,
                    mode: mode,
                    buffer: buffer
                )
                files += 1
            case .link(let text):
                do {
                    try FileSystem.createSymbolicLink(target, text: text)
                } catch {
                    throw .writeFailed(path: target, reason: error.reason)
                }
                links += 1
            }
        }
        // Modes last, so a read-only host folder does not stop its own contents being written.
        for folder in folders.reversed() {
            do {
                try FileSystem.setPermissions(folder.path, (folder.mode & 0o777) | 0o700)
            } catch {
                throw .writeFailed(path: folder.path, reason: error.reason)
            }
        }
        return StagedEntry(
            contextPath: plan.file.contextPath,
            source: plan.source,
            kind: plan.file.kind,
            files: files,
            bytes: bytes,
            symlinks: links
        )
    }

    /// Copies one regular file, `path` below the root, and returns the bytes of content it
    /// holds; holes stay holes.
    ///
    /// The file is reached one component at a time from the open root with `O_NOFOLLOW`
    /// (``RootFolder``), so a folder or the file itself swapped for a link since the scan is
    /// refused, not followed out of the root; `O_NONBLOCK` keeps a FIFO swapped in from hanging
    /// the open, and the `fstat` refuses anything that is not a regular file now.
    static func copyFile(
        _ path: [String],
        from resolver: RootResolver,
        to target: String,
        mode: UInt32,
        buffer: UnsafeMutableRawBufferPointer
    ) throws(StageError) -> Int {
        let source = resolver.disk(path)
        let input: FileDescriptor
        do {
            input = try resolver.folder.openFile(path)
        } catch {
            let swapped = error == .symbolicLinkRefused || error == .notAFolder
            throw .unreadable(
                path: source,
                reason: swapped
                    ? "a folder on its path or the file itself is no longer what the scan found "
                        + "(a symbolic link now)" : error.reason
            )
        }
        defer { input.close() }
        guard let info = try? input.info(), info.kind == .regular else {
            throw .unreadable(path: source, reason: "it is no longer a regular file")
        }
        let output: FileDescriptor
        do {
            output = try FileDescriptor.createNew(target, permissions: 0o600)
        } catch {
            throw .writeFailed(path: target, reason: error.reason)
        }
        var outputOpen = true
        defer { if outputOpen { output.close() } }
        let size = info.size
        var total = 0
        var offset: Int64 = 0
        // Data runs only (SEEK_DATA, SEEK_HOLE); a file system without them reports the whole
        // file as one run. The file is copied up to the size it had when opened.
        while offset < size {
            let data: Int64
            do {
                guard let next = try input.nextData(from: offset) else { break }
                data = next
            } catch {
                throw .unreadable(path: source, reason: error.reason)
            }
            let end = min(size, input.nextHole(from: data) ?? size)
            var position = data
            while position < end {
                let wanted = Int(min(Int64(buffer.count), end - position))
                let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted])
                let count: Int
                do {
                    count = try input.read(into: chunk, at: position)
                } catch {
                    throw .unreadable(path: source, reason: error.reason)
                }
                if count == 0 { break }
                do {
                    try output.writeAll(
                        UnsafeRawBufferPointer(rebasing: chunk[..<count]),
                        at: position
                    )
                } catch {
                    throw .writeFailed(path: target, reason: error.reason)
                }
                position += Int64(count)
                total += count
            }
            offset = max(end, offset + 1)
        }
        do {
            // The size, and with it a hole at the end, which no write made.
            try output.truncate(to: size)
            // fchmod, unlike the open's mode, is not cut by the umask.
            try output.setPermissions(mode)
            outputOpen = false
            try output.closeChecked()
        } catch {
            throw .writeFailed(path: target, reason: error.reason)
        }
        return total
    }

    /// Creates the folder `path` (its parent exists), or says why not.
    private static func makeFolder(_ path: String, permissions: UInt32) throws(StageError) {
        do {
            try FileSystem.createFolder(path, permissions: permissions)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    // MARK: Moving into place

    /// One rename into the context: `new` to `destination`, or only the old one away when
    /// `new` is nil.
    struct Move: Equatable {
        var destination: String
        var new: String?
    }

    /// Moves each `new` to its destination with `rename(2)`, an existing destination into the
    /// folder `aside` first (as `aside/<index>`); on a failure, undoes the moves done so far.
    ///
    /// - Throws: ``StageError/writeFailed(path:reason:)`` when the context was put back as it
    ///   was; ``StageError/replaceFailed(path:reason:kept:)`` when even that failed, and the
    ///   previous entries are still in `aside`.
    static func moveIntoPlace(_ moves: [Move], aside: String) throws(StageError) {
        struct Done {
            var move: Move
            var old: String?
            var placed = false
        }
        var done: [Done] = []
        for (index, move) in moves.enumerated() {
            var step = Done(move: move)
            var failure: String?
            if FileSystem.exists(move.destination) {
                let old = aside + "/\(index)"
                do {
                    try FileSystem.rename(move.destination, to: old)
                    step.old = old
                } catch {
                    failure = error.reason
                }
            }
            if failure == nil, let new = move.new {
                do {
                    try FileSystem.rename(new, to: move.destination)
                    step.placed = true
                } catch {
                    failure = error.reason
                }
            }
            done.append(step)
            guard let reason = failure else { continue }
            var restored = true
            for step in done.reversed() {
                if step.placed, let new = step.move.new,
                    (try? FileSystem.rename(step.move.destination, to: new)) == nil
                {
                    restored = false
                }
                if let old = step.old,
                    (try? FileSystem.rename(old, to: step.move.destination)) == nil
                {
                    restored = false
                }
            }
            guard restored else {
                throw .replaceFailed(path: move.destination, reason: reason, kept: aside)
            }
            throw .writeFailed(path: move.destination, reason: reason)
        }
    }

}
