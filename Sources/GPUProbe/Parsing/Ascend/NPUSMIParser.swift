/// Reads the text `npu-smi` prints: `npu-smi info`, `npu-smi info -m`, or a failure.
///
/// Pure and total: any text, including binary junk, an empty string or a paste cut mid-line,
/// gives a result; what could not be read becomes a diagnostic rather than a trap.
public enum NPUSMIParser {
    /// Recognises the output form of `text` and reads what it holds.
    ///
    /// An `npu-smi info` table fills ``AscendSection/npuSMIVersion`` and one
    /// ``AscendNPU`` per chip; an `info -m` mapping fills ids, logic ids and names. A table
    /// that ends early keeps the chips read in full and adds an `incomplete_output` warning.
    /// Failure lines (`dcmi module initialize failed. ret is -8005`) become errors with what
    /// to do; text in no known form gives `.unknown` and `unrecognized_output`.
    ///
    /// - Parameter text: What npu-smi printed, stdout and stderr together, as pasted.
    /// - Returns: The form recognised, the section, and the diagnostics.
    public static func parse(_ text: String) -> NPUSMIParseResult {
        let lines = NPUSMIText.lines(text)
        let failures = NPUSMIFailures.scan(lines)

        let info = NPUSMIInfoTable.parse(lines)
        if info.recognised {
            var diagnostics = failures
            if let line = info.incompleteLine { diagnostics.append(incomplete(line: line)) }
            return NPUSMIParseResult(
                format: .info,
                section: AscendSection(npuSMIVersion: info.version, npus: info.npus),
                diagnostics: diagnostics,
                bannerDriverVersion: info.driverVersion
            )
        }

        let mapping = NPUSMIMappingTable.parse(lines)
        if mapping.recognised {
            var diagnostics = failures
            if let line = mapping.incompleteLine { diagnostics.append(incomplete(line: line)) }
            return NPUSMIParseResult(
                format: .mapping,
                section: AscendSection(npus: mapping.npus),
                diagnostics: diagnostics
            )
        }

        if !failures.isEmpty {
            return NPUSMIParseResult(
                format: .failure,
                section: AscendSection(),
                diagnostics: failures
            )
        }
        return NPUSMIParseResult(
            format: .unknown,
            section: AscendSection(),
            diagnostics: [
                unrecognized(empty: lines.allSatisfy { NPUSMIText.trimmed($0.bytes).isEmpty })
            ]
        )
    }

    /// Adds the `info -m` logic ids to the chips of an `npu-smi info` section.
    ///
    /// Chips are matched by NPU id and chip id; a chip the mapping does not list keeps a nil
    /// logic id, and mapping entries without a chip in `info` are dropped, because `info` is
    /// the authority on which chips exist. A missing phy id is taken from the mapping too.
    ///
    /// - Parameters:
    ///   - info: The section parsed from `npu-smi info`.
    ///   - mapping: The section parsed from `npu-smi info -m`.
    /// - Returns: `info` with ``AscendNPU/chipLogicID`` filled where the mapping has it.
    public static func merge(info: AscendSection, mapping: AscendSection) -> AscendSection {
        var byChip: [ChipKey: AscendNPU] = [:]
        for npu in mapping.npus where byChip[ChipKey(npu)] == nil {
            byChip[ChipKey(npu)] = npu
        }
        var merged = info
        for index in merged.npus.indices {
            guard let entry = byChip[ChipKey(merged.npus[index])] else { continue }
            if merged.npus[index].chipLogicID == nil {
                merged.npus[index].chipLogicID = entry.chipLogicID
            }
            if merged.npus[index].phyID == nil { merged.npus[index].phyID = entry.phyID }
        }
        return merged
    }

    /// NPU id and chip id: what identifies a chip in both `info` and `info -m`.
    struct ChipKey: Hashable {
        var npuID: Int
        var chipID: Int

        init(_ npu: AscendNPU) {
            npuID = npu.npuID
            chipID = npu.chipID
        }
    }

    static func incomplete(line: Int) -> Diagnostic {
        let place = line > 0 ? "at line \(line)" : "at the end"
        return Diagnostic(
            .incompleteOutput,
            source: .ascend,
            severity: .warning,
            message: "npu-smi output is cut or has a row gpuprobe could not read (\(place)); "
                + "the chips listed are those read in full, so capture `npu-smi info` again "
                + "without trimming to see the rest.",
            context: line > 0 ? ["line": String(line)] : [:]
        )
    }

    static func unrecognized(empty: Bool) -> Diagnostic {
        Diagnostic(
            .unrecognizedOutput,
            source: .ascend,
            severity: .warning,
            message: empty
                ? "npu-smi printed nothing; run `npu-smi info` by hand to see why."
                : "The text is neither `npu-smi info` nor `npu-smi info -m` output; run "
                    + "`npu-smi info` and pass its output unchanged."
        )
    }
}
