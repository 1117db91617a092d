/// Judges the CANN `.run` packages an image runs against the host's Ascend driver and against
/// each other.
///
/// Huawei's names: `Ascend-cann-toolkit_<ver>_linux-<arch>.run` and
/// `Ascend-cann-kernels-<chip>_<ver>_linux[-<arch>].run` up to CANN 8.3; from 8.5.0 one
/// `Ascend-cann_<ver>_linux-<arch>.run` ("driver and Toolkit in one package") and
/// `Ascend-cann-<chip>-ops_<ver>_linux-<arch>.run` (Ascend/docs quick-install data,
/// `_static/ascend_config.json`). The toolkit's CANN is judged by the rule ``CANNBaseJudge``
/// applies to a CANN base image: paired with the driver's release in the catalog's
/// `ascend_drivers`, newer than every CANN related to it, or unrelated. A kernels or ops package
/// carries the operators of one chip and one CANN release: another chip's has none for the
/// host's NPUs, and another release's does not match the toolkit it extends.
enum CANNPackageJudge {
    /// The host's Ascend driver, the release it belongs to, and the CANN versions the catalog
    /// relates to it, best first.
    struct Host {
        var driver: String
        var release: AscendDriverRelease
        /// The host's chip family (`910B`, `310P`), when its NPUs name one.
        var family: String?
        var options: [AscendMatcher.Option]
        var newest: String
    }

    /// What a CANN package is for.
    enum Role: Hashable, Sendable {
        /// The toolkit (`toolkit`, or 8.5's single `Ascend-cann` package): the image's CANN.
        case toolkit
        /// Operators of one chip (`kernels-910b`, `910b-ops`): the chip as named.
        case operators(chip: String)
        /// Anything else (`nnal`, `nnae`, `tfplugin`): not judged here.
        case other
    }

    /// The host as the judges read it; nil where the host shows no Ascend driver release.
    static func hostRelease(_ input: CheckInput) -> Host? {
        guard let driver = input.host.ascendDriverVersion,
            let release = AscendDriverRelease(driver)
        else { return nil }
        let family = input.host.ascendChipNames.lazy.compactMap(AscendFamily.of(name:)).first
        let options = AscendMatcher.candidates(
            release: release,
            family: family,
            catalog: input.catalog
        )
        guard let newest = options.map(\.cann).max(by: { CANNVersion.isNewer($1, than: $0) })
        else { return nil }
        return Host(
            driver: driver,
            release: release,
            family: family,
            options: options,
            newest: newest
        )
    }

    /// The role of a CANN component name (the part after `Ascend-cann-`).
    static func role(_ component: String) -> Role {
        if component.isEmpty || component == "toolkit" { return .toolkit }
        if component.hasPrefix("kernels-") {
            return .operators(chip: String(component.dropFirst(8)))
        }
        if component.hasSuffix("-ops") { return .operators(chip: String(component.dropLast(4))) }
        return .other
    }

    /// The CANN a stage's image carries: the last toolkit package run in the stage or the
    /// stages it is built on, else its CANN base image's tag; with the line and how it is known.
    static func imageCANN(
        stage: Int,
        _ input: CheckInput,
        runs: [InstallerJudge.AscendRun]
    ) -> (version: String, line: Int, what: String)? {
        let chain = Set(input.facts.chain(from: stage).map(\.index))
        let toolkit = runs.last { run in
            guard chain.contains(run.command.stage), case .cann(let component) = run.package.part
            else { return false }
            return role(component) == .toolkit && CatalogShape.isCANN(cannVersion(run.package))
        }
        if let toolkit {
            return (
                cannVersion(toolkit.package), toolkit.command.line,
                "the toolkit \(toolkit.package.name.prefix(120)) run at line "
                    + "\(toolkit.command.line)"
            )
        }
        guard let (root, image) = input.facts.externalBase(of: stage),
            let cann = CANNBaseJudge.cannVersion(image)
        else { return nil }
        return (cann, root.line, "the base image \(image.text)")
    }

    /// A package's version as the catalog writes CANN (`8.0.rc2` → `8.0.RC2`).
    static func cannVersion(_ package: AscendRunfile) -> String {
        TorchRequest.cannVersion(package.version) ?? package.version
    }

