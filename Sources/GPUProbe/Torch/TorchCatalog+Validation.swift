extension TorchCatalog {
    /// Checks every rule the decoder cannot: value shapes, names, cross-references and
    /// duplicates.
    ///
    /// The rules: `schema` is ``currentSchema``; versions parse (a torch patch is `X.Y.Z`
    /// inside its line `X.Y`, torchvision and torchaudio `X.Y.Z`, Python and CUDA `X.Y`, an
    /// excluded Python release `3.Y.Z`, drivers 1–4 dotted numbers, torch_npu the torch
    /// version plus `.postN` or `rcN`, CANN `X.Y.Z` or `X.Y.RCN`); variant names are `cuXY`/`cuXYZ`, `cpu` or `rocmX.Y…`; a `cu`
    /// variant has the `cuda` its name says (`cu128` ↔ `12.8`) and no other variant has
    /// one; builds are keyed `x86_64` or `aarch64`; compute capabilities are `X.Y`; a
    /// `patches` restriction names patches of the line; every source key is defined; no line,
    /// patch, variant, CUDA family, driver branch or architecture appears twice.
    ///
    /// - Parameter file: the name messages give the catalog (a path, or
    ///   ``embeddedFileName``).
    /// - Throws: ``CatalogError/invalid(file:entry:problem:)`` for the first broken rule
    ///   (``CatalogError/unsupportedSchema(file:schema:)`` for a wrong `schema`).
    public func validate(file: String) throws(CatalogError) {
        guard schema == Self.currentSchema else {
            throw .unsupportedSchema(file: file, schema: schema)
        }
        let check = CatalogValidator(file: file, sourceKeys: Set(sources.keys))
        try check.value("updated", updated, entry: "updated", example: "2026-11-23") {
            CatalogShape.isDate($0)
        }
        try check.cudaFamilies(cudaFamilies)
        try check.driverBranches(driverBranches)
        try check.architectures(architectureBranches)
        var lines: Set<String> = []
        for line in releases {
            try check.line(line)
            try check.unique(line.minor, in: &lines, entry: "releases")
        }
        var npuPairs: Set<String> = []
        for release in torchNPU {
            try check.torchNPU(release)
            let pair = "\(release.torchNPU) with CANN \(release.cann)"
            try check.unique(pair, in: &npuPairs, entry: "torch_npu")
        }
        var pinned: Set<String> = []
        for pins in torchPins ?? [] {
            try check.pins(pins)
            try check.unique(pins.package, in: &pinned, entry: "torch_pins")
        }
        // One entry per driver, chip set, relation and confidence: a release can be paired
        // by Huawei's table and, separately, by a downstream install guide.
        var prefixes: Set<String> = []
        for generation in ascendDrivers {
            try check.ascendDriver(generation)
            let key = [
                generation.driverPrefix,
                (generation.chips ?? []).joined(separator: "+"),
                (generation.relation ?? .paired).rawValue,
                generation.confirmed ? "confirmed" : "unconfirmed",
            ].joined(separator: " ")
            try check.unique(key, in: &prefixes, entry: "ascend_drivers")
        }
    }
}

/// The rules of ``TorchCatalog/validate(file:)``, one method per kind of entry.
private struct CatalogValidator {
    let file: String
    let sourceKeys: Set<String>

    func fail(_ entry: String, _ problem: CatalogProblem) -> CatalogError {
        .invalid(file: file, entry: entry, problem: problem)
    }

    func value(
        _ field: String,
        _ text: String,
        entry: String,
        example: String,
        _ isValid: (String) -> Bool
    ) throws(CatalogError) {
        guard isValid(text) else {
            throw fail(entry, .badValue(field: field, value: text, example: example))
        }
    }

    func version(
        _ field: String,
        _ text: String,
        parts: ClosedRange<Int>,
        entry: String,
        example: String
    ) throws(CatalogError) {
        try value(field, text, entry: entry, example: example) {
            CatalogShape.numbers($0, parts: parts) != nil
        }
    }

    func sources(_ keys: [String], entry: String) throws(CatalogError) {
        for key in keys where !sourceKeys.contains(key) {
            throw fail(entry, .unknownSource(key))
        }
    }

    func unique(_ key: String, in seen: inout Set<String>, entry: String) throws(CatalogError) {
        guard seen.insert(key).inserted else { throw fail(entry, .duplicate(key)) }
    }

    func cudaFamilies(_ families: [CUDAFamily]) throws(CatalogError) {
        var seen: Set<String> = []
        for family in families {
            let entry = "cuda family \(family.major)"
            try version("min_driver", family.minDriver, parts: 1...4, entry: entry, example: "580")
            try sources(family.sources, entry: entry)
            try unique(String(family.major), in: &seen, entry: "cuda_families")
        }
    }

    func driverBranches(_ branches: [DriverBranchCUDA]) throws(CatalogError) {
        var seen: Set<String> = []
        for branch in branches {
            let entry = "driver branch \(branch.branch)"
            try version("cuda", branch.cuda, parts: 2...2, entry: entry, example: "12.8")
            try sources(branch.sources, entry: entry)
            try unique(String(branch.branch), in: &seen, entry: "driver_branches")
        }
    }

