/// Judges the NVIDIA driver packages a `RUN` installs with apt, dnf/yum/microdnf or zypper.
///
/// Such a package puts a userspace driver into the image exactly as NVIDIA's `.run` does, and
/// it must equal the host's kernel module in the same way (``InstallerJudge/comparison``).
/// Which version it is depends on the package: a pin (`libnvidia-compute-550=550.54.14-1`,
/// `nvidia-driver-cuda-550.54.14`) names it; a branch package (`nvidia-driver-550`,
/// `cuda-drivers-550`, the dnf stream `nvidia-driver:550`) takes the newest release of that
/// branch in the repository when the image is built; `cuda`, `cuda-X-Y`, `cuda-runtime-X-Y`
/// and `cuda-drivers` take NVIDIA's newest driver (NVIDIA, CUDA Installation Guide for Linux,
/// "Meta Packages": `cuda-X-Y` "installs all CUDA Toolkit and Driver packages", `cuda-drivers`
/// "handles upgrading to the next version of the Driver packages when they're released").
/// `cuda-toolkit-*`, `cuda-libraries-*` and `cuda-compat-*` install no driver and are not judged.
enum DistroDriverJudge {
    /// Which driver a package puts into the image.
    enum Pull: Hashable, Sendable {
        /// Exactly this version (pinned).
        case version(DriverVersion)
        /// The newest release of this branch in the repository.
        case branch(Int)
        /// NVIDIA's newest driver; at least the branch that supports `minimumCUDA` natively.
        case newest(minimumCUDA: String?)
        /// The distribution's own version, which the Dockerfile does not show (Debian's
        /// `nvidia-driver`, RPM Fusion's `xorg-x11-drv-nvidia`).
        case distribution
        /// A version made of variables with no known value.
        case unresolved([String])

        /// How much the pull says about the version: the most specific package of a command is
        /// the one judged.
        var rank: Int {
            switch self {
            case .version: 0
            case .branch: 1
            case .unresolved: 2
            case .newest: 3
            case .distribution: 4
            }
        }
    }

    /// A driver package on a command line.
    struct Request: Hashable, Sendable {
        /// `apt-get install`, `dnf module install`, for messages.
        var command: String
        /// The package as written.
        var package: String
        var pull: Pull
        /// The package manager's family, for the fix.
        var family: Family
    }

    enum Family: Hashable, Sendable {
        case apt, dnf, zypper
    }

    /// The newest release of each branch that a source shows: a repository serves this one or
    /// a later one, so a host below it cannot equal "the newest of the branch".
    ///
    /// Up to 545: NVIDIA_Changelog as shipped in Debian's nvidia-driver 535.261.03-1 (bookworm)
    /// and 550.163.01-2 (trixie) packages. 535 and 550: those Debian packages themselves. From
    /// 555: the drivers of CUDA 12.5 Update 1 to 13.2 (NVIDIA, CUDA Toolkit release notes,
    /// "CUDA Toolkit and Corresponding Driver Versions") and nvidia-smi banners in public files.
    static let publishedReleases: [Int: DriverVersion] = [
        "390.157", "418.113", "440.100", "450.119.03", "455.45.01", "460.91.03", "465.31",
        "470.256.02", "495.44", "510.108.03", "515.86.01", "525.147.05", "530.41.03",
        "535.261.03", "545.29.02", "550.163.01", "555.42.06", "560.35.05", "565.57.01",
        "570.133.20", "575.64.03", "580.159.03", "590.48.01", "595.91.07", "610.47",
    ].reduce(into: [:]) { table, text in
        if let version = DriverVersion(text) { table[version.branch] = version }
    }

    static func findings(_ input: CheckInput) -> [Finding] {
        var findings: [Finding] = []
        // `dnf module enable nvidia-driver:550` makes a later `dnf install nvidia-driver` take
        // that stream, per stage.
        var streams: [Int: Pull] = [:]
        // A builder stage's driver packages stay out of the image.
        let image = input.finalChain
        for command in input.facts.commands where image.contains(command.stage) {
            let requests = requests(command, stream: streams[command.stage]) { stream in
                streams[command.stage] = stream
            }
            guard let request = requests.min(by: { $0.pull.rank < $1.pull.rank }) else { continue }
            findings += judge(request, line: command.line, input).map { $0.when(command) }
        }
        return findings
    }

    // MARK: Reading commands

