/// Judges NVIDIA `.run` installers in the image: their version against the host's kernel
/// module (the userspace driver must equal it, `drivers-ascend.md` §4), their options (a
/// build has no terminal and no kernel to build for) and their `COPY` sources.
enum InstallerJudge {
    /// Below this a `.run` is no installer (a Git LFS pointer, an HTML error page).
    static let minimumSize: Int64 = 1 << 20

    /// A `.run` that a `COPY` or `ADD` puts into the image.
    struct Copied {
        var copy: CopyFact
        var source: Expanded
        var name: String
        var executed = false
    }

    /// A `RUN` that executes a `.run`.
    struct Execution {
        var command: CommandFact
        /// The path as written.
        var path: ScriptWord
        /// The installer's options.
        var arguments: [String]
    }

    static func findings(_ input: CheckInput) -> [Finding] {
        var findings: [Finding] = []
        var copied: [Copied] = []
        var patterns: [String: [String]] = [:]
        for copy in input.facts.copies {
            for source in copy.sources where source.text.hasSuffix(".run") {
                findings += contextFindings(copy, source, input)
                guard copy.fromContext, BuildContext.hasWildcard(source.text) else {
                    copied.append(
                        Copied(copy: copy, source: source, name: CommandWords.basename(source.text))
                    )
                    continue
                }
                // `COPY NVIDIA-*.run /tmp/` copies what the context holds under that pattern.
                let matches = patterns[source.text] ?? input.context.matches(source.text)
                patterns[source.text] = matches
                for match in matches {
                    let matched = Expanded(text: match, unresolved: source.unresolved)
                    copied.append(
                        Copied(copy: copy, source: matched, name: CommandWords.basename(match))
                    )
                }
            }
        }
        // A RUN runs what the latest COPY before it put at that path (or under that name).
        var byPath: [String: Int] = [:]
        var byName: [String: Int] = [:]
        var next = 0
        for command in input.facts.commands {
            while next < copied.count, copied[next].copy.line < command.line {
                for path in copied[next].copy.imagePaths(of: copied[next].source.text) {
                    byPath[path] = next
                }
                byName[copied[next].name] = next
                next += 1
            }
            guard let execution = execution(command) else { continue }
            let name = CommandWords.basename(execution.path.text)
            let absolute = CommandWords.absolute(execution.path.text, from: command.directory)
            var linked = byPath[absolute] ?? byName[name]
            if linked == nil, BuildContext.hasWildcard(name) {
                // `sh NVIDIA-*.run`: the first installer copied under a matching name (among the
                // first 64, which bounds the work on a hostile file).
                linked = copied.prefix(min(next, 64)).firstIndex { Glob.matches(name, $0.name) }
            }
            var fileName = name
            var copiedAt = ""
            if let linked {
                copied[linked].executed = true
                fileName = copied[linked].name
                copiedAt = " (copied at line \(copied[linked].copy.line))"
            }
            if let note = Finding.unresolved(
                line: command.line,
                names: execution.path.unresolved,
                what: "the installer path"
            ) {
                findings.append(note)
            }
            // A command under a condition of unknown value: its findings hold in that branch.
            findings += versionFindings(fileName, line: command.line, copiedAt, input)
                .map { $0.when(command) }
            findings += optionFindings(execution, fileName, line: command.line)
                .map { $0.when(command) }
        }
        for item in copied where !item.executed {
            if let note = Finding.unresolved(
                line: item.copy.line,
                names: item.source.unresolved,
                what: "the installer's file name"
            ) {
                findings.append(note)
            }
            findings += versionFindings(
                item.name,
                line: item.copy.line,
                " (copied, not run)",
                input
            )
        }
        return findings
    }

    // MARK: Executions