    static func findings(_ input: CheckInput, runs: [InstallerJudge.AscendRun]) -> [Finding] {
        guard !runs.isEmpty, let host = hostRelease(input) else { return [] }
        var findings: [Finding] = []
        for run in runs {
            guard case .cann(let component) = run.package.part else { continue }
            let line = run.command.line
            let name = "\(run.package.name.prefix(120))\(run.origin)"
            let version = cannVersion(run.package)
            switch role(component) {
            case .toolkit:
                findings.append(
                    toolkit(name, version, run.package, line: line, host, input).when(run.command)
                )
            case .operators(let chip):
                if let built = AscendFamily.of(name: chip), let family = host.family,
                    built != family
                {
                    findings.append(
                        Finding(
                            line: line,
                            severity: .error,
                            kind: .installerCANNChip,
                            message: "\(name) carries the CANN operators of the \(built) "
                                + "(`\(chip)`), but the host's NPUs are "
                                + hostChips(input) + ": their operators are not in it",
                            fix: "install the package of the host's chip: "
                                + "\(run.package.name.replacingText(chip, with: family.lowercased()).prefix(120))"
                        ).when(run.command)
                    )
                }
                if let image = imageCANN(stage: run.command.stage, input, runs: runs),
                    CANNCompare.differs(version, image.version)
                {
                    findings.append(
                        Finding(
                            line: line,
                            severity: .error,
                            kind: .installerCANNMismatch,
                            message: "\(name) is CANN \(version), but the image's CANN is "
                                + "\(image.version) (\(image.what)): operator packages install "
                                + "only onto the toolkit of their own release",
                            fix: "use the \(component) package of CANN \(image.version), or "
                                + "the toolkit of CANN \(version)"
                        ).when(run.command)
                    )
                }
            case .other:
                continue
            }
        }
        return findings
    }

    static func hostChips(_ input: CheckInput) -> String {
        let names = input.host.ascendChipNames
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        return unique.isEmpty ? "unknown" : unique.prefix(3).joined(separator: ", ")
    }

    /// The toolkit's CANN against the host's driver, as ``CANNBaseJudge`` judges an image tag.
    static func toolkit(
        _ name: String,
        _ version: String,
        _ package: AscendRunfile,
        line: Int,
        _ host: Host,
        _ input: CheckInput
    ) -> Finding {
        var architecture = ""
        if let built = package.architecture, let machine = input.host.machine,
            !InstallerJudge.architectureMatches(built, machine)
        {
            architecture = "; it is built for \(built) and the host is \(machine)"
        }
        let listed = host.options.map(\.cann).joined(separator: ", ")
        let driver = "the host's Ascend driver \(host.driver) (release \(host.release))"
        if let option = host.options.first(where: { !CANNCompare.differs($0.cann, version) }) {
            return Finding(
                line: line,
                severity: .note,
                kind: .installerCANNPaired,
                message: "\(name) installs CANN \(version), which the catalog pairs with "
                    + "\(driver), \(option.pairing.rawValue)\(architecture)"
            )
        }
        if CANNVersion.isNewer(version, than: host.newest) {
            return Finding(
                line: line,
                severity: .error,
                kind: .installerCANNTooNew,
                message: "\(name) installs CANN \(version), newer than every CANN the catalog "
                    + "relates to \(driver) (\(listed)): its runtime needs a newer "
                    + "driver\(architecture)",
                fix: "install the CANN \(host.options[0].cann) packages instead, or upgrade the "
                    + "host's driver (see `gpuprobe match`)"
            )
        }
        return Finding(
            line: line,
            severity: .warning,
            kind: .installerCANNUnpaired,
            message: "\(name) installs CANN \(version), which no table in the catalog pairs with "
                + "\(driver); related to it: \(listed)\(architecture)",
            fix: "install the CANN \(host.options[0].cann) packages, whose pairing Huawei's "
                + "tables state"
        )
    }
}

/// CANN versions compared as releases: `8.0.RC2` and `8.0.rc2` are one.
enum CANNCompare {
    static func differs(_ left: String, _ right: String) -> Bool {
        left.uppercased() != right.uppercased()
    }
}
