/// Judges PyTorch installs (`pip install torch==...`, `pytorch/pytorch` base images) against
/// the host: which wheel variant the command really gets, whether the driver runs its CUDA,
/// and whether it carries kernels for each GPU, through the same rules `match` uses
/// (``TorchMatcher/checkDriverAndKernels(_:host:machine:catalog:native:)``).
enum TorchJudge {
    /// Where a `-f` / `--find-links` URL points.
    enum FindLinks: Equatable {
        /// A folder of one variant's wheels (`.../whl/cu124`, `.../cu113/torch_stable.html`).
        case variantFolder(String)
        /// A page listing every variant's wheels (`.../whl/torch_stable.html`).
        case everyVariant
        /// A web page with no wheels (pytorch.org's install pages); the variant it names, if
        /// any, in its path or fragment.
        case documentation(intended: String?)
        /// Something else (a local folder, a mirror page).
        case other
    }

    static func findings(_ input: CheckInput) -> [Finding] {
        var judge = Judging(input: input)
        if let final = input.facts.finalStage,
            let (root, image) = input.facts.externalBase(of: final.index),
            case .pytorch(let torch, _, let variant) = image.kind
        {
            judge.installed[root.index] = torch
            judge.findings += judge.variant(
                version: torch,
                variant: variant,
                line: root.line,
                origin: "the base image \(image.text)"
            )
        }
        for (command, parsed) in zip(input.facts.commands, judge.pipInstalls) {
            let start = judge.findings.count
            if let install = parsed {
                judge.install(install, command)
            } else if let conda = condaTorch(command, input) {
                judge.findings.append(conda)
            }
            for index in start..<judge.findings.count {
                judge.findings[index] = judge.findings[index].when(command)
            }
        }
        return judge.findings
    }

    /// Each command's pip install with the requirements and index options of its `-r` files,
    /// as ``findings(_:)`` reads them (the notes on files it cannot read are its own).
    static func pipInstalls(_ input: CheckInput) -> [(command: CommandFact, install: PipInstall)] {
        var judge = Judging(input: input)
        var installs: [(command: CommandFact, install: PipInstall)] = []
        for (command, parsed) in zip(input.facts.commands, judge.pipInstalls) {
            guard let parsed else { continue }
            installs.append((command, judge.withRequirementFiles(parsed, command)))
        }
        return installs
    }

    /// `conda install pytorch pytorch-cuda=12.1 -c pytorch -c nvidia`, `mamba install
    /// pytorch::pytorch`.
    ///
    /// The catalog holds pip wheels only, so the conda build's GPU code is not known; where
    /// `pytorch-cuda=X.Y` or `cuda-version=X.Y` names the CUDA runtime the environment gets,
    /// that is judged against the driver as a wheel's CUDA is. Otherwise a note names the line.
    static func condaTorch(_ command: CommandFact, _ input: CheckInput) -> Finding? {
        guard let program = command.words.first.map({ CommandWords.basename($0.text) }),
            ["conda", "mamba", "micromamba"].contains(program),
            command.words.dropFirst().first?.text == "install"
        else { return nil }
        // Package words, without options and the values of those that take one (`-c pytorch`).
        var packages: [String] = []
        var skip = false
        for word in command.words.dropFirst(2).map(\.text) {
            if skip {
                skip = false
            } else if word.hasPrefix("-") {
                skip = ["-c", "--channel", "-n", "--name", "-p", "--prefix", "--file"].contains(
                    word
                )
            } else {
                packages.append(word)
            }
        }
        func name(_ word: String) -> Substring {
            (word.split(separator: ":").last ?? "").prefix { !"=<>! ".contains($0) }
        }
        guard
            let torch = packages.first(where: { name($0) == "pytorch" })
                ?? packages.first(where: { ["pytorch-cuda", "pytorch-gpu"].contains(name($0)) })
        else { return nil }
        // `pytorch-cuda=12.1`, `cuda-version==12.4`, `pytorch-cuda=12.1.*`: an exact runtime.
        let runtime = packages.lazy.compactMap { word -> (String, CUDAVersion)? in
            let name = word.prefix { !"=<>! ".contains($0) }
            guard name == "pytorch-cuda" || name == "cuda-version" else { return nil }
            let value = word.dropFirst(name.count).drop { $0 == "=" }
            guard word.dropFirst(name.count).hasPrefix("="),
                let version = CUDAVersion(String(value.prefix { $0.isNumber || $0 == "." }))
            else { return nil }
            return (word, version)
        }.first
        let host = input.host
        guard let (pin, cuda) = runtime, let driver = host.targetDriverVersion,
            let native = input.native, !host.gpus.isEmpty
        else {
            return Finding(
                line: command.line,
                severity: .note,
                kind: .torchCondaUnjudged,
                message: "\(program) installs \(torch.prefix(60)): which conda build (CUDA "
                    + "version, GPU code) the channels resolve to is not in the catalog, which "
                    + "holds pip wheels, so this torch is not checked against the host (pin "
                    + "pytorch-cuda=X.Y to have its CUDA checked)",
                fix: nil
            )
        }
        let subject =
            "\(program) installs \(torch.prefix(60)) with \(pin.prefix(40)) (CUDA \(cuda))"
        if cuda <= native {
            return Finding(
                line: command.line,
                severity: .note,
                kind: .torchCondaUnjudged,
                message: "\(subject): driver \(driver.text) (CUDA \(native)) runs that CUDA "
                    + "natively; the conda build's GPU code is not in the catalog, so kernels "
                    + "for the host's GPUs are not checked",
                fix: nil
            )
        }
        let family = input.catalog.cudaFamilies.first { $0.major == cuda.major }
        if let family, family.admits(driver) {
            return Finding(
                line: command.line,
                severity: .warning,
                kind: .torchMinorCompat,
                message: "\(subject) is newer than driver \(driver.text) (CUDA \(native)): it "
                    + "runs on CUDA minor-version compatibility only (limited feature set, no PTX "
                    + "JIT)",
                fix: "pin pytorch-cuda to at most \(native), or update the host driver"
            )
        }
        return Finding(
            line: command.line,
            severity: .error,
            kind: .torchDriverTooOld,
            message: "\(subject) cannot load: CUDA \(cuda) needs driver >= "
                + (family?.minDriver ?? "a newer branch") + ", host has \(driver.text)",
            fix: "pin pytorch-cuda to at most \(native), or update the host driver"
        )
    }