    func architectures(_ architectures: [ArchitectureBranches]) throws(CatalogError) {
        var seen: Set<String> = []
        for architecture in architectures {
            let entry = "architecture \(CatalogText.quoted(architecture.architecture))"
            try sources(architecture.sources, entry: entry)
            try unique(architecture.architecture, in: &seen, entry: "architecture_branches")
        }
    }

    func line(_ line: TorchReleaseLine) throws(CatalogError) {
        let entry = "release \(CatalogText.quoted(line.minor))"
        try version("minor", line.minor, parts: 2...2, entry: entry, example: "2.7")
        let name = "release \(line.minor)"
        if let python = line.python { try pythonRange(python, entry: name) }
        try sources(line.sources, entry: name)
        guard !line.patches.isEmpty else { throw fail(name, .noPatches) }
        var patches: Set<String> = []
        for patch in line.patches {
            try self.patch(patch, line: line.minor)
            try unique(patch.torch, in: &patches, entry: "\(name), patches")
        }
        var variants: Set<String> = []
        for variant in line.variants {
            try self.variant(variant, line: line.minor, patches: patches)
            try unique(variant.name, in: &variants, entry: "\(name), variants")
        }
        if let pypi = line.pypiDefault {
            let entry = "\(name), pypi_default"
            guard variants.contains(pypi.variant) else {
                throw fail(entry, .unknownVariant(pypi.variant))
            }
            try sources(pypi.sources, entry: entry)
            for machine in (pypi.builds ?? [:]).keys.sorted() {
                guard CatalogShape.machines.contains(machine) else {
                    throw fail(entry, .unknownMachine(machine))
                }
                let build = pypi.builds?[machine] ?? PyPIBuild(variant: "", sass: [], ptx: [])
                guard variants.contains(build.variant) else {
                    throw fail("\(entry), \(machine)", .unknownVariant(build.variant))
                }
                for capability in build.sass + build.ptx
                where !CatalogShape.isComputeCapability(capability) {
                    throw fail("\(entry), \(machine)", .badComputeCapability(capability))
                }
            }
        }
    }

    /// `0.6.3`, `0.9.0.1` or `0.0.28.post1`: 2–4 numbers and an optional `.postN`.
    static func isPinnedRelease(_ text: String) -> Bool {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if let last = parts.last, last.hasPrefix("post") {
            guard CatalogShape.numbers(String(last.dropFirst(4)), parts: 1...1) != nil else {
                return false
            }
            parts.removeLast()
        }
        return CatalogShape.numbers(parts.joined(separator: "."), parts: 2...4) != nil
    }

