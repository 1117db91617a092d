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
        for command in input.facts.commands {
            guard let install = PipInstall.parse(command.words, environment: command.environment)
            else { continue }
            let before = judge.findings.count
            judge.install(install, command)
            // A command under a condition of unknown value: its findings hold in that branch.
            for index in before..<judge.findings.count {
                judge.findings[index] = judge.findings[index].when(command)
            }
        }
        return judge.findings
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
    /// Every patch by its version's numbers without trailing zeros (`2.4` and `2.4.0` are one
    /// key): one lookup per install instead of a scan of the catalog.
    let patches: [[Int]: (TorchReleaseLine, TorchPatch)]

    init(input: CheckInput) {
        self.input = input
        var patches: [[Int]: (TorchReleaseLine, TorchPatch)] = [:]
        for release in input.catalog.releases {
            for patch in release.patches {
                guard let key = Self.key(patch.torch) else { continue }
                patches[key] = (release, patch)
            }
        }
        self.patches = patches
    }

    /// `match`'s verdict on one wheel, worked out once per wheel.
    mutating func candidate(
        _ release: TorchReleaseLine,
        _ patch: TorchPatch,
        _ variant: TorchVariant
    ) -> TorchMatcher.Candidate {
        let key = patch.torch + "+" + variant.name
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
                    kind: "pip-requirements-limit",
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
        var next = 0
        while next < queue.count {
            let (word, path) = queue[next]
            next += 1
            func unseen(_ why: String, kind: String = "pip-requirements-unseen") {
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
                    kind: "pip-requirements-outside"
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

    /// The torch patch an install from PyPI alone gets and the catalog's record of PyPI's
    /// build of it; nil when the install is not from PyPI alone, the host is not x86_64 (the
    /// record is for x86_64 wheels), or which patch pip takes is not known here.
    ///
    /// A pin is that patch. A bare `torch` is the newest release (the catalog's newest line,
    /// when it has a record); the caller rules out a bare `torch` pip would not install. A range
    /// (`torch<2.5`) is not resolved.
    func pypiBuild(_ install: PipInstall, _ torch: PipRequirement) -> (torch: String, PyPIDefault)?
    {
        guard !install.noIndex, install.indexURL == nil, install.extraIndexURLs.isEmpty,
            install.findLinks.isEmpty, input.machine == "x86_64"
        else { return nil }
        if let version = torch.version {
            guard let (release, _) = patch(version), let pypi = release.pypiDefault else {
                return nil
            }
            return (version, pypi)
        }
        guard torch.bare,
            let release = input.catalog.releases.max(by: {
                compareVersions($0.minor, $1.minor) < 0
            }),
            let pypi = release.pypiDefault,
            let newest = release.patches.map(\.torch).max(by: { compareVersions($0, $1) < 0 })
        else { return nil }
        return (newest, pypi)
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

    mutating func install(_ given: PipInstall, _ command: CommandFact) {
        let install = withRequirementFiles(given, command)
        let line = command.line
        let torch = install.requirement("torch")
        let vision = install.requirement("torchvision")
        let audio = install.requirement("torchaudio")
        guard torch != nil || vision != nil || audio != nil else { return }
        let urls = [install.indexURL].compactMap { $0 } + install.extraIndexURLs + install.findLinks
        if let note = Finding.unresolved(
            line: line,
            names: [torch, vision, audio].compactMap { $0 }.flatMap(\.unresolved)
                + urls.flatMap(\.unresolved),
            what: "the torch install"
        ) {
            findings.append(note)
        }
        guard let torch else {
            companions(vision, audio, torch: stageTorch(command.stage), variant: nil, line: line)
            return
        }
        let version = torch.version
        if version == nil {
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "torch-unpinned",
                    message: "'\(torch.text.prefix(80))' does not pin one torch version: each "
                        + "build installs whatever is newest on the index that day, so the "
                        + "image changes (and may stop fitting the driver) without a change here",
                    fix: recommendation(nil) ?? "pin torch==X.Y.Z with the variant for this host"
                )
            )
        }

        var variant: String?
        var origin = ""
        /// The patch judged when the line pins none but PyPI's newest is known.
        var pinned: String?
        if let local = torch.local {
            variant = local
            origin = "its +\(local) local version"
        } else if let fromURL = torch.urlVariant {
            variant = fromURL
            origin = "its wheel URL"
        } else if let backend = install.torchBackend?.lowercased() {
            if backend == "auto" {
                findings.append(
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: "torch-backend-auto",
                        message: "--torch-backend=auto picks the wheel from the driver it sees, "
                            + "and a build sees none (no GPU is attached during `docker build`): "
                            + "it installs the CPU wheel",
                        fix: recommendation(version)
                            ?? "name the backend (--torch-backend=cu121) for the host's driver"
                    )
                )
                installed[command.stage] = version
                return
            }
            if PipRequirement.isVariantName(backend) {
                variant = backend
                origin = "--torch-backend=\(backend)"
            }
        }
        if variant == nil {
            for url in [install.indexURL].compactMap({ $0 }) + install.extraIndexURLs {
                if let found = TorchJudge.indexVariant(url.text) {
                    variant = found
                    origin = "the index \(url.text)"
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
                    origin = "-f \(url.text)"
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
        // A bare `torch` over a stage that has torch: pip keeps that one, judged where it came
        // in, so neither PyPI's build nor a warning about it applies.
        let keepsInstalled = torch.bare && !install.upgrade && stageTorch(command.stage) != nil
        let pypi = variant == nil && !keepsInstalled ? pypiBuild(install, torch) : nil
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
                    kind: "torch-find-links-page",
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
            origin = "the variant the -f URL names"
        } else if variant == nil, let list = everyVariant, torch.local == nil {
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "torch-variant-unknown",
                    message: "-f \(list) lists every CUDA variant and the requirement names none "
                        + "(+cuXYZ), so which wheel pip takes is not decided by this line",
                    fix: recommendation(version) ?? "pin the variant: torch==X.Y.Z+cuXYZ"
                )
            )
        } else if variant == nil, let (pick, pypi) = pypi, pypi.confirmed {
            // PyPI alone: its torch wheel is one CUDA build per release, which the catalog
            // records, so the install is judged as that variant's.
            variant = pypi.variant
            pinned = pick
            origin =
                version == nil
                ? "PyPI, whose newest torch, \(pick) when the catalog was updated, is its "
                    + "\(pypi.variant) build"
                : "PyPI, whose torch \(pick) wheel is its \(pypi.variant) build"
        } else if variant == nil, !install.noIndex, !keepsInstalled {
            let likely =
                pypi.map {
                    " (most likely the \($0.1.variant) build, which no release note confirms)"
                } ?? ""
            findings.append(
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "torch-pypi-default",
                    message: "\(shown) comes from \(index) with no CUDA variant chosen: that is "
                        + "PyPI's default build\(likely), whose CUDA version the catalog does not "
                        + "confirm, so it cannot be checked against \(input.driverText)",
                    fix: recommendation(version).map { "install the variant that fits: " + $0 }
                        ?? "install from https://download.pytorch.org/whl/<variant>"
                )
            )
        }
        if let variant {
            findings += self.variant(
                version: pinned ?? version,
                variant: variant,
                line: line,
                origin: origin
            )
        }
        companions(vision, audio, torch: version, variant: variant, line: line)
        installed[command.stage] = version ?? installed[command.stage]
    }

    // MARK: Variant against host

    mutating func variant(version: String?, variant rawVariant: String, line: Int, origin: String)
        -> [Finding]
    {
        let variant = rawVariant.lowercased()
        let catalog = input.catalog
        let found = version.map { patch($0) } ?? newest(variant)
        guard let (release, patch) = found else {
            if let version {
                return [
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: "torch-version-unknown",
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
                    severity: .warning,
                    kind: "torch-variant-unknown",
                    message: "no torch release in the catalog has \(variant) wheels (from "
                        + "\(origin)), so the install cannot be checked against the host",
                    fix: recommendation(nil) ?? "use a variant from download.pytorch.org/whl"
                )
            ]
        }
        let name = "torch \(patch.torch)+\(variant)"
        let newest = version == nil ? "; the newest with \(variant) wheels in the catalog" : ""
        let subject = "\(name) (from \(origin)\(newest))"
        guard
            let entry = release.variants.first(where: {
                $0.name == variant && ($0.patches?.contains(patch.torch) ?? true)
            })
        else {
            let known = release.variants.filter { $0.patches?.contains(patch.torch) ?? true }
                .map(\.name).joined(separator: ", ")
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "torch-variant-unknown",
                    message: "torch \(patch.torch) has no \(variant) wheels in the catalog "
                        + "(from \(origin); known: \(known)): pip fails or falls back to another "
                        + "build",
                    fix: recommendation(patch.torch) ?? "use one of: \(known)"
                )
            ]
        }
        let host = input.host
        guard entry.cuda != nil else {
            guard !host.gpus.isEmpty else { return [] }
            let what =
                variant == "cpu" ? "has no CUDA" : "is built for other GPUs than NVIDIA's"
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: "torch-cpu-on-gpu-host",
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
                        kind: "torch-host-driver-missing",
                        message: "the host's NVIDIA driver does not answer (no GPU listed), so "
                            + "\(subject) cannot be checked against it",
                        fix: "fix the host's driver (see `gpuprobe probe`), then check again"
                    )
                ]
            }
            let why =
                host.ascendSoftwarePresent
                ? "the host has Ascend NPUs, which use torch_npu on top of the CPU build"
                : "the host has no NVIDIA GPU, so it runs on the CPU"
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: "torch-cuda-without-gpu",
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
                    kind: "torch-host-driver-missing",
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
                    kind: "torch-no-wheels-for-machine",
                    message: "the catalog knows no \(input.machine) wheels of \(name), so pip "
                        + "fails or builds from source on this \(input.machine) host",
                    fix: recommendation(patch.torch)
                        ?? "pick a variant with \(input.machine) wheels"
                )
            ]
        }
        let checked = candidate(release, patch, entry)
        if !checked.rejections.isEmpty {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: "torch-driver-too-old",
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
                    kind: "torch-minor-compat",
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
                    kind: "torch-no-kernels",
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
                    kind: "torch-ptx-jit",
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
                    kind: "torch-kernels-unchecked",
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
                    kind: "torch-ok",
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
                    kind: "torch-companion-mismatch",
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