    /// The variant an index URL serves: its last path segment (`.../whl/cu124`).
    static func indexVariant(_ url: String) -> String? {
        let path = url.prefix { $0 != "#" && $0 != "?" }
        guard let last = path.split(separator: "/").last.map(String.init),
            PipRequirement.isVariantName(last)
        else { return nil }
        return last.lowercased()
    }

    /// What a `-f` URL is.
    static func classify(findLinks url: String) -> FindLinks {
        let lower = url.lowercased()
        let hasFragment = lower.contains("#")
        let path = lower.prefix { $0 != "#" && $0 != "?" }
        let segments = path.split(separator: "/").map(String.init)
        let host =
            lower.containsText("://")
            ? String(lower.split(separator: "/").dropFirst().first ?? "") : ""
        if let last = segments.last {
            if PipRequirement.isVariantName(last) { return .variantFolder(last) }
            if last == "torch_stable.html" {
                if segments.count >= 2, PipRequirement.isVariantName(segments[segments.count - 2]) {
                    return .variantFolder(segments[segments.count - 2])
                }
                return .everyVariant
            }
        }
        if hasFragment || host == "pytorch.org" || host == "www.pytorch.org" {
            return .documentation(intended: cudaVariant(in: lower))
        }
        return .other
    }

    /// The first `cuXYZ` in a text (`...-pip-cu124` → `cu124`).
    static func cudaVariant(in text: String) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 4 <= bytes.count {
            let before = index == 0 ? 0 : bytes[index - 1]
            if bytes[index] == UInt8(ascii: "c"), bytes[index + 1] == UInt8(ascii: "u"),
                !VariableExpansion.isNameStart(before) || before == UInt8(ascii: "_")
                    || before == UInt8(ascii: "-")
            {
                var end = index + 2
                while end < bytes.count, ASCIIBytes.isDigit(bytes[end]) { end += 1 }
                if (2...3).contains(end - index - 2) {
                    return String(decoding: bytes[index..<end], as: UTF8.self)
                }
            }
            index += 1
        }
        return nil
    }
}

/// The state of one judging pass: findings so far, the torch each stage got, fixes found.
private struct Judging {
    let input: CheckInput
    var findings: [Finding] = []
    /// The torch version installed per stage, for `torchvision` installed on its own later.
    var installed: [Int: String] = [:]
    var picks: [String: TorchPick?] = [:]
    var candidates: [String: TorchMatcher.Candidate] = [:]
    /// The torch each stage inherits from the stage it is built on.
    var inherited: [Int: String?] = [:]
    var newestByVariant: [String: (TorchReleaseLine, TorchPatch)?] = [:]
    /// The verdict of each distinct install met so far (``install(_:_:)``).
    var outcomes: [InstallKey: InstallOutcome] = [:]
    /// pip's and uv's choice among the indexes, worked out once per distinct install.
    var resolver: TorchResolver
    /// Every patch by its version's numbers without trailing zeros (`2.4` and `2.4.0` are one
    /// key): one lookup per install instead of a scan of the catalog.
    let patches: [[Int]: (TorchReleaseLine, TorchPatch)]
    /// The pip install of each command (nil for other commands), read once: the judge and
    /// ``npuInImage`` both need them.
    let pipInstalls: [PipInstall?]

    init(input: CheckInput) {
        self.input = input
        pipInstalls = input.facts.commands.map {
            PipInstall.parse($0.words, environment: $0.environment)
        }
        var patches: [[Int]: (TorchReleaseLine, TorchPatch)] = [:]
        for release in input.catalog.releases {
            for patch in release.patches {
                guard let key = Self.key(patch.torch) else { continue }
                patches[key] = (release, patch)
            }
        }
        self.patches = patches
        resolver = TorchResolver(catalog: input.catalog, machine: input.machine)
    }

    /// `match`'s verdict on one wheel, worked out once per wheel.
    mutating func candidate(
        _ release: TorchReleaseLine,
        _ patch: TorchPatch,
        _ variant: TorchVariant,
        pypi: Bool = false
    ) -> TorchMatcher.Candidate {
        let key = patch.torch + "+" + variant.name + (pypi ? "@pypi" : "")
        if let known = candidates[key] { return known }
        let checked = TorchMatcher.checkDriverAndKernels(
            TorchMatcher.Candidate(line: release, patch: patch, variant: variant),
            host: input.host,
            machine: input.machine,
            catalog: input.catalog,
            native: input.native
        )
        candidates[key] = checked
        return checked
    }

    static func key(_ version: String) -> [Int]? {
        guard var parts = numericParts(version) else { return nil }
        while parts.count > 1, parts.last == 0 { parts.removeLast() }
        return parts
    }