    /// The driver packages a command installs (none for other commands).
    static func requests(
        _ command: CommandFact,
        stream: Pull?,
        enable: (Pull) -> Void
    ) -> [Request] {
        // Most commands are none of these: decided before any other work.
        guard let first = command.words.first,
            first.text.hasSuffix("apt-get") || first.text.hasSuffix("apt")
                || first.text.hasSuffix("aptitude") || first.text.hasSuffix("dnf")
                || first.text.hasSuffix("dnf5") || first.text.hasSuffix("yum")
                || first.text.hasSuffix("microdnf") || first.text.hasSuffix("tdnf")
                || first.text.hasSuffix("zypper")
        else { return [] }
        let program = CommandWords.basename(first.text)
        let family: Family
        let valued: Set<String>
        switch program {
        case "apt-get", "apt", "aptitude":
            family = .apt
            valued = ["-o", "-t", "-c", "-a", "--option", "--target-release", "--config-file"]
        case "dnf", "dnf5", "yum", "microdnf", "tdnf":
            family = .dnf
            valued = [
                "-x", "-c", "-d", "-e", "--exclude", "--setopt", "--enablerepo", "--disablerepo",
                "--repo", "--repoid", "--releasever", "--installroot", "--config", "--forcearch",
                "--enable-plugin", "--disable-plugin", "--repofrompath", "--downloaddir",
                "--destdir",
            ]
        case "zypper":
            family = .zypper
            valued = ["-r", "-t", "-R", "-D", "-C", "--repo", "--from", "--type", "--root"]
        default:
            return []
        }
        // The operands: words that are neither options nor option values.
        var operands: [ScriptWord] = []
        var index = 1
        let words = command.words
        while index < words.count {
            let text = words[index].text
            if text.hasPrefix("-") {
                if valued.contains(text) { index += 1 }
            } else {
                operands.append(words[index])
            }
            index += 1
        }
        guard let verb = operands.first?.text else { return [] }
        var module = false
        var packages = operands.dropFirst()
        switch (family, verb) {
        case (.apt, "install"), (.dnf, "install"), (.zypper, "install"), (.zypper, "in"):
            break
        case (.dnf, "module"):
            guard let action = packages.first?.text, ["install", "enable"].contains(action)
            else { return [] }
            packages = packages.dropFirst()
            module = true
            if action == "enable" {
                for word in packages {
                    if let pull = moduleStream(word.text, module: true) { enable(pull) }
                }
                return []
            }
        default:
            return []
        }
        let shown = module ? "\(program) module install" : "\(program) \(verb)"
        return packages.prefix(256).compactMap { word in
            guard mayBeDriver(word.text) else { return nil }
            let pull: Pull?
            if !word.unresolved.isEmpty, let named = unresolvedPull(word, family) {
                pull = named
            } else {
                switch family {
                case .apt: pull = aptPull(word.text)
                case .dnf:
                    pull = moduleStream(word.text, module: module) ?? dnfPull(word.text, stream)
                case .zypper: pull = zypperPull(word.text)
                }
            }
            return pull.map {
                Request(command: shown, package: word.text, pull: $0, family: family)
            }
        }
    }

    /// `nvidia-driver-cuda-${DRIVER_VERSION}`: a driver package whose version is a variable.
    static func unresolvedPull(_ word: ScriptWord, _ family: Family) -> Pull? {
        let text = word.text
        let name: String
        if let equals = text.firstIndex(of: "=") {
            name = String(text[..<equals])
        } else if text.hasSuffix("-") || text.hasSuffix(":") {
            // The variable stood where the version or branch is.
            name = String(text.dropLast())
        } else {
            return nil
        }
        let known: Pull?
        switch family {
        case .apt: known = aptPull(name) ?? (branchPackages.contains(name) ? .distribution : nil)
        case .dnf: known = moduleStream(name + ":550", module: true) ?? dnfPull(name, nil)
        case .zypper: known = zypperPull(name) ?? zypperPull(name + "-G06")
        }
        return known == nil ? nil : .unresolved(word.unresolved)
    }

    // MARK: Package names

    /// Whether a package word can name a driver package at all (most words do not).
    static func mayBeDriver(_ text: String) -> Bool {
        text.hasPrefix("cuda") || text.hasPrefix("nvidia") || text.hasPrefix("libnvidia")
            || text.hasPrefix("libcuda") || text.hasPrefix("xorg-x11-drv-nvidia")
            || text.hasPrefix("@nvidia")
    }