    /// The `.run` a command executes: `./X.run`, `/tmp/X.run`, `sh X.run`, `bash X.run`;
    /// nil for anything else (`chmod +x X.run` executes nothing) and for the stub's own
    /// extract or query options, which install nothing.
    static func execution(_ command: CommandFact) -> Execution? {
        let words = command.words
        guard let first = words.first else { return nil }
        var pathIndex: Int?
        if first.text.hasSuffix(".run") {
            pathIndex = 0
        } else {
            switch ShellKind(program: first.text) {
            case .posix, .bash:
                var index = 1
                while index < words.count, words[index].text.hasPrefix("-") {
                    if words[index].text.contains("c") && !words[index].text.hasPrefix("--") {
                        return nil
                    }
                    index += 1
                }
                if index < words.count, words[index].text.hasSuffix(".run") { pathIndex = index }
            default:
                break
            }
        }
        guard let pathIndex else { return nil }
        let arguments = words[(pathIndex + 1)...].map(\.text)
        let queries: Set<String> = [
            "-x", "--extract-only", "--info", "--list", "--check", "--help", "-h",
            "--advanced-options", "-A", "--version", "--version-string", "--target-arch",
            "--lsm", "--pkg-history", "--label", "--target-os", "--pkg-version",
        ]
        guard !arguments.contains(where: queries.contains) else { return nil }
        return Execution(command: command, path: words[pathIndex], arguments: arguments)
    }