    /// The catalog's release line and patch for a torch version.
    func patch(_ version: String) -> (TorchReleaseLine, TorchPatch)? {
        Self.key(version).flatMap { patches[$0] }
    }

    /// `given` with the requirements and index options of the `-r` files the context holds.
    ///
    /// A file's `--index-url` replaces the command line's, as pip applies a file's options to
    /// the whole install. A file it cannot read gets a note saying why; files named inside
    /// files are followed, relative to their folder. What is read is bounded (16 files, 1 MiB
    /// each, 10,000 lines in all): a file past a bound is an error finding, as a torch in it
    /// goes unchecked and the Dockerfile cannot be called compatible.
    mutating func withRequirementFiles(_ given: PipInstall, _ command: CommandFact) -> PipInstall {
        var install = given
        install.requirementFiles = []
        var queue: [(word: ScriptWord, path: String)] = []
        var queued: Set<String> = []
        var overCount = false
        func limit(_ message: String, _ fix: String) {
            findings.append(
                Finding(
                    line: command.line,
                    severity: .error,
                    kind: .pipRequirementsLimit,
                    message: message + ": a torch named in what is not read goes unchecked, so "
                        + "this verdict is incomplete",
                    fix: fix
                )
            )
        }
        func enqueue(_ words: [ScriptWord], from folder: String) {
            for word in words {
                let path = CommandWords.absolute(word.text, from: folder)
                guard queued.insert(path).inserted else { continue }
                guard queue.count < RequirementsFile.maximumFiles else {
                    // One finding per install: the first file left out names the limit.
                    if !overCount {
                        overCount = true
                        limit(
                            "\(install.tool) installs from \(word.text), a requirements file past "
                                + "the \(RequirementsFile.maximumFiles) gpuprobe reads for one "
                                + "install",
                            "name fewer requirements files (merge them into at most "
                                + "\(RequirementsFile.maximumFiles))"
                        )
                    }
                    continue
                }
                queue.append((word, path))
            }
        }
        enqueue(given.requirementFiles, from: command.directory)
        var linesLeft = RequirementsFile.maximumLines
        var bytesLeft = RequirementsFile.maximumBytes
        var next = 0
        while next < queue.count {
            let (word, path) = queue[next]
            next += 1
            func unseen(_ why: String, kind: Finding.Kind = .pipRequirementsUnseen) {
                findings.append(
                    Finding(
                        line: command.line,
                        severity: .note,
                        kind: kind,
                        message: "\(install.tool) installs from \(word.text), " + why
                            + ", so a torch it names is not checked",
                        fix: nil
                    )
                )
            }
            guard word.unresolved.isEmpty,
                let source = RequirementsFile.contextPath(
                    of: path,
                    before: command.line,
                    stage: command.stage,
                    facts: input.facts,
                    context: input.context
                )
            else {
                unseen(
                    "which no COPY from \(input.context.label) puts at \(path) before this line "
                        + "(or the context lacks it)"
                )
                continue
            }
            let text: String
            switch input.context.contents(source.path, floor: source.floor) {
            case .text(let read):
                text = read
            case .tooLarge(let bytes):
                limit(
                    "\(install.tool) installs from \(word.text) (\(source.path) in "
                        + "\(input.context.label)), which is larger than the "
                        + "\(BoundedFile.sizeText(bytes)) gpuprobe reads",
                    "split \(source.path) into smaller requirements files"
                )
                continue
            case .absent(.outside(let link)):
                unseen(
                    "which a COPY takes from \(source.path), but "
                        + BuildContext.outsideText(link, of: input.context.label),
                    kind: .pipRequirementsOutside
                )
                continue
            case .absent(.special(let kind)):
                unseen(
                    "which a COPY takes from \(source.path), but that is \(kind), not a regular file"
                )
                continue
            case .absent(.present(.directory)):
                unseen("which a COPY takes from \(source.path), but that is a folder")
                continue
            case .absent(.failed(let why)):
                unseen("which a COPY takes from \(source.path), but it cannot be read: \(why)")
                continue
            case .absent(.ignored(let pattern)):
                unseen(
                    "which a COPY takes from \(source.path), but its .dockerignore leaves it "
                        + "out with '\(DockerIgnore.cut(pattern))'"
                )
                continue
            case .absent:
                unseen(
                    "which no COPY from \(input.context.label) puts at \(path) before this line "
                        + "(or the context lacks it)"
                )
                continue
            }
            bytesLeft -= text.utf8.count
            guard bytesLeft >= 0 else {
                limit(
                    "\(install.tool) installs from \(word.text) (\(source.path)), and its "
                        + "requirements files hold more than the "
                        + "\(BoundedFile.sizeText(RequirementsFile.maximumBytes)) gpuprobe reads "
                        + "for one install",
                    "split the install into several `pip install -r` commands"
                )
                break
            }
            let (lines, complete) = RequirementsFile.lines(text, limit: linesLeft)
            linesLeft -= lines.count
            var file = PipInstall(tool: install.tool)
            for line in lines { file.read(line[...]) }
            install.requirements += file.requirements
            install.indexURL = file.indexURL ?? install.indexURL
            install.extraIndexURLs += file.extraIndexURLs
            install.findLinks += file.findLinks
            install.noIndex = install.noIndex || file.noIndex
            install.upgrade = install.upgrade || file.upgrade
            guard complete else {
                limit(
                    "\(install.tool) installs from \(word.text) (\(source.path)), and its "
                        + "requirements files have more than the \(RequirementsFile.maximumLines) "
                        + "lines gpuprobe reads for one install",
                    "split the install into several `pip install -r` commands"
                )
                break
            }
            // Relative to the file's own folder, as pip reads nested files.
            enqueue(file.requirementFiles, from: path + "/..")
        }
        return install
    }