    /// Ubuntu's and NVIDIA's branch packages: `nvidia-driver-550`, `-server`, `-open`.
    static let branchPackages: [String] = [
        "nvidia-driver", "nvidia-utils", "nvidia-compute-utils", "nvidia-headless-no-dkms",
        "nvidia-headless", "libnvidia-compute", "libnvidia-decode", "libnvidia-encode",
        "libnvidia-gl", "libnvidia-extra", "libnvidia-fbc1", "libnvidia-cfg1",
    ]

    /// ``branchPackages`` with their dash.
    static let branchPrefixes = branchPackages.map { $0 + "-" }

    /// Debian's packages of its own driver version (nvidia-graphics-drivers).
    static let debianPackages: Set<String> = [
        "nvidia-driver", "nvidia-driver-libs", "libcuda1", "libnvidia-ml1", "nvidia-smi",
    ]

    static func aptPull(_ word: String) -> Pull? {
        var name = Substring(word)
        var pin: Substring?
        if let equals = name.firstIndex(of: "=") {
            pin = name[name.index(after: equals)...]
            name = name[..<equals]
        }
        if let slash = name.firstIndex(of: "/") { name = name[..<slash] }
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        let pinned = pin.flatMap { upstreamVersion($0) }
        if let common = cudaPull(name, pinned: pinned) { return common }
        if debianPackages.contains(String(name)) {
            return pinned.map(Pull.version) ?? .distribution
        }
        if let branch = branchNumber(name) { return pinned.map(Pull.version) ?? .branch(branch) }
        // Debian's Tesla drivers: `nvidia-tesla-535-driver`.
        if name.hasPrefix("nvidia-tesla-"), name.hasSuffix("-driver"),
            let branch = Int(name.dropFirst(13).dropLast(7)), (100...999).contains(branch)
        {
            return pinned.map(Pull.version) ?? .branch(branch)
        }
        return nil
    }

