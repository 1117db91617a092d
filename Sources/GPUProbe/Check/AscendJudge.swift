/// Judges the Ascend driver files an image copies from its host (the table in
/// ``AscendFiles``): sources present in the build context, every required file copied on
/// an Ascend host, `LD_LIBRARY_PATH` naming the driver's library folders.
enum AscendJudge {
    /// One `COPY` that lands on a path of the table.
    struct Copied {
        var copy: CopyFact
        var source: Expanded
        var file: AscendFile
    }

    static func findings(_ input: CheckInput) -> [Finding] {
        var findings: [Finding] = []
        var copied: [Copied] = []
        for copy in input.facts.copies {
            for source in copy.sources {
                let paths = copy.imagePaths(of: source.text)
                // Matched by destination: the guide copies `driver` to .../lib64/driver.
                guard let file = AscendFiles.all.first(where: { paths.contains($0.imagePath) })
                else { continue }
                copied.append(Copied(copy: copy, source: source, file: file))
                findings += sourceFindings(copy, source, file, input)
            }
        }
        let chain = input.finalChain
        let inImage = copied.filter { chain.contains($0.copy.stage) }
        let host = input.host
        let hostHasAscend = input.report.ascend != nil || host.ascendNPUCount > 0
        guard let final = input.facts.finalStage else { return findings }
        // An image that is not for NPUs (a CUDA or CPU image checked against an Ascend host)
        // needs none of the driver files: the other judges say whether it runs there.
        let forAscend = !inImage.isEmpty || mentionsAscend(input)

        if hostHasAscend && forAscend {
            let missing = AscendFiles.all.filter { file in
                !file.optional && !inImage.contains { $0.file.imagePath == file.imagePath }
            }
            let line = inImage.last?.copy.line ?? final.line
            let fix =
                "stage the host's files with `gpuprobe stage-ascend --context DIR` and COPY them "
                + "as `gpuprobe dockerfile` writes them"
            if inImage.isEmpty {
                findings.append(
                    Finding(
                        line: line,
                        severity: .warning,
                        kind: .ascendCopyMissing,
                        message: "the host has Ascend NPUs (driver "
                            + "\(host.ascendDriverVersion ?? "version unknown")) but the image "
                            + "copies none of the driver files "
                            + missing.map(\.imagePath).joined(separator: ", ")
                            + ": npu-smi and the NPU libraries work only if the container is "
                            + "started with them mounted",
                        fix: fix
                    )
                )
            } else {
                for file in missing {
                    findings.append(
                        Finding(
                            line: line,
                            severity: .warning,
                            kind: .ascendCopyMissing,
                            message: "the image copies Ascend driver files but not "
                                + "\(file.imagePath) (from the host's "
                                + "\(file.hostPaths.joined(separator: " or ")))",
                            fix: "COPY \(file.contextPath) \(file.imagePath)"
                        )
                    )
                }
            }
            if let vnpu = inImage.first(where: { $0.file.optional }),
                input.report.ascend?.vnpuConfigPresent == false
            {
                findings.append(
                    Finding(
                        line: vnpu.copy.line,
                        severity: .warning,
                        kind: .ascendVNPUAbsent,
                        message: "the image copies \(vnpu.file.imagePath), but the host has none "
                            + "(no vNPUs configured): the file comes from another host",
                        fix: "drop this COPY line"
                    )
                )
            }
        } else if let first = copied.first {
            findings.append(
                Finding(
                    line: first.copy.line,
                    severity: .warning,
                    kind: .ascendNoHost,
                    message: "the image copies Ascend driver files (\(first.file.imagePath)), "
                        + "but the host shows no Ascend NPU or driver to use them with",
                    fix: "check against the Ascend host that will run the image"
                )
            )
        }

        if (hostHasAscend && forAscend) || !inImage.isEmpty,
            let finding = libraryPathFinding(final, input)
        {
            findings.append(finding)
        }
        return findings
    }

    /// Whether the image is meant for Ascend NPUs: it starts from an Ascend image, or its
    /// environment or commands name the Ascend software (`/usr/local/Ascend`, `ASCEND_*`,
    /// torch_npu, CANN or driver packages, npu-smi).
    static func mentionsAscend(_ input: CheckInput) -> Bool {
        guard let final = input.facts.finalStage else { return false }
        if let base = input.facts.externalBase(of: final.index), base.image.isAscendImage {
            return true
        }
        if final.environment.contains(where: {
            $0.key.hasPrefix("ASCEND_") || $0.value.containsText("/usr/local/Ascend")
        }) {
            return true
        }
        let chain = input.finalChain
        let markers = ["/usr/local/Ascend", "torch_npu", "torch-npu", "Ascend-cann", "Ascend-hdk"]
        return input.facts.commands.contains { command in
            chain.contains(command.stage)
                && command.words.contains { word in
                    markers.contains { word.text.containsText($0) }
                        || CommandWords.basename(word.text) == "npu-smi"
                }
        }
    }