    /// The newest patch that has `variant` wheels (what an unpinned install gets from that
    /// variant's index).
    mutating func newest(_ variant: String) -> (TorchReleaseLine, TorchPatch)? {
        if let known = newestByVariant[variant] { return known }
        var found: (TorchReleaseLine, TorchPatch)?
        for release in input.catalog.releases {
            for patch in release.patches
            where release.variants.contains(where: {
                $0.name == variant && ($0.patches?.contains(patch.torch) ?? true)
            }) {
                if found.map({ compareVersions(patch.torch, $0.1.torch) > 0 }) ?? true {
                    found = (release, patch)
                }
            }
        }
        newestByVariant[variant] = .some(found)
        return found
    }

    /// What `match` would install for a torch version on this host, as a fix.
    mutating func recommendation(_ version: String?) -> String? {
        let key = version ?? ""
        if picks[key] == nil {
            let plan = TorchMatcher.match(
                host: input.host,
                catalog: input.catalog,
                request: TorchRequest(torch: version)
            )
            picks[key] = .some(plan.pick)
        }
        guard let pick = picks[key] ?? nil else { return nil }
        let how = pick.minorVersionCompatibility ? "on minor-version compatibility" : "native"
        return "`\(pick.installCommand)`" + (pick.cuda.map { " (CUDA \($0), \(how))" } ?? "")
    }

    /// The torch a stage has: its own install, else the one of the stage it is built on.
    ///
    /// Stages come in order, so a parent's answer is final when a child asks; it is kept, and
    /// a chain of thousands of stages is walked once.
    mutating func stageTorch(_ stage: Int) -> String? {
        var pending: [Int] = []
        var current = stage
        var found: String?
        while true {
            if let own = installed[current] {
                found = own
                break
            }
            if let known = inherited[current] {
                found = known
                break
            }
            pending.append(current)
            guard input.facts.stages.indices.contains(current),
                case .stage(let parent) = input.facts.stages[current].base, parent < current
            else { break }
            current = parent
        }
        for index in pending { inherited[index] = .some(found) }
        return found
    }

    /// The torch a package in the install pins (`vllm==0.6.3` → torch 2.4.0), as the catalog
    /// records its wheels' `Requires-Dist`; an unpinned package is its newest release there.
    func frameworkPin(_ install: PipInstall) -> (text: String, torch: String)? {
        for pins in input.catalog.torchPins ?? [] {
            guard let requirement = install.requirement(pins.package) else { continue }
            if let version = requirement.version {
                guard let torch = pins.versions[version] else { continue }
                return ("\(pins.package) \(version) pins torch==\(torch)", torch)
            }
            guard requirement.bare,
                let newest = pins.versions.keys.max(by: { Self.releaseOrder($0, $1) })
            else { continue }
            let torch = pins.versions[newest] ?? ""
            return (
                "\(pins.package) (unpinned: its newest release in the catalog, updated "
                    + "\(input.catalog.updated), is \(newest), which pins torch==\(torch))",
                torch
            )
        }
        return nil
    }

    /// `0.6.3.post1` after `0.6.3`, `0.10.0` after `0.9.2`.
    static func releaseOrder(_ left: String, _ right: String) -> Bool {
        func numbers(_ text: String) -> [Int] {
            text.split(separator: ".").map { Int($0.hasPrefix("post") ? $0.dropFirst(4) : $0) ?? 0 }
        }
        return PipVersion.compareRelease(numbers(left), numbers(right)) < 0
    }

    /// Whether the image gets torch_npu (the Ascend backend that runs on the CPU build).
    ///
    /// Through a pip install in the file, or an Ascend PyTorch base image (`ascendai/pytorch`,
    /// `quay.io/ascend/pytorch`), which ships torch_npu.
    lazy var npuInImage: Bool =
        pipInstalls.contains { $0?.requirement("torch-npu") != nil }
        || input.facts.stages.indices.contains { index in
            guard let (_, image) = input.facts.externalBase(of: index) else { return false }
            let name = image.text.lowercased()
            return name.containsText("ascend") && name.containsText("torch")
        }

    /// Judges one install, or repeats the verdict of an identical one met before.
    ///
    /// Large Dockerfiles repeat the same `pip install torch==...` in stage after stage. What
    /// ``judge(_:stage:line:)`` finds depends on the install (after its requirements files are
    /// read, which depends on the line), the torch its stage has, and nothing else of the
    /// command but the line the findings name; so an install with the same key gets the same
    /// findings, moved to its own line, and leaves the same torch in its stage.
    mutating func install(_ given: PipInstall, _ command: CommandFact) {
        let install = withRequirementFiles(given, command)
        let key = InstallKey(
            install: install,
            own: installed[command.stage],
            inherited: stageTorch(command.stage)
        )
        if let known = outcomes[key] {
            for var finding in known.findings {
                finding.line = command.line
                findings.append(finding)
            }
            installed[command.stage] = known.installed
            return
        }
        let start = findings.count
        judge(install, stage: command.stage, line: command.line)
        outcomes[key] = InstallOutcome(
            findings: Array(findings[start...]),
            installed: installed[command.stage]
        )
    }