    func pins(_ pins: TorchPins) throws(CatalogError) {
        let entry = "torch_pins \(CatalogText.quoted(pins.package))"
        try value("package", pins.package, entry: entry, example: "vllm") {
            (1...64).contains($0.utf8.count) && PipRequirement.normalize($0) == $0
                && $0.utf8.allSatisfy {
                    ASCIIBytes.isDigit($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-")
                }
        }
        for (release, torch) in pins.versions.sorted(by: { $0.key < $1.key }) {
            try value("version", release, entry: entry, example: "0.6.3 or 0.0.28.post1") {
                Self.isPinnedRelease($0)
            }
            try version(
                "torch",
                torch,
                parts: 3...3,
                entry: "\(entry), \(release)",
                example: "2.4.0"
            )
        }
        try sources(pins.sources, entry: entry)
    }

    func patch(_ patch: TorchPatch, line: String) throws(CatalogError) {
        let entry = "release \(line), patch \(CatalogText.quoted(patch.torch))"
        try version("torch", patch.torch, parts: 3...3, entry: entry, example: "\(line).0")
        guard patch.torch.hasPrefix(line + ".") else {
            throw fail(entry, .patchOutsideLine(patch: patch.torch, line: line))
        }
        if let torchvision = patch.torchvision {
            try version("torchvision", torchvision, parts: 3...3, entry: entry, example: "0.22.1")
        }
        if let torchaudio = patch.torchaudio {
            try version("torchaudio", torchaudio, parts: 3...3, entry: entry, example: "2.7.1")
        }
        for python in patch.excludedPython ?? [] {
            try value("excluded_python", python, entry: entry, example: "3.14.1") {
                CatalogShape.numbers($0, parts: 3...3)?.first == 3
            }
        }
        try sources(patch.sources, entry: entry)
    }

    func variant(_ variant: TorchVariant, line: String, patches: Set<String>) throws(CatalogError) {
        let entry = "release \(line), variant \(CatalogText.quoted(variant.name))"
        guard CatalogShape.isVariantName(variant.name) else {
            throw fail(entry, .badVariantName(variant.name))
        }
        let expected = CatalogShape.cudaVersion(ofVariant: variant.name)
        switch (expected, variant.cuda) {
        case (.some, nil):
            throw fail(entry, .missingCUDA(variant: variant.name))
        case (let expected?, let cuda?) where cuda != expected:
            throw fail(entry, .cudaMismatch(variant: variant.name, cuda: cuda))
        case (nil, let cuda?):
            throw fail(entry, .cudaMismatch(variant: variant.name, cuda: cuda))
        default:
            break
        }
        for machine in variant.builds.keys.sorted() {
            guard CatalogShape.machines.contains(machine) else {
                throw fail(entry, .unknownMachine(machine))
            }
            let targets = variant.builds[machine] ?? KernelTargets(sass: [], ptx: [])
            for capability in targets.sass + targets.ptx
            where !CatalogShape.isComputeCapability(capability) {
                throw fail("\(entry), \(machine)", .badComputeCapability(capability))
            }
        }
        if let only = variant.patches {
            guard !only.isEmpty else { throw fail(entry, .emptyPatchList) }
            for patch in only where !patches.contains(patch) {
                throw fail(entry, .unknownPatch(patch))
            }
        }
        try sources(variant.sources, entry: entry)
    }

    func pythonRange(_ python: PythonRange, entry: String) throws(CatalogError) {
        let min = CatalogShape.numbers(python.min, parts: 2...2)
        let max = CatalogShape.numbers(python.max, parts: 2...2)
        guard let min else {
            throw fail(entry, .badValue(field: "python min", value: python.min, example: "3.10"))
        }
        guard let max else {
            throw fail(entry, .badValue(field: "python max", value: python.max, example: "3.14"))
        }
        guard min.lexicographicallyPrecedes(max) || min == max else {
            throw fail(entry, .pythonRangeInverted(min: python.min, max: python.max))
        }
    }

    func torchNPU(_ release: TorchNPURelease) throws(CatalogError) {
        let entry = "torch_npu \(CatalogText.quoted(release.torchNPU))"
        try version("torch", release.torch, parts: 3...3, entry: entry, example: "2.9.0")
        guard CatalogShape.isTorchNPU(release.torchNPU, extending: release.torch) else {
            throw fail(entry, .torchNPUMismatch(torchNPU: release.torchNPU, torch: release.torch))
        }
        try value("cann", release.cann, entry: entry, example: "8.0.RC2 or 9.1.0") {
            CatalogShape.isCANN($0)
        }
        if let ascendExtension = release.ascendExtension {
            try value("ascend_extension", ascendExtension, entry: entry, example: "26.1.0") {
                CatalogShape.isAscendExtension($0)
            }
        }
        if let python = release.python { try pythonRange(python, entry: entry) }
        for (machine, wheel) in (release.wheels ?? [:]).sorted(by: { $0.key < $1.key }) {
            let name = "\(entry), wheels"
            guard CatalogShape.machines.contains(machine) else {
                throw fail(name, .unknownMachine(machine))
            }
            if let torch = wheel.torch {
                try value(
                    "torch",
                    torch,
                    entry: "\(name), \(machine)",
                    example: "==\(release.torch) or ==\(release.torch)+cpu"
                ) {
                    CatalogShape.isExactTorchPin($0, torch: release.torch)
                }
            }
            let extras = (wheel.extras ?? [:]).sorted { $0.key < $1.key }
            for (extra, requirements) in extras {
                try value("extras", extra, entry: "\(name), \(machine)", example: "pyyaml") {
                    CatalogShape.isPackageName($0)
                }
                for requirement in requirements {
                    try value(
                        "extras",
                        requirement,
                        entry: "\(name), \(machine)",
                        example: "optree>=0.13.0"
                    ) { CatalogShape.isRequirement($0) }
                }
            }
            for requirement in wheel.requires ?? [] {
                try value(
                    "requires",
                    requirement,
                    entry: "\(name), \(machine)",
                    example: "numpy or pyyaml>=5.1"
                ) { CatalogShape.isRequirement($0) }
            }
        }
        try sources(release.sources, entry: entry)
    }

    func ascendDriver(_ generation: AscendDriverGeneration) throws(CatalogError) {
        let entry = "ascend driver \(CatalogText.quoted(generation.driverPrefix))"
        try value(
            "driver_prefix",
            generation.driverPrefix,
            entry: entry,
            example: "24.1.rc2 or 25.5"
        ) {
            AscendDriverRelease.isPrefix($0)
        }
        if let chips = generation.chips {
            guard !chips.isEmpty else {
                throw fail(
                    entry,
                    .badValue(field: "chips", value: "[]", example: "[\"910B\", \"310P\"]")
                )
            }
            for chip in chips {
                try value("chips", chip, entry: entry, example: "910B, 310P, A3 or 310B") {
                    AscendFamily.all.contains($0)
                }
            }
        }
        guard !generation.cann.isEmpty else {
            throw fail(entry, .badValue(field: "cann", value: "[]", example: "[\"8.1.RC1\"]"))
        }
        for cann in generation.cann {
            try value("cann", cann, entry: entry, example: "8.0.RC2 or 9.1.0") {
                CatalogShape.isCANN($0)
            }
        }
        try sources(generation.sources, entry: entry)
    }
}
