/// The CANN and torch_npu part of an Ascend image: where the CANN comes from (the toolkit
/// `.run` from the drivers folder, the user's base image, or an official CANN image), the
/// environment the toolkit's `set_env.sh` would set, and the pip line.
enum CANNLayers {
    /// What the Ascend part adds before and after the driver files.
    struct Parts {
        /// The image to start from when the user gave no `--base` and the drivers folder holds
        /// no toolkit: an official CANN image.
        var base: String?
        /// Comments about the base, written after `FROM`.
        var baseLines: [String] = []
        /// The toolkit install (when from the drivers folder) and the pip line.
        var lines: [String] = []
        var warnings: [String] = []
    }

    /// Where the toolkit installs as root, and what `set_env.sh` there sets.
    ///
    /// torch_npu's own README (the long description in every torch_npu wheel's METADATA on
    /// PyPI, e.g. torch_npu-2.5.1) says to `source /usr/local/Ascend/ascend-toolkit/set_env.sh`
    /// before use. A `source` in a `RUN` is lost when the step ends, and python, jupyter or
    /// code-server started by `docker run` read no shell profile, so its variables become
    /// `ENV` lines. The list is the one CANN 7 and 8 toolkits' `set_env.sh` exports; the build
    /// checks the folders it names exist, so a release that moved them fails the build with a
    /// clear message instead of torch_npu failing to load at run time.
    static let toolkitHome = "/usr/local/Ascend/ascend-toolkit/latest"
    static let setEnvPath = "/usr/local/Ascend/ascend-toolkit/set_env.sh"

    /// `set_env.sh`'s variables, in its order; `$H` is the toolkit home, `$ARCH` the machine.
    static let environment: [(name: String, value: String, appends: Bool)] = [
        ("ASCEND_TOOLKIT_HOME", "$H", false),
        (
            "LD_LIBRARY_PATH",
            "$H/lib64:$H/lib64/plugin/opskernel:$H/lib64/plugin/nnengine:"
                + "$H/opp/built-in/op_impl/ai_core/tbe/op_tiling/lib/linux/$ARCH:"
                + "$H/tools/aml/lib64:$H/tools/aml/lib64/plugin",
            true
        ),
        ("PYTHONPATH", "$H/python/site-packages:$H/opp/built-in/op_impl/ai_core/tbe", true),
        (
            "PATH", "$H/bin:$H/compiler/ccec_compiler/bin:$H/tools/ccec_compiler/bin", true
        ),
        ("ASCEND_AICPU_PATH", "$H", false),
        ("ASCEND_OPP_PATH", "$H/opp", false),
        ("TOOLCHAIN_HOME", "$H/toolkit", false),
        ("ASCEND_HOME_PATH", "$H", false),
    ]

    /// Folders the build checks after the install: the toolkit's libraries and operators.
    static let requiredFolders = ["$H/lib64", "$H/opp"]

    /// The chip names the official CANN images' tags carry, per family.
    static let imageChip = ["910B": "910b", "310P": "310p", "A3": "a3"]

    static func parts(
        ascend: AscendPlan,
        choice: AscendChoice,
        plan: Plan,
        request: DockerfileRequest
    ) throws(EmitError) -> Parts {
        var parts = Parts()
        let machine = plan.host.machine
        let packages = try packages(
            for: choice,
            family: ascend.chipFamily,
            machine: machine,
            request
        )
        if let toolkit = packages.toolkit {
            parts.lines += try toolkitLines(
                toolkit: toolkit,
                kernels: packages.kernels,
                choice: choice,
                ascend: ascend,
                machine: machine ?? toolkit.architecture ?? "aarch64"
            )
            if packages.kernels == nil {
                let warning =
                    "no CANN \(choice.cann) operator package (Ascend-cann-kernels-"
                    + "\(imageChip[ascend.chipFamily ?? ""] ?? "<chip>")_\(choice.cann)_linux-"
                    + "\(machine ?? "<arch>").run) is in the drivers folder: torch_npu runs "
                    + "operators only with it installed; put it there and run gpuprobe "
                    + "dockerfile again."
                parts.warnings.append(warning)
                parts.lines += DockerfileEmitter.comment("WARNING: " + warning)
            }
        } else if let base = request.base {
            parts.baseLines += baseNote(base: base, choice: choice, ascend: ascend, into: &parts)
        } else {
            parts.base = try officialImage(choice: choice, ascend: ascend, plan: plan)
            parts.baseLines += DockerfileEmitter.comment(
                "CANN \(choice.cann) from Ascend's official image (quay.io/ascend/cann, tags "
                    + "<cann>-<chip>-<os>-py<python> as Ascend/cann-container-image names them): "
                    + "its CANN, Python and set_env.sh environment come with it. gpuprobe cannot "
                    + "list the registry offline: if this tag is missing, pick the CANN "
                    + "\(choice.cann) tag for your chip there, or put "
                    + "Ascend-cann-toolkit_\(choice.cann)_linux-\(machine ?? "<arch>").run "
                    + "into the drivers folder and pass --base IMAGE."
            )
        }
        if !parts.lines.isEmpty { parts.lines.append("") }
        parts.lines += try pipLines(choice: choice)
        return parts
    }

