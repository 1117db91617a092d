/// Why a PyTorch catalog could not be used.
///
/// Every case names the file; ``invalid(file:entry:problem:)`` also names the entry and says
/// what to write instead. The catalog's text reaches pip commands and Dockerfiles, so a file
/// that breaks any rule is refused whole rather than used in part.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (missing, a folder, no permission).
    case unreadable(file: String, reason: String)
    /// The file is larger than ``TorchCatalog/sizeLimit`` bytes.
    case tooLarge(file: String, limit: Int)
    /// The file is not JSON text: `reason` says where and why.
    case notValidJSON(file: String, reason: String)
    /// The file is JSON, but not an object.
    case notJSON(file: String)
    /// The `schema` field is missing or names another schema.
    case unsupportedSchema(file: String, schema: String?)
    /// The JSON does not have the catalog's shape: `path` is where (`releases[3].variants[1]`),
    /// `reason` what is wrong there.
    case malformed(file: String, path: String, reason: String)
    /// The shape is right but an entry breaks a rule.
    case invalid(file: String, entry: String, problem: CatalogProblem)

    /// One line: the file, what is wrong and what to do.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read the torch catalog '\(file)': \(reason); pass a readable "
                + "JSON file, for example a copy of catalog/pytorch.json"
        case .tooLarge(let file, let limit):
            return "the torch catalog '\(file)' is larger than \(limit >> 20) MiB; "
                + "pass a catalog file, for example a copy of catalog/pytorch.json"
        case .notValidJSON(let file, let reason):
            return "the torch catalog '\(file)' is not valid JSON (\(reason)); "
                + "fix it, or start from catalog/pytorch.json"
        case .notJSON(let file):
            return "the torch catalog '\(file)' is not a JSON object; "
                + "pass a file like catalog/pytorch.json"
        case .unsupportedSchema(let file, let schema?):
            return "the torch catalog '\(file)' has schema \(CatalogText.quoted(schema)), "
                + "this gpuprobe reads '\(TorchCatalog.currentSchema)'; "
                + "start from this version's catalog/pytorch.json"
        case .unsupportedSchema(let file, nil):
            return "the torch catalog '\(file)' has no 'schema' field; "
                + "add \"schema\": \"\(TorchCatalog.currentSchema)\""
        case .malformed(let file, let path, let reason):
            return "the torch catalog '\(file)' does not follow \(TorchCatalog.currentSchema) "
                + "at \(path): \(reason); compare with Schemas/torch-catalog-v1.schema.json"
        case .invalid(let file, let entry, let problem):
            return "the torch catalog '\(file)', \(entry): \(problem)"
        }
    }
}

/// A rule that a catalog entry breaks, with what to write instead.
///
/// Values from the file are quoted with control characters escaped, so that a message stays
/// on one line whatever the file holds.
public enum CatalogProblem: Equatable, Sendable, CustomStringConvertible {
    /// A version, date or other dotted value is not shaped as its field requires.
    case badValue(field: String, value: String, example: String)
    /// A wheel variant name is not `cuXY`/`cuXYZ`, `cpu` or `rocmX.Y`.
    case badVariantName(String)
    /// A `cu` variant has no `cuda` version.
    case missingCUDA(variant: String)
    /// A `cu` variant's `cuda` disagrees with its name, or a cpu/ROCm variant has one.
    case cudaMismatch(variant: String, cuda: String)
    /// A compute capability is not `major.minor`.
    case badComputeCapability(String)
    /// A `builds` key that is not a machine wheels are made for.
    case unknownMachine(String)
    /// A patch release whose version does not belong to its line (`2.8.0` in line 2.7).
    case patchOutsideLine(patch: String, line: String)
    /// A variant's `patches` restriction names a patch the line does not have.
    case unknownPatch(String)
    /// A reference to a variant the release line does not list.
    case unknownVariant(String)
    /// A variant's `patches` restriction is an empty list.
    case emptyPatchList
    /// A release line without patches.
    case noPatches
    /// A Python range whose minimum is above its maximum.
    case pythonRangeInverted(min: String, max: String)
    /// A torch_npu version that does not extend the torch version it pairs with.
    case torchNPUMismatch(torchNPU: String, torch: String)
    /// An entry names a source key that `sources` does not define.
    case unknownSource(String)
    /// The same key appears twice in a list that must not repeat it.
    case duplicate(String)

    /// What is wrong and what to write instead.
    public var description: String {
        let q = CatalogText.quoted
        switch self {
        case .badValue(let field, let value, let example):
            return "\(field) \(q(value)) is not valid; write it like \(example)"
        case .badVariantName(let name):
            return "variant name \(q(name)) is not valid; write cuXYZ (cu128), cpu or "
                + "rocmX.Y (rocm6.4)"
        case .missingCUDA(let variant):
            return "variant \(variant) has no cuda version; add \"cuda\": "
                + "\"\(CatalogShape.cudaVersion(ofVariant: variant) ?? "X.Y")\""
        case .cudaMismatch(let variant, let cuda):
            if let expected = CatalogShape.cudaVersion(ofVariant: variant) {
                return "variant \(variant) has cuda \(q(cuda)), its name says \(expected); "
                    + "fix one of them"
            }
            return "variant \(variant) has cuda \(q(cuda)); write null for cpu and ROCm variants"
        case .badComputeCapability(let value):
            return "compute capability \(q(value)) is not major.minor; write it like 8.6"
        case .unknownMachine(let name):
            return "builds key \(q(name)) is not a known machine; use x86_64 or aarch64"
        case .patchOutsideLine(let patch, let line):
            return "patch \(q(patch)) does not belong to line \(line); write \(line).N "
                + "or move it to its own line"
        case .unknownPatch(let patch):
            return "patches names \(q(patch)), which the line does not list; "
                + "add the patch or remove the name"
        case .unknownVariant(let name):
            return "names the variant \(q(name)), which the release does not list; "
                + "name one of its variants"
        case .emptyPatchList:
            return "patches is empty; list the patches that have the variant, "
                + "or remove the key to mean all of them"
        case .noPatches:
            return "the line has no patches; add at least one"
        case .pythonRangeInverted(let min, let max):
            return "python min \(q(min)) is above max \(q(max)); swap them"
        case .torchNPUMismatch(let torchNPU, let torch):
            return "torch_npu \(q(torchNPU)) does not extend torch \(q(torch)); "
                + "torch_npu versions are the torch version plus an optional .postN or rcN"
        case .unknownSource(let key):
            return "source \(q(key)) is not defined; add it to \"sources\" or fix the key"
        case .duplicate(let key):
            return "\(q(key)) appears more than once; keep one"
        }
    }
}