    static func optionFindings(_ execution: Execution, _ fileName: String, line: Int) -> [Finding] {
        var findings: [Finding] = []
        let arguments = Set(execution.arguments)
        let shown = execution.path.text
        if arguments.isDisjoint(with: ["--no-kernel-module", "--no-kernel-modules"]) {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: "installer-kernel-module",
                    message: "\(fileName) runs without --no-kernel-modules: it tries to build "
                        + "and load a kernel module inside the build, where there is no kernel "
                        + "source and the host's module is already loaded, and fails",
                    fix: "run it as `\(shown) --no-kernel-modules --silent`"
                )
            )
        }
        let silent =
            !arguments.isDisjoint(with: ["--silent", "-s"])
            || (arguments.contains("--ui=none") && arguments.contains("--no-questions"))
        if !silent {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: "installer-not-silent",
                    message: "\(fileName) runs without --silent: the installer asks questions "
                        + "and a build has no terminal to answer them, so it stops or fails",
                    fix: "add --silent (`\(shown) --no-kernel-modules --silent`)"
                )
            )
        }
        if !arguments.isDisjoint(with: ["--accept-license", "-a"]) {
            findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: "installer-accept-license",
                    message: "--accept-license is obsolete: current NVIDIA installers ignore it "
                        + "and take the license as accepted",
                    fix: "drop --accept-license"
                )
            )
        }
        return findings
    }

    // MARK: Versions

    static func versionFindings(
        _ fileName: String,
        line: Int,
        _ origin: String,
        _ input: CheckInput
    ) -> [Finding] {
        guard let installer = InstallerFileName(fileName) else {
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "installer-name-unknown",
                    message: "'\(fileName.prefix(80))'\(origin) does not follow NVIDIA's "
                        + "\(InstallerFileName.pattern) naming, so its driver version cannot "
                        + "be checked against the host",
                    fix: "keep NVIDIA's file name, which carries the version"
                )
            ]
        }
        let host = input.host
        guard let target = host.targetDriverVersion else {
            let message: String
            if !host.gpus.isEmpty {
                message =
                    "\(fileName)\(origin) installs userspace driver "
                    + "\(installer.version.text), but the host's GPUs (\(input.gpuText)) have no "
                    + "driver loaded: the image can only work once the host runs the same version"
            } else if host.nvidiaSoftwarePresent {
                message =
                    "\(fileName)\(origin) installs userspace driver "
                    + "\(installer.version.text), but the host's driver version is unknown "
                    + "(nvidia-smi failed), so the match cannot be checked"
                return [
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: "installer-host-version-unknown",
                        message: message,
                        fix: "fix nvidia-smi on the host (see `gpuprobe probe`), then check again"
                    )
                ]
            } else {
                message =
                    "\(fileName)\(origin) installs an NVIDIA userspace driver, but the host "
                    + "has no NVIDIA GPU or driver: nothing in the image can use it"
            }
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "installer-no-host-driver",
                    message: message,
                    fix: host.gpus.isEmpty
                        ? "drop the driver layer, or check against the host that will run it"
                        : "install the NVIDIA driver \(installer.version.text) on the host "
                            + "(kernel module and userspace), or use the installer of the "
                            + "version the host will run"
                )
            ]
        }

        var findings: [Finding] = []
        if let machine = host.machine, !architectureMatches(installer.architecture, machine) {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: "installer-architecture",
                    message: "\(fileName)\(origin) is built for \(installer.architecture) but "
                        + "the host is \(machine): the installer refuses to run",
                    fix: "use NVIDIA-Linux-\(machine)-\(target.text).run"
                )
            )
        }
        let machine = host.machine ?? installer.architecture
        let exact = "NVIDIA-Linux-\(machine)-\(target.text).run"
        let url = DriverMatcher.downloadURLs(version: target, machine: machine).first ?? ""
        let fix =
            "COPY and run \(exact) instead (\(url)); or drop the driver layer and start the "
            + "container with the NVIDIA Container Toolkit (--gpus), which mounts the host's own "
            + "libraries"
        if installer.version == target {
            findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: "installer-exact",
                    message: "\(fileName)\(origin) installs userspace driver "
                        + "\(installer.version.text), the same version as the host's "
                        + "\(input.driverText)"
                )
            )
        } else if installer.version < target {
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "installer-older",
                    message: "\(fileName)\(origin) installs userspace driver "
                        + "\(installer.version.text), older than the host's "
                        + "\(input.driverText): they must be equal, or nvidia-smi and CUDA fail "
                        + "with \"Failed to initialize NVML: Driver/library version mismatch\"",
                    fix: fix
                )
            )
        } else {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: "installer-newer",
                    message: "\(fileName)\(origin) installs userspace driver "
                        + "\(installer.version.text), newer than the host's "
                        + "\(input.driverText): the userspace driver must equal the kernel "
                        + "module and is never above it; NVML fails with \"Driver/library "
                        + "version mismatch\"",
                    fix: fix
                )
            )
        }
        return findings
    }

    /// `x86_64` against `x86_64`; `armv7l-gnueabihf` against `armv7l`.
    static func architectureMatches(_ installer: String, _ machine: String) -> Bool {
        installer == machine || installer.hasPrefix(machine + "-")
            || (installer == "aarch64" && machine == "arm64")
    }

    // MARK: Sources

    static func contextFindings(_ copy: CopyFact, _ source: Expanded, _ input: CheckInput)
        -> [Finding]
    {
        guard copy.fromContext else { return [] }
        if let note = Finding.unresolved(
            line: copy.line,
            names: source.unresolved,
            what: "the installer's \(copy.keyword) source"
        ) {
            return [note]
        }
        let matches = input.context.matches(source.text)
        guard !matches.isEmpty else {
            return [
                Finding(
                    line: copy.line,
                    severity: .error,
                    kind: "installer-source-missing",
                    message: "\(copy.keyword) source \(source.text) is not in "
                        + "\(input.context.label)\(input.context.absenceNote(source.text)): the "
                        + "build stops at this line",
                    fix: input.context.ignoredBy(source.text).map {
                        "add `!\(source.text)` to .dockerignore after '\($0)'"
                    }
                        ?? "put \(CommandWords.basename(source.text)) into the build context "
                        + "(the folder given to `docker build`), or correct the name"
                )
            ]
        }
        return matches.compactMap { match in
            guard case .file(let size) = input.context.entry(match), size < minimumSize else {
                return nil
            }
            return Finding(
                line: copy.line,
                severity: .warning,
                kind: "installer-truncated",
                message: "\(match) in \(input.context.label) is only \(size) bytes; NVIDIA "
                    + "installers are tens of megabytes, so this is a placeholder, a Git LFS "
                    + "pointer or a failed download",
                fix: "download the installer again from NVIDIA"
            )
        }
    }
}
