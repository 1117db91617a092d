/// Judges the `.run` installers in the image, each as what it is (``RunFile``).
///
/// NVIDIA's driver installer puts a userspace driver into the image, which must equal the host's
/// kernel module: NVML refuses any other ("Driver/library version mismatch"; the kernel logs
/// "NVRM: API mismatch", NVIDIA/open-gpu-kernel-modules kernel-open/nvidia/nv.c). Its options
/// must suit a build (no terminal, no kernel to build for) and its own version. The CUDA
/// toolkit's runfile installs its bundled driver unless told `--toolkit`; Ascend packages are
/// named for what they are; other vendors' `.run` files are not judged.
///
/// Installers are found wherever the image gets them: `COPY`/`ADD` (context files and URLs),
/// `wget`/`curl` downloads, and the commands that run them (`sh FILE`, `./FILE`, a pattern).
enum InstallerJudge {
    /// Below this a `.run` is no installer (a Git LFS pointer, an HTML error page).
    static let minimumSize: Int64 = 1 << 20

    /// The first nvidia-installer that takes `--no-kernel-modules`.
    ///
    /// NVIDIA's README for the 515.43.04 release added the "Open Linux Kernel Modules" chapter,
    /// which installs with `--no-kernel-modules` (NVIDIA_Changelog, "2022-05-11 version
    /// 515.43.04"; the 390.157 and 470.256.02 READMEs never name it). `--no-kernel-module`, the
    /// older spelling, stays an alias (nvidia-installer option_table.h at 590.48.01).
    static let pluralOptionSince = [515, 43, 4]

    /// From this version nvidia-installer ignores `--accept-license` (obsolete, kept for
    /// compatibility: nvidia-installer option_table.h); older installers asked for it.
    static let licenseObsoleteSince = [390, 42]

    /// Whether `version` is `floor` or later, part by part.
    static func isAtLeast(_ version: DriverVersion, _ floor: [Int]) -> Bool {
        for (part, bound) in zip(version.parts, floor) where part != bound { return part > bound }
        return version.parts.count >= floor.count
    }

    /// nvidia-installer's own options, which no other `.run` takes: a renamed NVIDIA installer
    /// (`driver.run --silent --no-kernel-module`) is recognised by them.
    static let nvidiaOptions: Set<String> = [
        "--no-kernel-module", "--no-kernel-modules", "--no-opengl-files", "--no-x-check",
        "--no-nouveau-check", "--no-nvidia-modprobe", "--install-libglvnd", "--no-install-libglvnd",
        "--no-unified-memory", "--no-peermem", "--no-check-for-alternate-installs",
        "--install-compat32-libs", "--no-install-compat32-libs", "--no-backup",
    ]

    /// The shells that run a script file (`sh FILE`), as ``ShellKind`` names them.
    static let shells: Set<String> = [
        "sh", "dash", "ash", "posh", "bash", "zsh", "ksh", "mksh", "ksh93",
    ]

    /// A `.run` that a `COPY`, an `ADD` or a download puts into the image.
    struct Source {
        /// The line that put it there.
        var line: Int
        /// The name it is judged by: the copied file's, or the URL's (NVIDIA's own name).
        var name: String
        /// Where it lands.
        var paths: [String]
        /// Its file name in the image.
        var imageName: String
        /// Variables in its name with no known value.
        var unresolved: [String]
        /// ` (copied at line 3)`, for messages.
        var origin: String
        /// From a `COPY` or `ADD` (judged even when not run), not a download.
        var copied: Bool
        var executed = false
    }

    /// A `RUN` that executes a file.
    struct Execution {
        var command: CommandFact
        /// The path as written.
        var path: ScriptWord
        /// Its options.
        var arguments: [String]
    }

    /// An Ascend package a `RUN` executes, with the name it is judged by (the copied file's or
    /// the URL's), for ``CANNPackageJudge`` and ``TorchNPUJudge``.
    struct AscendRun {
        var package: AscendRunfile
        var command: CommandFact
        /// ` (copied at line 3)`, for messages.
        var origin: String
    }

    static func findings(_ input: CheckInput) -> [Finding] {
        scan(input).findings
    }