    /// `LD_LIBRARY_PATH` in the image against the driver's two library folders.
    ///
    /// Huawei writes the folders with a trailing slash (`.../lib64/common/`), which the loader
    /// reads the same. What the base image sets is not visible here: an Ascend CANN image sets
    /// the folders, a plain OS image sets nothing, and of any other image `check` cannot say.
    static func libraryPathFinding(_ final: StageFacts, _ input: CheckInput) -> Finding? {
        let raw = final.environment["LD_LIBRARY_PATH"]
        let base = input.facts.externalBase(of: final.index)?.image
        let line = final.environmentLines["LD_LIBRARY_PATH"] ?? final.line
        let fix =
            "ENV LD_LIBRARY_PATH=" + AscendFiles.libraryPath.joined(separator: ":")
            + ":$LD_LIBRARY_PATH"
        let folders = Set(
            (raw ?? "").split(separator: ":").map { part in
                var folder = String(part.drop { $0 == " " })
                while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
                return folder
            }
        )
        let absent = AscendFiles.libraryPath.filter { !folders.contains($0) }
        guard !absent.isEmpty else { return nil }
        let baseSets = base?.setsAscendLibraryPath ?? false
        // `ENV LD_LIBRARY_PATH=/x:$LD_LIBRARY_PATH` keeps what the base set; the unknown part
        // expands to nothing here and leaves an empty entry.
        let keepsBase =
            raw.map { $0.hasPrefix(":") || $0.hasSuffix(":") || $0.containsText("::") } ?? true
        if baseSets && keepsBase { return nil }
        let known = (base?.isPlainOSImage ?? false) || (raw != nil && !keepsBase)
        // A profile script that exports the folders serves login shells only.
        let chain = input.finalChain
        let exported = input.facts.commands.contains { command in
            chain.contains(command.stage)
                && command.words.contains { word in
                    AscendFiles.libraryPath.contains { word.text.containsText($0) }
                        || word.text.hasSuffix("set_env.sh")
                }
        }
        let value = raw ?? ""
        let what =
            value.isEmpty
            ? "LD_LIBRARY_PATH is not set in this Dockerfile"
            : "LD_LIBRARY_PATH ('\(value.prefix(120))') lacks " + absent.joined(separator: " and ")
        if known && !exported {
            return Finding(
                line: line,
                severity: .warning,
                kind: .ascendLibraryPath,
                message: what
                    + (value.isEmpty ? "; it must name " + absent.joined(separator: " and ") : "")
                    + ": npu-smi and torch_npu cannot load the driver libraries",
                fix: fix
            )
        }
        let why =
            exported
            ? "a RUN line exports them for login shells only (a script's `source ... set_env.sh` "
                + "or a profile line), which `docker run` commands do not read"
            : "the base image \(base?.text ?? "") may set it, which is not visible here"
        return Finding(
            line: line,
            severity: .note,
            kind: .ascendLibraryPath,
            message: what + " (" + absent.joined(separator: ", ") + "); " + why,
            fix: fix
        )
    }

    static func sourceFindings(
        _ copy: CopyFact,
        _ source: Expanded,
        _ file: AscendFile,
        _ input: CheckInput
    ) -> [Finding] {
        guard copy.fromContext else { return [] }
        if let note = Finding.unresolved(
            line: copy.line,
            names: source.unresolved + copy.destinationUnresolved,
            what: "the Ascend COPY"
        ) {
            return [note]
        }
        let fix =
            "run `gpuprobe stage-ascend --context DIR` on the host, which copies "
            + "\(file.hostPaths.joined(separator: " or ")) to \(file.contextPath), and "
            + "COPY \(file.contextPath) \(file.imagePath)"
        let matches = input.context.matches(source.text)
        guard let match = matches.first else {
            return [
                Finding(
                    line: copy.line,
                    severity: .error,
                    kind: .ascendSourceMissing,
                    message: "\(copy.keyword) source \(source.text) (for \(file.imagePath)) is "
                        + "not in \(input.context.label)\(input.context.absenceNote(source.text)): "
                        + "the build stops at this line",
                    fix: input.context.ignoredBy(source.text).map {
                        "add `!\(source.text)` to .dockerignore after '\($0)'"
                    } ?? fix
                )
            ]
        }
        let found = input.context.entry(match)
        let wanted: ContextEntry.Kind = file.kind == .directory ? .directory : .file
        guard let found, found.kind != wanted, matches.count == 1 else { return [] }
        return [
            Finding(
                line: copy.line,
                severity: .error,
                kind: .ascendSourceKind,
                message: "\(source.text) in \(input.context.label) is a "
                    + "\(found.kind == .directory ? "folder" : "file"), but \(file.imagePath) "
                    + "must be a \(wanted == .directory ? "folder" : "file")",
                fix: fix
            )
        ]
    }
}

extension ContextEntry {
    /// File or folder, without the size.
    enum Kind {
        case file, directory
    }

    var kind: Kind {
        switch self {
        case .file: .file
        case .directory: .directory
        }
    }
}