    /// The toolkit and operator package for the chosen CANN in the drivers folder.
    static func packages(
        for choice: AscendChoice,
        family: String?,
        machine: String?,
        _ request: DockerfileRequest
    ) throws(EmitError) -> (toolkit: CANNPackage?, kernels: CANNPackage?) {
        let found = request.folderFiles.compactMap(CANNPackage.init(path:)).filter {
            $0.version.uppercased() == choice.cann.uppercased()
                && (machine == nil || $0.architecture == nil || $0.architecture == machine)
        }
        let toolkits = found.filter { $0.role == .toolkit }
        if machine == nil, Set(toolkits.compactMap(\.architecture)).count > 1 {
            throw .planIncomplete(
                "the drivers folder holds CANN \(choice.cann) toolkits for "
                    + toolkits.compactMap(\.architecture).sorted().joined(separator: " and ")
                    + " and the host's architecture is unknown; pass --arch x86_64 or "
                    + "--arch aarch64"
            )
        }
        let chip = family.flatMap { imageChip[$0] }
        let kernels = found.first { $0.role == .operators(chip: chip ?? "") }
        return (toolkits.first, kernels)
    }

    static func toolkitLines(
        toolkit: CANNPackage,
        kernels: CANNPackage?,
        choice: AscendChoice,
        ascend: AscendPlan,
        machine: String
    ) throws(EmitError) -> [String] {
        guard machine == "x86_64" || machine == "aarch64" else {
            throw .unsafe(
                what: "the host architecture",
                value: machine,
                expected: "x86_64 or aarch64"
            )
        }
        var lines = DockerfileEmitter.comment(
            "CANN \(choice.cann), \(pairingText(choice, ascend)), from the drivers folder. Its "
                + "installer needs python3 with pip in the image. The COPY layer keeps the "
                + "installer's size; with BuildKit, RUN --mount=type=bind avoids that. The build "
                + "fails if the toolkit did not land where the ENV lines point."
        )
        let packages = [toolkit] + (kernels.map { [$0] } ?? [])
        var commands: [String] = []
        for package in packages {
            guard EmitValidation.isContextPath(package.path), !package.path.contains(" ") else {
                throw .unsafe(
                    what: "the CANN package path",
                    value: package.path,
                    expected: "a relative path inside the build context of letters, digits and "
                        + "._-+@/ (rename the file or folder)"
                )
            }
            let target = "/tmp/cann/" + package.name
            lines.append("COPY \(package.path) \(target)")
            commands.append("chmod 0755 \(target) && \(target) --install --quiet")
        }
        let checks = requiredFolders.map { "test -d " + expand($0, machine: machine) }
        lines.append(
            "RUN " + commands.joined(separator: " \\\n    && ")
                + " \\\n    && rm -rf /tmp/cann \\\n"
                + "    && { test -f \(setEnvPath) && " + checks.joined(separator: " && ")
                + " || { echo 'gpuprobe: the CANN \(choice.cann) toolkit did not install into "
                + "\(toolkitHome) as this Dockerfile expects; compare its set_env.sh with the "
                + "ENV lines that follow' >&2; exit 1; }; }"
        )
        lines += DockerfileEmitter.comment(
            "What `source \(setEnvPath)` sets, as ENV: python, jupyter and code-server "
                + "started by `docker run` read no shell profile."
        )
        for variable in environment {
            var value = expand(variable.value, machine: machine)
            if variable.appends {
                value += "${\(variable.name):+:${\(variable.name)}}"
            }
            lines.append("ENV \(variable.name)=\(value)")
        }
        return lines
    }

    static func expand(_ template: String, machine: String) -> String {
        template.replacingText("$H", with: toolkitHome).replacingText("$ARCH", with: machine)
    }

    /// A comment on the user's base: what CANN it must carry, and a warning when its tag names
    /// another.
    static func baseNote(
        base: String,
        choice: AscendChoice,
        ascend: AscendPlan,
        into parts: inout Parts
    ) -> [String] {
        if let image = ImageReference(base), let carried = CANNBaseJudge.cannVersion(image) {
            if carried.uppercased() == choice.cann.uppercased() {
                return DockerfileEmitter.comment(
                    "The base image carries CANN \(choice.cann), \(pairingText(choice, ascend))."
                )
            }
            let warning =
                "the base image \(base) carries CANN \(carried), but the plan chose CANN "
                + "\(choice.cann) (\(pairingText(choice, ascend))) and torch_npu "
                + "\(choice.torchNPU) for it; build from the CANN \(choice.cann) image, or run "
                + "gpuprobe dockerfile with --cann \(carried) to have the torch_npu for that CANN."
            parts.warnings.append(warning)
            return DockerfileEmitter.comment("WARNING: " + warning)
        }
        return DockerfileEmitter.comment(
            "The base image must carry CANN \(choice.cann) (\(pairingText(choice, ascend))) "
                + "with its set_env.sh environment set, as quay.io/ascend/cann images do; or put "
                + "Ascend-cann-toolkit_\(choice.cann)_linux-<arch>.run into the drivers folder "
                + "to have it installed here."
        )
    }