    /// The verdict on one install, with its requirements files already read in.
    private mutating func judge(_ install: PipInstall, stage: Int, line: Int) {
        let pin = frameworkPin(install)
        var torch = install.requirement("torch")
        let vision = install.requirement("torchvision")
        let audio = install.requirement("torchaudio")
        guard torch != nil || vision != nil || audio != nil || pin != nil else { return }
        if !install.unknownProgram.isEmpty {
            findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .pipProgramUnknown,
                    message: "\(install.tool) names its program through "
                        + install.unknownProgram.prefix(3).map { $0.hasPrefix("$") ? $0 : "$" + $0 }
                        .joined(separator: ", ")
                        + ", which has no value known here (set by the base image or at build "
                        + "time): the install is judged as a pip install into an interpreter "
                        + "not known here"
                )
            )
        }
        let urls = [install.indexURL].compactMap { $0 } + install.extraIndexURLs + install.findLinks
        if let note = Finding.unresolved(
            line: line,
            names: [torch, vision, audio].compactMap { $0 }.flatMap(\.unresolved)
                + urls.flatMap(\.unresolved),
            what: "the torch install"
        ) {
            findings.append(note)
        }
        if torch == nil, let pin {
            // The package's own requirement brings torch in: judged as if named here.
            torch = PipRequirement(ScriptWord(text: "torch==" + pin.torch))
        }
        guard var torch else {
            companions(vision, audio, torch: stageTorch(stage), variant: nil, line: line)
            return
        }
        if let pin, torch.pinned == nil {
            torch.specifiers =
                (torch.specifiers ?? []) + (PipSpecifier.parse("==" + pin.torch) ?? [])
            torch.pinned = pin.torch
        }
        let version = torch.version
        // torchvision==0.19.1 with a bare torch decides torch as well as a pin would.
        let narrowed = torch.pinned == nil ? companionPatches(vision, audio) : nil
        if version == nil, pin == nil, narrowed?.count != 1 {
            // Advice, not a fault: what the index gives today is judged below as the newest
            // the catalog knows, so the host verdict comes from that finding.
            findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchUnpinned,
                    message: "'\(torch.text.prefix(80))' does not pin one torch version: each "
                        + "build installs whatever is newest on the index that day, so the "
                        + "image changes (and may stop fitting the driver) without a change here",
                    fix: recommendation(nil) ?? "pin torch==X.Y.Z with the variant for this host"
                )
            )
        }

        var variant: String?
        var origin = ""
        /// The patch judged when the line pins none (PyPI's or an index's newest).
        var pinned: String?
        var pypiBuild: PyPIBuild?
        let indexes = self.indexes(install)
        if let local = torch.local {
            variant = local
            origin += "its +\(local) local version"
            if let missing = localMissing(torch, local: local, line: line, indexes: indexes) {
                findings.append(missing)
                return
            }
        } else if let fromURL = torch.urlVariant {
            variant = fromURL
            origin += "its wheel URL"
        } else if let backend = install.torchBackend?.lowercased() {
            if backend == "auto" {
                findings.append(
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: .torchBackendAuto,
                        message: "--torch-backend=auto picks the wheel from the driver it sees, "
                            + "and a build sees none (no GPU is attached during `docker build`): "
                            + "it installs the CPU wheel",
                        fix: recommendation(version)
                            ?? "name the backend (--torch-backend=cu121) for the host's driver"
                    )
                )
                installed[stage] = version
                return
            }
            if PipRequirement.isVariantName(backend) {
                variant = backend
                origin += "--torch-backend=\(backend)"
            }
        }
        // A bare `torch` over a stage that has torch: pip keeps that one, judged where it came
        // in, so neither PyPI's build nor a warning about it applies.
        let keepsInstalled = torch.bare && !install.upgrade && stageTorch(stage) != nil
        if variant == nil, !keepsInstalled, let specifiers = torch.specifiers,
            let indexes, !indexes.isEmpty
        {
            let strategy =
                install.isUV
                ? IndexStrategy(rawValue: install.indexStrategy ?? "") ?? .firstIndex
                : .unsafeBestMatch
            switch resolver.resolve(
                specifiers,
                indexes: indexes,
                strategy: strategy,
                patches: narrowed
            ) {
            case .wheel(let wheel):
                variant = wheel.variant
                pinned = wheel.patch.torch
                pypiBuild = wheel.pypi
                let across =
                    indexes.count > 1 && strategy == .unsafeBestMatch
                    ? ", the highest version across " + indexes.map(\.url).joined(separator: ", ")
                    : ""
                let newest =
                    torch.pinned == nil
                    ? ", the newest that fits in the catalog (updated \(input.catalog.updated))"
                    : ""
                origin +=
                    (wheel.pypi == nil ? "the index " : "") + wheel.index + across
                    + newest
            case .missing(let why):
                findings.append(
                    Finding(
                        line: line,
                        severity: .error,
                        kind: .torchWheelMissing,
                        message: "'\(torch.text.prefix(80))'"
                            + (pin.map { " (\($0.text))" } ?? "") + " cannot be installed: "
                            + why + ", so the build fails (\"No matching distribution found\")",
                        fix: recommendation(version).map { "install one that exists: " + $0 }
                            ?? "pick a torch version and index the catalog lists"
                    )
                )
                return
            case .unknown:
                break
            }
        }
        if variant == nil, pinned == nil {
            for url in [install.indexURL].compactMap({ $0 }) + install.extraIndexURLs {
                if let found = TorchJudge.indexVariant(url.text) {
                    variant = found
                    origin += "the index \(url.text)"
                    break
                }
            }
        }
        var documentation: (url: String, intended: String?)?
        var everyVariant: String?
        if variant == nil {
            for url in install.findLinks {
                switch TorchJudge.classify(findLinks: url.text) {
                case .variantFolder(let found):
                    variant = found
                    origin += "-f \(url.text)"
                case .everyVariant:
                    everyVariant = url.text
                case .documentation(let intended):
                    documentation = (url.text, intended)
                case .other:
                    continue
                }
                if variant != nil { break }
            }
        }
        let index = install.indexURL?.text ?? "PyPI"
        let shown = version.map { "torch \($0)" } ?? "torch"
        if variant == nil, let page = documentation {
            let fragment = page.url.split(separator: "#", maxSplits: 1).dropFirst().first ?? ""
            let named =
                page.intended.map {
                    fragment.lowercased().containsText($0)
                        ? " (the \($0) in its #fragment is never even sent)" : ""
                } ?? ""
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchFindLinksPage,
                    message: "-f \(page.url) is a documentation page, not a wheel index: pip "
                        + "finds no wheels there\(named), so \(shown) comes from \(index) as "
                        + "PyPI's default build, whose CUDA version the catalog does not record"
                        + (page.intended.map { "; the intended \($0) build is judged instead" }
                            ?? ""),
                    fix: recommendation(version).map { "install from the variant's index: " + $0 }
                        ?? "replace -f with --index-url https://download.pytorch.org/whl/<variant>"
                )
            )
            variant = page.intended
            origin += "the variant the -f URL names"
        } else if variant == nil, let list = everyVariant, torch.local == nil {
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchVariantUnknown,
                    message: "-f \(list) lists every CUDA variant and the requirement names none "
                        + "(+cuXYZ), so which wheel pip takes is not decided by this line",
                    fix: recommendation(version) ?? "pin the variant: torch==X.Y.Z+cuXYZ"
                )
            )
        } else if variant == nil, !install.noIndex, !keepsInstalled {
            findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchPyPIDefault,
                    message: "\(shown) comes from \(index) with no CUDA variant chosen: that is "
                        + "PyPI's default build or whatever that index holds, whose CUDA version "
                        + "the catalog does not know for this host, so it cannot be checked "
                        + "against \(input.driverText)",
                    fix: recommendation(version).map { "install the variant that fits: " + $0 }
                        ?? "install from https://download.pytorch.org/whl/<variant>"
                )
            )
        }
        if let pin { origin += "; " + pin.text }
        if let variant {
            findings += self.variant(
                version: pinned ?? version,
                variant: variant,
                line: line,
                origin: origin,
                pypi: pypiBuild
            )
        }
        companions(vision, audio, torch: pinned ?? version, variant: variant, line: line)
        installed[stage] = pinned ?? version ?? installed[stage]
    }

    /// The indexes an install searches for torch, in the order the tool searches them; nil when
    /// a find-links location or an index the resolver cannot read decides it (the checks
    /// below say what they can).
    func indexes(_ install: PipInstall) -> [PipIndex]? {
        var folders: [PipIndex] = []
        for url in install.findLinks {
            guard case .variantFolder(let name) = TorchJudge.classify(findLinks: url.text) else {
                return nil
            }
            folders.append(PipIndex(url: url.text, kind: .variant(name)))
        }
        let primary: [PipIndex] =
            install.noIndex
            ? []
            : [
                install.indexURL.map { PipIndex(url: $0.text, kind: PipIndex.kind(of: $0.text)) }
                    ?? PipIndex(url: "PyPI", kind: .pypi)
            ]
        let extras = install.extraIndexURLs.map {
            PipIndex(url: $0.text, kind: PipIndex.kind(of: $0.text))
        }
        // uv searches --index / --extra-index-url before the default index (earlier first);
        // pip merges them all, so order does not matter there.
        return install.isUV ? folders + extras + primary : primary + extras + folders
    }

    /// The torch patches the pinned torchvision or torchaudio go with, per the catalog; nil
    /// when neither is pinned or the catalog pairs no patch with the pin.
    func companionPatches(_ vision: PipRequirement?, _ audio: PipRequirement?) -> Set<String>? {
        var allowed: Set<String>?
        for (requirement, path) in [
            (vision, \TorchPatch.torchvision), (audio, \TorchPatch.torchaudio),
        ] {
            guard let version = requirement?.version else { continue }
            let patches = input.catalog.releases.flatMap(\.patches).filter {
                $0[keyPath: path].map { compareVersions($0, version) == 0 } ?? false
            }
            guard !patches.isEmpty else { continue }
            let names = Set(patches.map(\.torch))
            allowed = allowed.map { $0.intersection(names) } ?? names
        }
        return allowed
    }

    /// A `+cuXYZ` pin that no index in play can serve: an error, as pip has no fallback for a
    /// local version (PyPI takes no uploads with a local label).
    mutating func localMissing(
        _ torch: PipRequirement,
        local: String,
        line: Int,
        indexes: [PipIndex]?
    ) -> Finding? {
        guard let version = torch.version, let (release, patch) = patch(version),
            let indexes
        else { return nil }
        let exists = release.variants.contains {
            $0.name == local && ($0.patches?.contains(patch.torch) ?? true)
        }
        let served = indexes.contains {
            switch $0.kind {
            case .variant(let name): return name == local
            case .other: return true
            case .pypi: return false
            }
        }
        guard !exists || !served else { return nil }
        let known = release.variants.filter { $0.patches?.contains(patch.torch) ?? true }
            .map(\.name).joined(separator: ", ")
        let why =
            exists
            ? "no index in play serves \(local) (" + indexes.map(\.url).joined(separator: ", ")
                + "; PyPI has no +cuXYZ wheels), unless the base image's pip configuration adds "
                + "https://download.pytorch.org/whl/\(local)"
            : "torch \(patch.torch) has no \(local) wheels anywhere (the catalog lists \(known))"
        return Finding(
            line: line,
            severity: .error,
            kind: .torchWheelMissing,
            message: "'\(torch.text.prefix(80))' cannot be installed: " + why
                + ", so the build fails (\"No matching distribution found\")",
            fix: exists
                ? "add --index-url https://download.pytorch.org/whl/\(local)"
                : recommendation(patch.torch).map { "use " + $0 } ?? "use one of: \(known)"
        )
    }

    // MARK: Variant against host

    mutating func variant(
        version: String?,
        variant rawVariant: String,
        line: Int,
        origin: String,
        pypi: PyPIBuild? = nil
    ) -> [Finding] {
        let variant = rawVariant.lowercased()
        let catalog = input.catalog
        let found = version.map { patch($0) } ?? newest(variant)
        guard let (release, patch) = found else {
            if let version {
                return [
                    Finding(
                        line: line,
                        // Not judged is not a fault: a note, as for every unknown.
                        severity: .note,
                        kind: .torchVersionUnknown,
                        message: "torch \(version) is not in the catalog (updated "
                            + "\(catalog.updated)), so its \(variant) wheel cannot be checked "
                            + "against the host",
                        fix: "pin a release the catalog knows, or use a newer catalog"
                    )
                ]
            }
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchVariantUnknown,
                    message: "no torch release in the catalog has \(variant) wheels (from "
                        + "\(origin)), so the install cannot be checked against the host",
                    fix: recommendation(nil) ?? "use a variant from download.pytorch.org/whl"
                )
            ]
        }
        // PyPI's wheels carry no local label: `2.15.0 (PyPI's CUDA 13.2 build)`.
        let build =
            pypi.map { pypi in
                release.variants.first { $0.name == pypi.variant }?.cuda.map {
                    "PyPI's CUDA \($0) build"
                } ?? "PyPI's CPU build"
            }
        let name = build.map { "torch \(patch.torch) (\($0))" } ?? "torch \(patch.torch)+\(variant)"
        let newest = version == nil ? "; the newest with \(variant) wheels in the catalog" : ""
        let subject =
            build.map { "torch \(patch.torch) (\($0), from \(origin))" }
            ?? "\(name) (from \(origin)\(newest))"
        guard
            var entry = release.variants.first(where: {
                $0.name == variant && ($0.patches?.contains(patch.torch) ?? true)
            })
        else {
            let known = release.variants.filter { $0.patches?.contains(patch.torch) ?? true }
                .map(\.name).joined(separator: ", ")
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchVariantUnknown,
                    message: "torch \(patch.torch) has no \(variant) wheels in the catalog "
                        + "(from \(origin); known: \(known)): pip fails or falls back to another "
                        + "build",
                    fix: recommendation(patch.torch) ?? "use one of: \(known)"
                )
            ]
        }
        if let pypi {
            // PyPI's own wheel has its own GPU code (its CUDA 13 wheels carry no PTX).
            entry.builds[input.machine] = pypi.targets
        }
        let host = input.host
        guard entry.cuda != nil else {
            guard !host.gpus.isEmpty else { return [] }
            let what =
                variant == "cpu" ? "has no CUDA" : "is built for other GPUs than NVIDIA's"
            // A CPU build the line asks for by name (its index, `+cpu`) is the author's choice:
            // the image works, on the CPU. One that arrives unasked (PyPI's own) is a warning.
            return [
                Finding(
                    line: line,
                    severity: pypi == nil ? .note : .warning,
                    kind: .torchCPUOnGPUHost,
                    message: "\(subject) \(what): the host's \(input.gpuText) stay unused",
                    fix: recommendation(patch.torch) ?? "install a CUDA variant"
                )
            ]
        }
        if host.gpus.isEmpty {
            if host.nvidiaSoftwarePresent {
                return [
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: .torchHostDriverMissing,
                        message: "the host's NVIDIA driver does not answer (no GPU listed), so "
                            + "\(subject) cannot be checked against it",
                        fix: "fix the host's driver (see `gpuprobe probe`), then check again"
                    )
                ]
            }
            let ascend = host.ascendNPUCount > 0 || host.ascendSoftwarePresent
            if ascend, !npuInImage {
                return [
                    Finding(
                        line: line,
                        severity: .error,
                        kind: .torchCUDAOnAscend,
                        message: "\(subject) is a CUDA build, and the host has Ascend NPUs and "
                            + "no NVIDIA GPU: torch cannot use the NPUs without torch_npu, which "
                            + "the image does not install, so the container runs on the CPU only",
                        fix: "install the CPU build (https://download.pytorch.org/whl/cpu) and "
                            + "the torch_npu release for the host's CANN (see `gpuprobe match`)"
                    )
                ]
            }
            let why =
                ascend
                ? "the host has Ascend NPUs, which use torch_npu on top of the CPU build"
                : "the host has no NVIDIA GPU, so it runs on the CPU"
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchCUDAWithoutGPU,
                    message: "\(subject) carries CUDA libraries for nothing: \(why)",
                    fix: "install the cpu variant (https://download.pytorch.org/whl/cpu)"
                )
            ]
        }
        guard let driver = host.targetDriverVersion else {
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchHostDriverMissing,
                    message: "\(subject) needs an NVIDIA driver, and the host's "
                        + "\(input.gpuText) have none loaded",
                    fix: "install the NVIDIA driver on the host, then check again"
                )
            ]
        }
        guard entry.builds[input.machine] != nil else {
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchNoWheelsForMachine,
                    message: "the catalog knows no \(input.machine) wheels of \(name), so pip "
                        + "fails or builds from source on this \(input.machine) host",
                    fix: recommendation(patch.torch)
                        ?? "pick a variant with \(input.machine) wheels"
                )
            ]
        }
        let checked = candidate(release, patch, entry, pypi: pypi != nil)
        if !checked.rejections.isEmpty {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: .torchDriverTooOld,
                    message: "\(subject) cannot load: it "
                        + checked.rejections.joined(separator: "; "),
                    fix: recommendation(patch.torch).map { "use " + $0 }
                        ?? "pick a variant whose CUDA the driver supports"
                )
            ]
        }
        var out: [Finding] = []
        let native = input.native.map(\.description) ?? "unknown"
        if checked.minorCompat {
            let upgrade = checked.cuda.flatMap { BaseImageJudge.branch(for: $0, catalog) }
            out.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchMinorCompat,
                    message: "\(subject) is built with CUDA "
                        + "\(entry.cuda ?? ""), newer than driver \(driver.text) (CUDA \(native)): "
                        + "it runs on CUDA minor-version compatibility only (limited feature "
                        + "set, no PTX JIT)",
                    fix: (recommendation(patch.torch).map { "use " + $0 } ?? "use an older variant")
                        + (upgrade.map { "; or update the host driver to branch \($0)" } ?? "")
                )
            )
        }
        let targets = entry.builds[input.machine]
        let list =
            "SASS "
            + (targets?.sass.map { "sm_" + $0.replacingText(".", with: "") } ?? [])
            .joined(separator: " ")
            + ((targets?.ptx.isEmpty ?? true)
                ? ""
                : ", PTX "
                    + (targets?.ptx.map { "compute_" + $0.replacingText(".", with: "") } ?? [])
                    .joined(separator: " "))
        for gpu in checked.leftOut {
            out.append(
                Finding(
                    line: line,
                    severity: .error,
                    kind: .torchNoKernels,
                    message: "\(TorchMatcher.gpuText(gpu)): \(subject) has no kernels for "
                        + "it (\(list)"
                        + (checked.minorCompat && !(targets?.ptx.isEmpty ?? true)
                            ? "; PTX cannot be JIT-compiled under minor-version compatibility"
                            : "")
                        + "); CUDA fails with \"no kernel image is available\"",
                    fix: recommendation(patch.torch).map { "use " + $0 }
                        ?? "pick a variant whose arch list covers the GPU"
                )
            )
        }
        for gpu in checked.throughPTX {
            out.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchPTXJIT,
                    message: "\(TorchMatcher.gpuText(gpu)): \(name) has no SASS for it and runs "
                        + "through PTX JIT (\(list)); the first start compiles kernels and is slow"
                )
            )
        }
        for gpu in checked.covered where gpu.computeCapability == nil {
            out.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchKernelsUnchecked,
                    message: "\(gpu.label): its compute capability is not in the host report, "
                        + "so kernel coverage of \(name) (\(list)) was not checked",
                    fix: "probe the host with PCI access, or run "
                        + "`python -c 'import torch; print(torch.cuda.get_arch_list())'` there"
                )
            )
        }
        if !out.contains(where: { $0.severity != .note }) {
            out.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .torchOK,
                    message: "\(subject) runs on driver \(driver.text) "
                        + "(CUDA \(native))"
                        + (checked.leftOut.isEmpty
                            && checked.covered.allSatisfy {
                                $0.computeCapability != nil
                            } ? " with kernels for every GPU" : "")
                )
            )
        }
        return out
    }

    // MARK: torchvision and torchaudio

    mutating func companions(
        _ vision: PipRequirement?,
        _ audio: PipRequirement?,
        torch: String?,
        variant: String?,
        line: Int
    ) {
        guard let torch, let (release, patch) = patch(torch)
        else { return }
        for (requirement, expected, package) in [
            (vision, patch.torchvision, "torchvision"), (audio, patch.torchaudio, "torchaudio"),
        ] {
            guard let requirement, let version = requirement.version else { continue }
            var problems: [String] = []
            if let expected, compareVersions(version, expected) != 0 {
                problems.append("torch \(patch.torch) pairs with \(package) \(expected)")
            } else if expected == nil {
                problems.append("the catalog knows no \(package) for torch \(patch.torch)")
            }
            if package == "torchaudio", let variant,
                let entry = release.variants.first(where: { $0.name == variant }), !entry.torchaudio
            {
                problems.append("the \(variant) index carries no torchaudio for \(release.minor)")
            }
            if let local = requirement.local, let variant, local != variant {
                problems.append("its +\(local) build does not match torch's \(variant)")
            }
            guard !problems.isEmpty else { continue }
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .torchCompanionMismatch,
                    message: "\(package)==\(requirement.pinned ?? version): "
                        + problems.joined(separator: "; ")
                        + "; pip either fails to resolve or replaces torch to satisfy it",
                    fix: expected.map { "pin \(package)==\($0)" }
                        ?? "drop the \(package) pin, or pick a torch that has one"
                )
            )
        }
    }
}

/// What decides an install's verdict besides its line: the install as read (requirements
/// files included) and the torch its stage has before it, its own and inherited.
private struct InstallKey: Hashable {
    var install: PipInstall
    var own: String?
    var inherited: String?
}

/// An install's verdict: its findings (on the line first judged) and the torch its stage has
/// after it.
private struct InstallOutcome {
    var findings: [Finding]
    var installed: String?
}