    /// The findings, and the Ascend packages the image runs (whose names are known).
    static func scan(_ input: CheckInput) -> (findings: [Finding], ascend: [AscendRun]) {
        var findings: [Finding] = []
        var ascend: [AscendRun] = []
        var copied: [Source] = []
        var patterns: [String: [String]] = [:]
        for copy in input.facts.copies {
            for source in copy.sources
            where RunFile.isCandidate(CommandWords.basename(source.text)) {
                findings += contextFindings(copy, source, input)
                var names = [source.text]
                if copy.fromContext, BuildContext.hasWildcard(source.text) {
                    // `COPY NVIDIA-*.run /tmp/` copies what the context holds under that pattern.
                    names = patterns[source.text] ?? input.context.matches(source.text)
                    patterns[source.text] = names
                }
                for name in names {
                    let imageName = CommandWords.basename(name)
                    copied.append(
                        Source(
                            line: copy.line,
                            name: imageName,
                            paths: copy.imagePaths(of: name),
                            imageName: imageName,
                            unresolved: source.unresolved,
                            origin: " (copied at line \(copy.line))",
                            copied: true
                        )
                    )
                }
            }
        }
        // A RUN runs what the latest COPY or download before it put at that path (or under that
        // name).
        var sources: [Source] = []
        var byPath: [String: Int] = [:]
        var byName: [String: Int] = [:]
        // The file names of `byPath`'s paths: most commands run nothing there, which this
        // tells without resolving their path.
        var pathNames: Set<String> = []
        func register(_ source: Source) {
            sources.append(source)
            for path in source.paths {
                byPath[path] = sources.count - 1
                pathNames.insert(CommandWords.basename(path))
            }
            byName[source.imageName] = sources.count - 1
        }
        var next = 0
        for command in input.facts.commands {
            while next < copied.count, copied[next].line < command.line {
                register(copied[next])
                next += 1
            }
            if let download = Download.of(command) {
                let imageName = CommandWords.basename(download.path)
                guard RunFile.isCandidate(download.remoteName) || RunFile.isCandidate(imageName)
                else { continue }
                // NVIDIA's URL names the version even when the file is saved as `driver.run`.
                let remoteKnown = RunFile(download.remoteName) != .other
                register(
                    Source(
                        line: command.line,
                        name: remoteKnown ? download.remoteName : imageName,
                        paths: [download.path],
                        imageName: imageName,
                        unresolved: download.unresolved,
                        origin: " (downloaded at line \(command.line))",
                        copied: false
                    )
                )
                continue
            }
            let known = { (path: String) in
                pathNames.contains(CommandWords.basename(path))
                    && byPath[CommandWords.absolute(path, from: command.directory)] != nil
            }
            guard let execution = execution(command, known: known) else { continue }
            let name = CommandWords.basename(execution.path.text)
            let absolute = CommandWords.absolute(execution.path.text, from: command.directory)
            var linked = byPath[absolute] ?? byName[name]
            if linked == nil, BuildContext.hasWildcard(name) {
                // `sh NVIDIA-*.run`: the first installer put there under a matching name (among
                // the first 64, which bounds the work on a hostile file).
                linked = sources.prefix(64).firstIndex { Glob.matches(name, $0.imageName) }
            }
            var judged = name
            var origin = ""
            var unresolved = execution.path.unresolved
            var noted = false
            if let linked {
                sources[linked].executed = true
                judged = sources[linked].name
                origin = sources[linked].origin
                unresolved = sources[linked].unresolved
                // The COPY line already has the note on its unknown name.
                noted = sources[linked].copied && !unresolved.isEmpty
            } else if name == "nvidia-installer" {
                // `./NVIDIA-Linux-x86_64-550.54.14/nvidia-installer`, after `--extract-only`:
                // the folder carries the package's name.
                let parts = execution.path.text.split(separator: "/")
                if parts.count >= 2, parts[parts.count - 2].hasPrefix(RunFile.nvidiaPrefix) {
                    judged = parts[parts.count - 2] + ".run"
                    if let package = byName[judged] {
                        sources[package].executed = true
                        origin = sources[package].origin
                    }
                }
            }
            if unresolved.isEmpty, case .ascend(let package) = RunFile(judged) {
                ascend.append(AscendRun(package: package, command: command, origin: origin))
            }
            findings += judge(execution, judged, origin, unresolved, noted: noted, input).map {
                $0.when(command)
            }
        }
        while next < copied.count {
            register(copied[next])
            next += 1
        }
        for item in sources where item.copied && !item.executed && item.unresolved.isEmpty {
            // Copied but not run here (an entrypoint may run it): the version still matters.
            guard case .nvidia(let installer) = RunFile(item.name) else { continue }
            findings += driverFindings(
                installer,
                item.name,
                line: item.line,
                " (copied, not run)",
                input
            )
        }
        return (findings, ascend)
    }