    /// The official image for the choice: `quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.10`.
    ///
    /// Ubuntu 22.04, whose own Python is 3.10, and Python 3.10 when torch_npu supports it
    /// (every torch_npu from 2.1 to 2.14 does), else `--python`, else the lowest it supports.
    static func officialImage(
        choice: AscendChoice,
        ascend: AscendPlan,
        plan: Plan
    ) throws(EmitError) -> String {
        guard let family = ascend.chipFamily, let chip = imageChip[family] else {
            throw .planIncomplete(
                "no official CANN image is known for "
                    + (ascend.chipFamily.map { "Ascend \($0) chips" } ?? "this host's NPU")
                    + ": pass --base IMAGE with CANN \(choice.cann), or put "
                    + "Ascend-cann-toolkit_\(choice.cann)_linux-<arch>.run into the drivers folder"
            )
        }
        var python = "3.10"
        if let range = choice.python {
            if let asked = plan.inputs.python, range.admits(asked) {
                python = asked
            } else if !range.admits(python) {
                python = range.min
            }
        }
        let image =
            "quay.io/ascend/cann:\(choice.cann.lowercased())-\(chip)-ubuntu22.04-py\(python)"
        guard EmitValidation.isImageReference(image) else {
            throw .unsafe(what: "the CANN image", value: image, expected: "an image reference")
        }
        return image
    }

    /// `paired with driver 24.1.rc2 by Huawei's tables`, per the choice's evidence.
    static func pairingText(_ choice: AscendChoice, _ ascend: AscendPlan) -> String {
        let driver = ascend.driverRelease ?? ascend.driverVersion ?? "(unknown)"
        switch choice.pairing {
        case .paired: return "which Huawei pairs with driver \(driver)"
        case .compatible: return "which Huawei's compatibility matrix runs on driver \(driver)"
        case .secondary: return "which only a downstream install guide pairs with driver \(driver)"
        case .inferred: return "paired with an older release than driver \(driver) (inferred)"
        case .pinned: return "asked for with --cann; no source pairs it with driver \(driver)"
        }
    }

    static func pipLines(choice: AscendChoice) throws(EmitError) -> [String] {
        for version in [choice.torch, choice.torchNPU]
        where !EmitValidation.isPackageVersion(version) {
            throw .unsafe(
                what: "the torch_npu pairing",
                value: version,
                expected: "a version such as 2.5.1"
            )
        }
        let range = choice.python.map { " on Python \($0.min)–\($0.max)" } ?? ""
        var lines = DockerfileEmitter.comment(
            "torch \(choice.torch) + torch_npu \(choice.torchNPU)\(range), the pair Ascend/pytorch "
                + "gives for CANN \(choice.cann); pyyaml and setuptools because torch_npu's README "
                + "asks for them, setuptools below 82 because 82.0.0 dropped pkg_resources, which "
                + "torch_npu's torchair imports; the CPU index because x86_64 torch_npu wheels "
                + "require torch's +cpu build. No source bounds pyyaml, so pip picks it."
        )
        lines.append("# hadolint ignore=DL3013")
        let words =
            ["python3", "-m", "pip", "install", "--no-cache-dir"] + choice.packages
            + ["--extra-index-url", choice.extraIndexURL]
        lines.append("RUN " + words.map(ShellWord.quote).joined(separator: " "))
        return lines
    }
}

/// A CANN package in the drivers folder, by Huawei's file names: the toolkit
/// (`Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run`; from CANN 8.5 the combined
/// `Ascend-cann_8.5.0_linux-aarch64.run`) and the operator kernels
/// (`Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run`; from 8.5
/// `Ascend-cann-910b-ops_8.5.0_linux-aarch64.run`).
struct CANNPackage: Hashable, Sendable {
    /// The path as the drivers folder listing gives it, relative to the build context.
    var path: String
    var name: String
    /// The toolkit, or operators of one chip (`910b`): as `check` reads the same names.
    var role: CANNPackageJudge.Role
    var version: String
    var architecture: String?

    init?(path: String) {
        let name = String(path.split(separator: "/").last ?? "")
        guard let file = AscendRunfile(name), case .cann(let component) = file.part else {
            return nil
        }
        role = CANNPackageJudge.role(component)
        guard role != .other else { return nil }
        self.path = path
        self.name = name
        version = file.version
        architecture = file.architecture
    }
}
