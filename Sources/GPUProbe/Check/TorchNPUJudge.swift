/// Judges `pip install torch-npu==Y` (and `torch_npu`, `-r` files) on an Ascend host: the
/// torch_npu against the image's CANN and torch, and against what PyPI can install.
///
/// - CANN: Ascend/pytorch's compatibility table pairs each torch_npu with one CANN release (the
///   catalog's `torch_npu` rows); a torch_npu paired only with other CANN releases is built
///   against another CANN's libraries (issues about undefined symbols at `import torch_npu`).
///   The image's CANN is its last CANN toolkit `.run`, else its CANN base image's tag.
/// - torch: torch_npu Y is built for one torch, its base version (2.5.1 for 2.5.1.post1); its
///   wheels pin it (`Requires-Dist: torch==2.5.1`), so another torch in the same install cannot
///   resolve, and one installed later breaks it.
/// - PyPI: the x86_64 wheels of torch_npu 2.1.0.post6 to 2.11.0.post2 require `torch==X+cpu`,
///   which only `https://download.pytorch.org/whl/cpu` has (the catalog's `wheels`, read from
///   the wheels' METADATA); 2.1.0.post4 and the 1.11/2.0.1 releases have no wheel on PyPI.
enum TorchNPUJudge {
    /// PyTorch's CPU index, which has the `+cpu` builds torch_npu's x86_64 wheels pin.
    static let cpuIndex = TorchNPUWheel.cpuIndexURL

    static func findings(_ input: CheckInput, runs: [InstallerJudge.AscendRun]) -> [Finding] {
        let hostHasAscend = input.report.ascend != nil || input.host.ascendNPUCount > 0
        guard hostHasAscend, !input.catalog.torchNPU.isEmpty else { return [] }
        let installs = TorchJudge.pipInstalls(input).filter {
            $0.install.requirement("torch-npu") != nil || $0.install.requirement("torch") != nil
        }
        guard installs.contains(where: { $0.install.requirement("torch-npu") != nil }) else {
            return []
        }
        var findings: [Finding] = []
        for (position, (command, install)) in installs.enumerated() {
            guard let requirement = install.requirement("torch-npu"),
                let pinned = requirement.version, requirement.unresolved.isEmpty
            else { continue }
            let rows = input.catalog.torchNPU.filter {
                normalized($0.torchNPU) == normalized(pinned)
            }
            guard let row = rows.first else { continue }
            var own: [Finding] = []
            let name = "torch_npu \(pinned)"
            if row.onPyPI == false, isPyPIOnly(install) {
                own.append(notOnPyPI(name, row, line: command.line, input))
            }
            if let image = CANNPackageJudge.imageCANN(stage: command.stage, input, runs: runs) {
                own.append(cann(name, rows, image, line: command.line, input))
            }
            let torch = install.requirement("torch")
            if let version = torch?.version, torch?.unresolved.isEmpty == true,
                !sameRelease(version, row.torch)
            {
                own.append(
                    Finding(
                        line: command.line,
                        severity: .error,
                        kind: .torchNPUTorch,
                        message: "this install pins torch \(version) with \(name), which is "
                            + "built for torch \(row.torch)" + conflict(row, input),
                        fix: "pin torch==\(row.torch) with torch-npu==\(pinned)"
                    )
                )
            }
            // A torch pinned later in this stage, or in a stage built on it, replaces the one
            // torch_npu needs.
            for (later, laterInstall) in installs[(position + 1)...] {
                guard laterInstall.requirement("torch-npu") == nil,
                    let laterTorch = laterInstall.requirement("torch"),
                    let version = laterTorch.version, laterTorch.unresolved.isEmpty,
                    !sameRelease(version, row.torch),
                    input.facts.chain(from: later.stage).contains(where: {
                        $0.index == command.stage
                    })
                else { continue }
                findings.append(
                    Finding(
                        line: later.line,
                        severity: .error,
                        kind: .torchNPUTorch,
                        message: "this install replaces torch with \(version), but \(name) "
                            + "(installed at line \(command.line)) is built for torch "
                            + "\(row.torch): it fails to load with another torch",
                        fix: "pin torch==\(row.torch), or a torch_npu built for torch \(version)"
                    ).when(later)
                )
            }
            if let trap = cpuTrap(name, row, install, command, installs[..<position], input) {
                own.append(trap)
            }
            findings += own.map { $0.when(command) }
        }
        return findings
    }

    /// What pip makes of another torch beside the torch_npu: its wheel's own pin, if any.
    static func conflict(_ row: TorchNPURelease, _ input: CheckInput) -> String {
        let machine = input.host.machine == "aarch64" ? "aarch64" : "x86_64"
        if let pin = row.torchRequirement(machine: machine) {
            return " (its \(machine) wheel requires torch\(pin)): pip cannot resolve the two"
        }
        return ", and its wheel declares no torch requirement: pip installs both and "
            + "`import torch_npu` fails"
    }

    /// PEP 440's form of a torch_npu version: `2.1.0.rc1` and `2.1.0rc1` are one.
    static func normalized(_ version: String) -> String {
        version.lowercased().replacingText(".rc", with: "rc").replacingText("-rc", with: "rc")
    }

    /// `2.5.1` and `2.5.1.0` are one release; a local part (`+cpu`) is not compared.
    static func sameRelease(_ left: String, _ right: String) -> Bool {
        compareVersions(String(left.prefix { $0 != "+" }), right) == 0
    }