    /// The findings for one execution, by what the file is.
    static func judge(
        _ execution: Execution,
        _ name: String,
        _ origin: String,
        _ unresolved: [String],
        noted: Bool,
        _ input: CheckInput
    ) -> [Finding] {
        let line = execution.command.line
        let nvidiaOptions = !nvidiaOptions.isDisjoint(with: execution.arguments)
        var note: [Finding] {
            noted ? [] : [unread(name, origin, unresolved, line: line, input)]
        }
        switch RunFile(name) {
        case .nvidia(let installer) where unresolved.isEmpty:
            return driverFindings(installer, name, line: line, origin, input)
                + optionFindings(
                    execution,
                    name,
                    version: installer.version,
                    bootable: input.isBootable
                )
        case .nvidia, .nvidiaUnread:
            return note + optionFindings(execution, name, version: nil, bootable: input.isBootable)
        case .other where nvidiaOptions:
            return note + optionFindings(execution, name, version: nil, bootable: input.isBootable)
        case .cudaToolkit(let runfile):
            return cudaFindings(execution, runfile, origin, input)
        case .ascend(let package):
            // On a host whose Ascend driver release is known, CANNPackageJudge judges the
            // toolkit's CANN against it instead.
            if case .cann(let component) = package.part,
                CANNPackageJudge.role(component) == .toolkit,
                CANNPackageJudge.hostRelease(input) != nil
            {
                return []
            }
            return [ascendFinding(package, origin, line: line, input)]
        case .other:
            // `cuda_${CUDA}_${DRIVER}_linux.run`: a CUDA runfile whose bundled driver is unknown.
            guard name.hasPrefix("cuda_"), !unresolved.isEmpty, !noted,
                installsBundledDriver(execution.arguments)
            else { return [] }
            return [
                buildArgumentNote(
                    "the CUDA runfile this line runs",
                    unresolved,
                    line: line,
                    what: "the driver this CUDA runfile bundles",
                    hostValue: false,
                    input
                )
            ]
        }
    }

    // MARK: Executions

    /// The file a command executes when it may be an installer: `./X.run`, `/tmp/X.run`,
    /// `sh X.run`, `bash X.run`, a name like NVIDIA's (`sh NVIDIA-Linux-x86_64-*run`), or a file
    /// `known` says a `COPY` or a download put there (`/tmp/driver` after `chmod +x`).
    ///
    /// Nil for anything else (`chmod +x X.run` executes nothing) and for the stub's own
    /// extract or query options, which install nothing.
    static func execution(_ command: CommandFact, known: (String) -> Bool = { _ in false })
        -> Execution?
    {
        let words = command.words
        guard let first = words.first else { return nil }
        func runs(_ text: String) -> Bool {
            RunFile.isCandidate(CommandWords.basename(text)) || known(text)
        }
        // `sh "$DRIVER_RUN" --silent --no-kernel-module`: a path with no known value, run with
        // nvidia-installer's own options.
        func unknownInstaller(_ index: Int) -> Bool {
            words[index].text.isEmpty && !words[index].unresolved.isEmpty
                && words[(index + 1)...].contains { nvidiaOptions.contains($0.text) }
        }
        var pathIndex: Int?
        if runs(first.text), first.text.contains("/" as Character) || first.text.hasSuffix(".run") {
            pathIndex = 0
        } else if unknownInstaller(0) {
            pathIndex = 0
        } else if shells.contains(CommandWords.basename(first.text)) {
            var index = 1
            while index < words.count, words[index].text.hasPrefix("-") {
                if words[index].text.contains("c" as Character)
                    && !words[index].text.hasPrefix("--")
                {
                    return nil
                }
                index += 1
            }
            if index < words.count, runs(words[index].text) || unknownInstaller(index) {
                pathIndex = index
            }
        }
        guard let pathIndex else { return nil }
        let arguments = words[(pathIndex + 1)...].map(\.text)
        let queries: Set<String> = [
            "-x", "--extract-only", "--info", "--list", "--check", "--help", "-h",
            "--advanced-options", "-A", "--version", "--version-string", "--target-arch",
            "--lsm", "--pkg-history", "--label", "--target-os", "--pkg-version", "--uninstall",
            "--sanity", "--driver-info",
        ]
        // The CUDA runfile's `--extract=DIR` unpacks without installing.
        guard !arguments.contains(where: { queries.contains($0) || $0.hasPrefix("--extract=") })
        else { return nil }
        return Execution(command: command, path: words[pathIndex], arguments: arguments)
    }