    /// NVIDIA's CUDA meta packages, named alike in its apt, dnf and zypper repositories.
    ///
    /// `cuda`, `cuda-12-4`, `cuda-runtime-12-4`, `cuda-drivers`, `cuda-drivers-550`. A pin on
    /// `cuda` is the toolkit's version and leaves the driver unpinned.
    static func cudaPull(_ name: Substring, pinned: DriverVersion?) -> Pull? {
        if name == "cuda" { return .newest(minimumCUDA: nil) }
        if name == "cuda-drivers" { return pinned.map(Pull.version) ?? .newest(minimumCUDA: nil) }
        if name.hasPrefix("cuda-drivers-") {
            let rest = name.dropFirst(13)
            if let branch = Int(rest), (100...999).contains(branch), rest.count == 3 {
                return pinned.map(Pull.version) ?? .branch(branch)
            }
            return nil
        }
        for prefix in ["cuda-runtime-", "cuda-"] where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-")
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
                return .newest(minimumCUDA: "\(parts[0]).\(parts[1])")
            }
        }
        return nil
    }

    /// `nvidia-driver-550`, `libnvidia-compute-550-server`, `nvidia-driver-550-server-open`.
    static func branchNumber(_ name: Substring) -> Int? {
        for prefix in branchPrefixes where name.hasPrefix(prefix) {
            var rest = name.dropFirst(prefix.count)
            for suffix in ["-open", "-server"] where rest.hasSuffix(suffix) {
                rest = rest.dropLast(suffix.count)
            }
            if rest.hasSuffix("-server") { rest = rest.dropLast(7) }
            if rest.count == 3, let branch = Int(rest) { return branch }
        }
        return nil
    }

    /// NVIDIA's RHEL/Fedora packages: `nvidia-driver`, `nvidia-driver-cuda`,
    /// `nvidia-driver-cuda-libs`, `nvidia-driver-libs`, optionally with `-<version>` (and an
    /// epoch or release: `nvidia-driver-3:550.54.15-1.el9`); RPM Fusion's `xorg-x11-drv-nvidia`.
    static func dnfPull(_ word: String, _ stream: Pull?) -> Pull? {
        let name = Substring(word)
        if let common = cudaPull(name, pinned: nil) { return common }
        if name.hasPrefix("cuda-drivers-"), let version = upstreamVersion(name.dropFirst(13)) {
            return .version(version)
        }
        if name == "nvidia-driver-latest-dkms" { return .newest(minimumCUDA: nil) }
        let bases = [
            "nvidia-driver-cuda-libs", "nvidia-driver-cuda", "nvidia-driver-libs",
            "nvidia-driver-NVML", "nvidia-driver",
        ]
        for base in bases where name.hasPrefix(base) {
            let rest = name.dropFirst(base.count)
            if rest.isEmpty { return stream ?? .newest(minimumCUDA: nil) }
            if rest.hasPrefix("-"), let version = upstreamVersion(rest.dropFirst()) {
                return .version(version)
            }
        }
        for base in [
            "xorg-x11-drv-nvidia-cuda-libs", "xorg-x11-drv-nvidia-cuda", "xorg-x11-drv-nvidia",
        ]
        where name == base {
            return .distribution
        }
        return nil
    }

    /// A dnf module stream: `nvidia-driver:550-dkms`, `@nvidia-driver:latest-dkms`,
    /// `nvidia-driver:open-dkms/default` (NVIDIA's RHEL 8/9 streams: a branch number, or
    /// `latest`/`open` for the newest).
    static func moduleStream(_ word: String, module: Bool) -> Pull? {
        var text = Substring(word)
        if text.hasPrefix("@") {
            text = text.dropFirst()
        } else if !module {
            return nil
        }
        guard text.hasPrefix("nvidia-driver:") else { return nil }
        var stream = text.dropFirst(14)
        if let slash = stream.firstIndex(of: "/") { stream = stream[..<slash] }
        let head = stream.prefix { $0 != "-" }
        if head.count == 3, let branch = Int(head) { return .branch(branch) }
        if head == "latest" || head == "open" { return .newest(minimumCUDA: nil) }
        return nil
    }

    /// openSUSE's packages: `nvidia-compute-G06` (and `-utils`, `nvidia-gl-G06`,
    /// `nvidia-video-G06`) with `=<version>`; G06 follows the newest branch, G05 is 470,
    /// G04 is 390 (openSUSE, "NVIDIA drivers" support page).
    static func zypperPull(_ word: String) -> Pull? {
        var name = Substring(word)
        var pinned: DriverVersion?
        if let equals = name.firstIndex(of: "=") {
            let operatorStart =
                name[..<equals].last.map { "<>".contains($0) } == true
                ? name.index(before: equals) : equals
            if operatorStart == equals {
                pinned = upstreamVersion(name[name.index(after: equals)...])
            }
            name = name[..<operatorStart]
        }
        if let common = cudaPull(name, pinned: pinned) { return common }
        let bases = ["nvidia-compute-utils-", "nvidia-compute-", "nvidia-gl-", "nvidia-video-"]
        for base in bases where name.hasPrefix(base) {
            switch name.dropFirst(base.count) {
            case "G06": return pinned.map(Pull.version) ?? .newest(minimumCUDA: nil)
            case "G05": return pinned.map(Pull.version) ?? .branch(470)
            case "G04": return pinned.map(Pull.version) ?? .branch(390)
            default: return nil
            }
        }
        return nil
    }

    /// The upstream driver version in a package version: `550.54.15-1`, `1:550.54.15-0ubuntu1`,
    /// `3:550.54.15-1.el9`, `550.54.15*`.
    static func upstreamVersion(_ text: Substring) -> DriverVersion? {
        var rest = text
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy(\.isNumber) {
            rest = rest[rest.index(after: colon)...]
        }
        let upstream = rest.prefix { $0 != "-" && $0 != "*" && $0 != "~" && $0 != "+" }
        return DriverVersion(String(upstream))
    }

    // MARK: Judging

    static func judge(_ request: Request, line: Int, _ input: CheckInput) -> [Finding] {
        let package = "\(request.command) \(request.package.prefix(120))"
        if let windows = InstallerJudge.windowsHost(
            "\(package) installs a userspace driver",
            line: line,
            input
        ) {
            return [windows]
        }
        guard let target = input.host.targetDriverVersion else {
            if case .version(let version) = request.pull {
                return [
                    InstallerJudge.hostProblem(
                        "\(package) installs userspace driver",
                        version,
                        line: line,
                        input
                    )
                ]
            }
            return [
                InstallerJudge.hostProblem(
                    "\(package) installs an NVIDIA userspace driver",
                    nil,
                    line: line,
                    input
                )
            ]
        }
        let fix = fixText(request, target)
        switch request.pull {
        case .version(let version):
            return InstallerJudge.comparison(
                version,
                "\(package) installs userspace driver",
                line: line,
                kinds: (.driverPackageExact, .driverPackageOlder, .driverPackageNewer),
                fix: fix,
                input
            )
        case .branch(let branch):
            return branchFindings(branch, package, line: line, fix: fix, input)
        case .newest(let minimumCUDA):
            let newest = input.catalog.driverBranches.map(\.branch).max()
            let minimum = minimumCUDA.flatMap { cuda in
                input.catalog.driverBranches.filter { compare($0.cuda, cuda) >= 0 }
                    .map(\.branch).min()
            }
            let floor =
                minimumCUDA.map { cuda in
                    minimum.map { " (CUDA \(cuda) needs branch \($0) or newer)" } ?? ""
                } ?? ""
            let subject =
                "\(package) pulls cuda-drivers, so the image gets NVIDIA's newest userspace "
                + "driver when it is built\(floor)"
            if let newest, newest > target.branch {
                return [
                    Finding(
                        line: line,
                        severity: .error,
                        kind: .driverPackageNewer,
                        message: "\(subject): branch \(newest) or later (the newest the catalog "
                            + "of \(input.catalog.updated) knows), newer than the host's "
                            + "\(input.driverText); NVML fails with \"Driver/library version "
                            + "mismatch\"",
                        fix: fix
                    )
                ]
            }
            return branchFindings(target.branch, package, line: line, fix: fix, input)
        case .distribution:
            return [
                Finding(
                    line: line,
                    severity: .note,
                    kind: .driverPackageUnpinned,
                    message: "\(package) installs the distribution's NVIDIA userspace driver, "
                        + "whose version this check cannot see; it must equal the host's "
                        + "\(input.driverText)",
                    fix: fix
                )
            ]
        case .unresolved(let names):
            return [
                InstallerJudge.buildArgumentNote(
                    package,
                    names,
                    line: line,
                    what: "the driver version it installs",
                    input
                )
            ]
        }
    }

    /// The newest release of `branch` in the repository against the host.
    static func branchFindings(
        _ branch: Int,
        _ package: String,
        line: Int,
        fix: String,
        _ input: CheckInput
    ) -> [Finding] {
        guard let target = input.host.targetDriverVersion else { return [] }
        if branch > target.branch {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: .driverPackageNewer,
                    message: "\(package) installs the newest \(branch) userspace driver, newer "
                        + "than the host's \(input.driverText): the userspace driver must equal "
                        + "the kernel module; NVML fails with \"Driver/library version mismatch\"",
                    fix: fix
                )
            ]
        }
        if branch < target.branch {
            return [
                Finding(
                    line: line,
                    severity: .warning,
                    kind: .driverPackageOlder,
                    message: "\(package) installs a \(branch) userspace driver, older than the "
                        + "host's \(input.driverText): they must be equal; under the NVIDIA "
                        + "Container Toolkit the host's newer libraries win the library links "
                        + "and it runs, but whatever loads the image's own copies fails with "
                        + "\"Driver/library version mismatch\"",
                    fix: fix
                )
            ]
        }
        if let published = publishedReleases[branch], published > target {
            return [
                Finding(
                    line: line,
                    severity: .error,
                    kind: .driverPackageNewer,
                    message: "\(package) installs the repository's newest \(branch) userspace "
                        + "driver when the image is built, \(published.text) or later "
                        + "(\(published.text) is a published release), newer than the host's "
                        + "\(input.driverText); NVML fails with \"Driver/library version "
                        + "mismatch\"",
                    fix: fix
                )
            ]
        }
        return [
            Finding(
                line: line,
                severity: .note,
                kind: .driverPackageUnpinned,
                message: "\(package) installs the repository's newest \(branch) userspace "
                    + "driver when the image is built; it works only while that is the host's "
                    + "\(input.driverText)",
                fix: fix
            )
        ]
    }

    static func fixText(_ request: Request, _ target: DriverVersion) -> String {
        let pin: String
        // The package's own name where it is a branch package of the host's branch.
        let name = request.package.prefix { $0 != "=" && $0 != ":" && $0 != "/" }
        let own = branchNumber(name) == target.branch ? String(name.prefix(80)) : nil
        switch request.family {
        case .apt:
            let package = own ?? "libnvidia-compute-\(target.branch)"
            pin = "`\(package)=\(target.text)-<revision>`"
        case .dnf:
            pin = "`nvidia-driver-cuda-\(target.text)`"
        case .zypper:
            pin = "`nvidia-compute-G06=\(target.text)`"
        }
        return "drop the driver packages and start the container with the NVIDIA Container "
            + "Toolkit (--gpus), which mounts the host's own driver \(target.text); or install "
            + "exactly \(target.text) (\(pin))"
    }

    /// `12.4` against `12.10`: numeric order, part by part.
    static func compare(_ left: String, _ right: String) -> Int {
        let a = left.split(separator: ".").map { Int($0) ?? 0 }
        let b = right.split(separator: ".").map { Int($0) ?? 0 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