    /// Whether every place the install looks is PyPI's own index.
    static func isPyPIOnly(_ install: PipInstall) -> Bool {
        guard !install.noIndex, install.extraIndexURLs.isEmpty, install.findLinks.isEmpty
        else { return false }
        guard let index = install.indexURL else { return true }
        guard index.unresolved.isEmpty else { return false }
        var url = index.text.lowercased()
        while url.hasSuffix("/") { url.removeLast() }
        return url == "https://pypi.org/simple" || url == "https://pypi.python.org/simple"
    }

    /// Whether the install reads PyTorch's CPU index.
    static func readsCPUIndex(_ install: PipInstall) -> Bool {
        ([install.indexURL].compactMap { $0 } + install.extraIndexURLs + install.findLinks)
            .contains { word in
                var url = word.text.lowercased()
                while url.hasSuffix("/") { url.removeLast() }
                return url == cpuIndex || url.hasPrefix(cpuIndex + "/")
                    || url == "https://download.pytorch.org/whl/torch_stable.html"
            }
    }

    static func notOnPyPI(_ name: String, _ row: TorchNPURelease, line: Int, _ input: CheckInput)
        -> Finding
    {
        let sameCANN = input.catalog.torchNPU.filter { $0.cann == row.cann && $0.onPyPI == true }
        let alternative =
            (sameCANN.first { $0.torch == row.torch } ?? sameCANN.first).map {
                "install torch_npu \($0.torchNPU) (torch \($0.torch)), which PyPI has and Ascend "
                    + "pairs with the same CANN \(row.cann), "
            } ?? ""
        return Finding(
            line: line,
            severity: .error,
            kind: .torchNPUNotOnPyPI,
            message: "\(name) (CANN \(row.cann) in Ascend's table) has no wheel on PyPI, the "
                + "only index this install reads: pip finds no matching distribution",
            fix: alternative + "or install the wheel from Ascend's own release downloads by "
                + "file or URL"
        )
    }

    static func cann(
        _ name: String,
        _ rows: [TorchNPURelease],
        _ image: (version: String, line: Int, what: String),
        line: Int,
        _ input: CheckInput
    ) -> Finding {
        let paired = rows.map(\.cann)
        if paired.contains(where: { !CANNCompare.differs($0, image.version) }) {
            return Finding(
                line: line,
                severity: .note,
                kind: .torchNPUCANNPaired,
                message: "\(name) is the torch_npu Ascend's table pairs with CANN "
                    + "\(image.version), the image's (\(image.what))"
            )
        }
        let forImage = input.catalog.torchNPU.filter {
            !CANNCompare.differs($0.cann, image.version)
        }
        let fix: String
        if let best = forImage.first(where: { $0.torch == rows[0].torch }) ?? forImage.first {
            fix =
                "pin torch-npu==\(best.torchNPU) with torch==\(best.torch), the torch_npu Ascend "
                + "pairs with CANN \(image.version)"
                + (forImage.count > 1
                    ? " (also: "
                        + forImage.filter { $0 != best }.prefix(4).map(\.torchNPU).joined(
                            separator: ", "
                        ) + ")" : "")
        } else {
            fix =
                "Ascend's table pairs no torch_npu with CANN \(image.version): use CANN "
                + paired.joined(separator: " or ") + " for \(name)"
        }
        return Finding(
            line: line,
            severity: .error,
            kind: .torchNPUCANN,
            message: "\(name) is paired with CANN " + paired.joined(separator: ", ")
                + " in Ascend's table, but the image's CANN is \(image.version) (\(image.what)): "
                + "it is built against another CANN's libraries",
            fix: fix
        )
    }

    /// torch and torch_npu from PyPI alone where the x86_64 wheel pins a `+cpu` torch.
    static func cpuTrap(
        _ name: String,
        _ row: TorchNPURelease,
        _ install: PipInstall,
        _ command: CommandFact,
        _ earlier: ArraySlice<(command: CommandFact, install: PipInstall)>,
        _ input: CheckInput
    ) -> Finding? {
        let machine = input.host.machine
        guard machine == nil || machine == "x86_64" || machine == "amd64",
            row.requiresIndexBuild(machine: "x86_64"), !install.noDeps,
            isPyPIOnly(install), install.requirement("torch")?.local == nil
        else { return nil }
        // A `+cpu` torch already in the image satisfies the pin: installed from the CPU index in
        // this stage or one it is built on, or shipped by an Ascend PyTorch base image.
        let chain = Set(input.facts.chain(from: command.stage).map(\.index))
        if earlier.contains(where: {
            chain.contains($0.command.stage) && $0.install.requirement("torch") != nil
                && (readsCPUIndex($0.install) || $0.install.requirement("torch")?.local == "cpu")
        }) {
            return nil
        }
        if let (_, image) = input.facts.externalBase(of: command.stage) {
            let text = image.text.lowercased()
            if text.containsText("ascend") && text.containsText("torch") { return nil }
        }
        let pin = row.torchRequirement(machine: "x86_64") ?? ""
        let host =
            machine == nil
            ? "if the host is x86_64 (its architecture is not known)" : "on this x86_64 host"
        return Finding(
            line: command.line,
            severity: machine == nil ? .warning : .error,
            kind: .torchNPUCPUIndex,
            message: "\(name)'s x86_64 wheel requires torch\(pin), a build only \(cpuIndex) "
                + "has, and this install reads PyPI alone: \(host) pip cannot resolve it "
                + "(ResolutionImpossible)",
            fix: "install torch first from the CPU index: `pip install torch==\(row.torch) "
                + "--index-url \(cpuIndex)`, then `pip install torch-npu==\(row.torchNPU)` "
                + "(or add `--extra-index-url \(cpuIndex)` to this line)"
        )
    }
}