    /// The installer's options against what a build can do.
    ///
    /// A bootable container (bootc) becomes the host's root, so there the kernel module is
    /// wanted: built for the image's kernel (`--kernel-name`, `-k`), not the build machine's.
    static func optionFindings(
        _ execution: Execution,
        _ fileName: String,
        version: DriverVersion?,
        bootable: Bool = false
    ) -> [Finding] {
        var findings: [Finding] = []
        let arguments = Set(execution.arguments)
        let line = execution.command.line
        let shown = execution.path.text
        // `--no-kernel-module` works on every installer; the plural only from 515.43.04.
        let plural = version.map { isAtLeast($0, pluralOptionSince) } ?? false
        let kernelOption = plural ? "--no-kernel-modules" : "--no-kernel-module"
        let old = version.map { !isAtLeast($0, licenseObsoleteSince) } ?? false
        let license = old ? " --accept-license" : ""
        let suggested = "`\(shown) \(kernelOption) --silent\(license)`"
        if arguments.contains("--no-kernel-modules"), let version, !plural {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: .installerOptionUnsupported,
                    message: "\(fileName) is nvidia-installer \(version.text), which has no "
                        + "--no-kernel-modules (that spelling came with 515.43.04; older "
                        + "installers take --no-kernel-module), so it stops at the unknown option",
                    fix: "write --no-kernel-module (\(suggested))"
                )
            )
        } else if arguments.isDisjoint(with: ["--no-kernel-module", "--no-kernel-modules"]),
            bootable
        {
            let forKernel = execution.arguments.contains {
                $0 == "-k" || $0.hasPrefix("--kernel-name") || $0.hasPrefix("--kernel-source-path")
            }
            if !forKernel {
                findings.append(
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: .installerKernelModule,
                        message: "\(fileName) builds its kernel module in a bootable image, which "
                            + "is right there, but without --kernel-name it builds for the build "
                            + "machine's running kernel (uname -r), not the image's",
                        fix: "pass --kernel-name=<the version under /usr/lib/modules in the image>"
                    )
                )
            }
        } else if arguments.isDisjoint(with: ["--no-kernel-module", "--no-kernel-modules"]) {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: .installerKernelModule,
                    message: "\(fileName) runs without \(kernelOption): it tries to build "
                        + "and load a kernel module inside the build, where there is no kernel "
                        + "source and the host's module is already loaded, and fails",
                    fix: "run it as \(suggested)"
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
                    kind: .installerNotSilent,
                    message: "\(fileName) runs without --silent: the installer asks questions "
                        + "and a build has no terminal to answer them, so it stops or fails",
                    fix: "add --silent (\(suggested))"
                )
            )
        }
        if !arguments.isDisjoint(with: ["--accept-license", "-a"]), let version,
            isAtLeast(version, licenseObsoleteSince)
        {
            findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .installerAcceptLicense,
                    message: "--accept-license is obsolete from nvidia-installer 390.42 on: "
                        + "\(fileName) (\(version.text)) ignores it and takes the license as "
                        + "accepted",
                    fix: "drop --accept-license"
                )
            )
        }
        return findings
    }

    /// A note for an NVIDIA installer whose version cannot be read: a variable with no value,
    /// a pattern nothing resolves, or a name not in NVIDIA's form.
    static func unread(
        _ name: String,
        _ origin: String,
        _ unresolved: [String],
        line: Int,
        _ input: CheckInput
    ) -> Finding {
        let host = input.host.targetDriverVersion.map { " the host's \($0.text)" } ?? ""
        let shown = "'\(name.prefix(80))'\(origin)"
        if !unresolved.isEmpty {
            // The name as expanded lacks the variables' text: it is not shown.
            return buildArgumentNote(
                "the NVIDIA installer this line runs",
                unresolved,
                line: line,
                what: "the driver version it installs",
                input
            )
        }
        if BuildContext.hasWildcard(name) {
            return Finding(
                line: line,
                severity: .note,
                kind: .installerNameUnknown,
                message: "\(shown) names the installer by a pattern that no COPY, ADD or "
                    + "download before this line resolves (it may come from the base image or a "
                    + "mount), so its driver version cannot be checked against\(host)",
                fix: "copy or download the installer by its full name in this Dockerfile"
            )
        }
        return Finding(
            line: line,
            severity: .note,
            kind: .installerNameUnknown,
            message: "\(shown) is run as an NVIDIA driver installer but its name does not follow "
                + "NVIDIA's \(InstallerFileName.pattern) naming, so its driver version cannot be "
                + "checked against\(host)",
            fix: "keep NVIDIA's file name, which carries the version"
        )
    }

    /// A note that a name holds variables with no known value, saying which `--build-arg`
    /// would settle it (the host's driver version being the value that works).
    static func buildArgumentNote(
        _ shown: String,
        _ unresolved: [String],
        line: Int,
        what: String,
        hostValue: Bool = true,
        _ input: CheckInput
    ) -> Finding {
        var seen = Set<String>()
        let names = unresolved.map { $0.hasPrefix("$") ? String($0.dropFirst()) : $0 }
            .filter { seen.insert($0).inserted }.prefix(4)
        let list = names.map { "$" + $0 }.joined(separator: ", ")
        let target = hostValue ? input.host.targetDriverVersion : nil
        // The host's version is the value a version variable needs; a file name is not known.
        let arguments = names.map { name in
            let upper = name.uppercased()
            let version =
                upper.containsText("VERSION") || upper.hasSuffix("_VER") || upper.hasSuffix("_V")
            let value = version ? target?.text ?? "..." : "..."
            return "--build-arg \(name)=\(value)"
        }.joined(separator: " ")
        return Finding(
            line: line,
            severity: .note,
            kind: .unresolvedVariable,
            message: "\(shown): \(list) has no value known here (no default, or set by the base "
                + "image), so \(what) cannot be checked against the host",
            fix: "check again with the value the build gets (`\(arguments)`"
                + (target != nil && arguments.containsText(target?.text ?? "...")
                    ? ", the host's driver version)" : ")")
        )
    }

    // MARK: Versions

    static func driverFindings(
        _ installer: InstallerFileName,
        _ fileName: String,
        line: Int,
        _ origin: String,
        _ input: CheckInput
    ) -> [Finding] {
        let subject = "\(fileName)\(origin) installs userspace driver"
        guard let target = input.host.targetDriverVersion else {
            return [hostProblem(subject, installer.version, line: line, input)]
        }
        var findings: [Finding] = []
        let host = input.host
        if let machine = host.machine, !architectureMatches(installer.architecture, machine) {
            findings.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: .installerArchitecture,
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
        findings += comparison(
            installer.version,
            subject,
            line: line,
            kinds: (.installerExact, .installerOlder, .installerNewer),
            fix: fix,
            input
        )
        return findings
    }

    /// A userspace driver in an image for a host whose GPUs run under a Windows driver model:
    /// Linux containers reach them through WSL 2, whose toolkit mounts Windows' libcuda from
    /// /usr/lib/wsl/lib; the image's own libcuda has a higher version in its file name, so
    /// ldconfig prefers it, and it looks for /dev/nvidiactl, which WSL 2 does not have.
    static func windowsHost(
        _ subject: String,
        line: Int,
        _ input: CheckInput
    ) -> Finding? {
        guard let model = input.host.windowsDriverModel else { return nil }
        return Finding(
            line: line,
            severity: .error,
            kind: .driverOnWindowsHost,
            message: "\(subject), but the host's GPUs run under the Windows driver "
                + "(\(model)) and reach Linux containers through WSL 2, which lends them "
                + "Windows' libcuda from /usr/lib/wsl/lib: a Linux driver in the image shadows "
                + "it, and CUDA then finds no GPU",
            fix: "drop the driver layer: under WSL 2 the container gets its driver from Windows "
                + "(NVIDIA's CUDA on WSL guide: install no Linux display driver inside WSL 2)"
        )
    }

    /// The userspace driver `version` in the image against the host's kernel module.
    ///
    /// Equal: fine. Newer: the image's libraries are the newest of their name, so they are the
    /// ones loaded, and NVML refuses the older module. Older: glibc's ldconfig links each
    /// library name to the newest file of that name (elf/ldconfig.c, `_dl_cache_libcmp`), so the
    /// host's newer libraries that the NVIDIA Container Toolkit mounts beside them win and the
    /// container runs; what loads the image's own copies by file name, or runs without the
    /// toolkit's mounts, still fails, hence a warning.
    static func comparison(
        _ version: DriverVersion,
        _ subject: String,
        line: Int,
        kinds: (exact: Finding.Kind, older: Finding.Kind, newer: Finding.Kind),
        fix: String,
        _ input: CheckInput
    ) -> [Finding] {
        if let windows = windowsHost("\(subject) \(version.text)", line: line, input) {
            return [windows]
        }
        guard let target = input.host.targetDriverVersion else { return [] }
        if version == target {
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: kinds.exact,
                    message: "\(subject) \(version.text), the same version as the host's "
                        + "\(input.driverText)"
                )
            ]
        }
        if version < target {
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: kinds.older,
                    message: "\(subject) \(version.text), older than the host's "
                        + "\(input.driverText): they must be equal; under the NVIDIA Container "
                        + "Toolkit the host's newer libraries win the library links and it runs, "
                        + "but whatever loads the image's own copies fails with \"Failed to "
                        + "initialize NVML: Driver/library version mismatch\"",
                    fix: fix
                )
            ]
        }
        return [
            Finding(
                line: line,
                severity: .error,
                kind: kinds.newer,
                message: "\(subject) \(version.text), newer than the host's "
                    + "\(input.driverText): the userspace driver must equal the kernel "
                    + "module and is never above it; NVML fails with \"Driver/library "
                    + "version mismatch\"",
                fix: fix
            )
        ]
    }

    /// The finding when the host has no driver version to compare with.
    static func hostProblem(
        _ subject: String,
        _ version: DriverVersion?,
        line: Int,
        _ input: CheckInput
    ) -> Finding {
        let host = input.host
        let installs = version.map { "\(subject) \($0.text)" } ?? subject
        if !host.gpus.isEmpty {
            return Finding(
                line: line,
                severity: .warning,
                kind: .installerNoHostDriver,
                message: "\(installs), but the host's GPUs (\(input.gpuText)) have no driver "
                    + "loaded: the image can only work once the host runs the same version",
                fix: "install the NVIDIA driver \(version?.text ?? "of the same version") on the "
                    + "host (kernel module and userspace), or install in the image the version "
                    + "the host will run"
            )
        }
        if host.nvidiaSoftwarePresent {
            return Finding(
                line: line,
                severity: .warning,
                kind: .installerHostVersionUnknown,
                message: "\(installs), but the host's driver version is unknown (nvidia-smi "
                    + "failed), so the match cannot be checked",
                fix: "fix nvidia-smi on the host (see `gpuprobe probe`), then check again"
            )
        }
        return Finding(
            line: line,
            severity: .warning,
            kind: .installerNoHostDriver,
            message: "\(installs), but the host has no NVIDIA GPU or driver: nothing in the "
                + "image can use it",
            fix: "drop the driver layer, or check against the host that will run it"
        )
    }

    /// `x86_64` against `x86_64`; `armv7l-gnueabihf` against `armv7l`.
    static func architectureMatches(_ installer: String, _ machine: String) -> Bool {
        installer == machine || installer.hasPrefix(machine + "-")
            || (installer == "aarch64" && machine == "arm64")
    }

    // MARK: CUDA and Ascend packages

    /// The CUDA runfile installs its bundled driver with `--driver`, or when no component is
    /// named (`--toolkit`, `--driver`, `--samples`...: with none, the runfile installs its
    /// default selection, driver included; NVIDIA, CUDA Installation Guide for Linux, "Runfile
    /// Advanced Options").
    static func cudaFindings(
        _ execution: Execution,
        _ runfile: CUDARunfile,
        _ origin: String,
        _ input: CheckInput
    ) -> [Finding] {
        let arguments = Set(execution.arguments)
        guard installsBundledDriver(execution.arguments), let driver = runfile.driver else {
            return []
        }
        let line = execution.command.line
        let how = arguments.contains("--driver") ? "with --driver" : "without --toolkit"
        let name = "\(runfile.name)\(origin)"
        var findings = [
            Finding(
                line: line,
                severity: .note,
                kind: .installerCUDADriver,
                message: "\(name) runs \(how): besides CUDA \(runfile.toolkit) it installs its "
                    + "bundled driver \(driver.text) and tries to build that driver's kernel "
                    + "module, which a build has no kernel for (whether the runfile then fails "
                    + "the build was not confirmed here)",
                fix: "install the toolkit alone: `\(execution.path.text) --silent --toolkit`"
            )
        ]
        let subject = "\(name) installs its bundled userspace driver"
        guard input.host.targetDriverVersion != nil else {
            return findings + [hostProblem(subject, driver, line: line, input)]
        }
        findings += comparison(
            driver,
            subject,
            line: line,
            kinds: (.installerExact, .installerOlder, .installerNewer),
            fix: "add --toolkit (`\(execution.path.text) --silent --toolkit`), so that the "
                + "container uses the host's own driver libraries, mounted by the NVIDIA "
                + "Container Toolkit (--gpus)",
            input
        )
        return findings
    }

    static func installsBundledDriver(_ arguments: [String]) -> Bool {
        let components: Set<String> = [
            "--toolkit", "--driver", "--samples", "--demo-suite", "--uninstall",
        ]
        return arguments.contains("--driver") || components.isDisjoint(with: arguments)
    }

    static func ascendFinding(
        _ package: AscendRunfile,
        _ origin: String,
        line: Int,
        _ input: CheckInput
    ) -> Finding {
        let name = "\(package.name.prefix(120))\(origin)"
        var architecture = ""
        if let built = package.architecture, let machine = input.host.machine,
            !architectureMatches(built, machine)
        {
            architecture = "; it is built for \(built) and the host is \(machine)"
        }
        switch package.part {
        case .cann(let component):
            let host = input.report.ascend?.driverVersion.map { " (\($0) here)" } ?? ""
            return Finding(
                line: line,
                severity: .note,
                kind: .installerAscendCANN,
                message: "\(name) installs Ascend CANN "
                    + "\(component.isEmpty ? "toolkit" : component) \(package.version), not an "
                    + "NVIDIA driver: it runs on the host's Ascend driver\(host), whose pairing "
                    + "with this CANN is not judged here\(architecture)"
            )
        case .driver, .firmware:
            let what = package.part == .driver ? "NPU driver" : "NPU firmware"
            return Finding(
                line: line,
                severity: .note,
                kind: .installerAscendDriver,
                message: "\(name) installs the Ascend \(what) \(package.version) into the "
                    + "image: a container uses the host's, which the Ascend Docker runtime (or "
                    + "`-v /usr/local/Ascend/driver/...`) mounts over these files\(architecture)",
                fix: "drop the \(what) package from the image and mount the host's "
                    + "/usr/local/Ascend/driver when the container starts"
            )
        }
    }

    // MARK: Sources

    static func contextFindings(_ copy: CopyFact, _ source: Expanded, _ input: CheckInput)
        -> [Finding]
    {
        guard copy.fromContext else { return [] }
        if !source.unresolved.isEmpty {
            let name = CommandWords.basename(source.text)
            if RunFile(name) != .other {
                return [
                    buildArgumentNote(
                        "the NVIDIA installer this \(copy.keyword) names",
                        source.unresolved,
                        line: copy.line,
                        what: "the installer it copies",
                        input
                    )
                ]
            }
            return Finding.unresolved(
                line: copy.line,
                names: source.unresolved,
                what: "the installer's \(copy.keyword) source"
            ).map { [$0] } ?? []
        }
        let matches = input.context.matches(source.text)
        guard !matches.isEmpty else {
            return [
                Finding(
                    line: copy.line,
                    severity: .error,
                    kind: .installerSourceMissing,
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
            // Only NVIDIA's installers and the CUDA runfile are known to be large; an Ascend
            // kernels package or another vendor's `.run` may well be small.
            switch RunFile(CommandWords.basename(match)) {
            case .nvidia, .nvidiaUnread, .cudaToolkit: break
            case .ascend, .other: return nil
            }
            guard case .file(let size) = input.context.entry(match), size < minimumSize else {
                return nil
            }
            return Finding(
                line: copy.line,
                severity: .warning,
                kind: .installerTruncated,
                message: "\(match) in \(input.context.label) is only \(size) bytes; NVIDIA "
                    + "installers are tens of megabytes, so this is a placeholder, a Git LFS "
                    + "pointer or a failed download",
                fix: "download the installer again from NVIDIA"
            )
        }
    }
}
