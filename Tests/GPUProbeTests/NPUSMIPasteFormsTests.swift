import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// npu-smi output as people paste it (issue 15, item 5): every real capture, with its spacing
/// collapsed or retyped and its borders changed the way a paste does (``PasteForm``), gives the
/// same section as the capture itself.
@Suite struct NPUSMIPasteFormsTests {
    static let files = Fixtures.captured(in: "npu-smi")

    @Test(arguments: files, PasteForm.textForms + PasteForm.borderForms)
    func aPasteReadsAsTheCapture(file: String, form: PasteForm) throws {
        let text = try Fixtures.text(file)
        let clean = NPUSMIParser.parse(text)
        #expect(clean.format == .failure || !clean.section.npus.isEmpty)
        let pasted = NPUSMIParser.parse(form.apply(text))
        #expect(pasted.format == clean.format)
        #expect(pasted.section == clean.section)
        #expect(pasted.bannerDriverVersion == clean.bannerDriverVersion)
        // Changing the borders of a capture its author cut mid-border can complete that
        // border: only the uncut ones must keep their diagnostics then.
        let truncated = try Fixtures.meta(file)["truncated"] as? Bool ?? false
        if !(truncated && PasteForm.borderForms.contains(form)) {
            #expect(pasted.diagnostics.map(\.code) == clean.diagnostics.map(\.code))
        }
    }

    /// An `info` table mailed as plain text, its rows (97-121 wide) wrapped at 76 columns.
    /// (`info -m` has no bars, so a wrapped row of it cannot be told from two rows.)
    @Test(arguments: files.filter { !$0.hasPrefix("npu-smi/info_m_") && $0.contains("/info_") })
    func aMailWrappedTableReadsAsTheCapture(file: String) throws {
        let text = try Fixtures.text(file)
        let clean = NPUSMIParser.parse(text)
        let pasted = NPUSMIParser.parse(PasteForm.mailWrapped.apply(text))
        #expect(pasted.section == clean.section)
        #expect(pasted.diagnostics.map(\.code) == clean.diagnostics.map(\.code))
    }

    /// `info -m` columns are padded with spaces only; collapsed, the header is read by its
    /// known names and the chip name (which has a space inside) takes the words left over.
    @Test func collapsedMappingReadsItsNamesWhole() throws {
        let text = try Fixtures.text("npu-smi/info_m_910A_x8_gpustack.txt")
        let result = NPUSMIParser.parse(PasteForm.webPage.apply(text))
        #expect(result.format == .mapping)
        #expect(result.section.npus.count == 8)
        #expect(result.section.npus.allSatisfy { $0.name == "Ascend 910A" })
        #expect(result.section.npus.map(\.chipLogicID) == Array(0..<8).map { Optional($0) })
    }

    /// Headers of newer and older versions, collapsed (written here: they show the rule).
    @Test(arguments: [
        ("NPU ID Chip ID Chip Logic ID Chip Name", 4),
        ("NPU ID Chip ID Chip Logic ID Chip Phy-ID Chip Name", 5),
        ("NPU ID\tChip ID\tChip Logic ID\tChip Name", 4),
        ("NPU ID Chip ID Chip Logic ID Slot Chip Name", 5),
    ])
    func collapsedMappingHeaders(header: String, columns: Int) throws {
        let parsed = try #require(NPUSMIMappingTable.header(Array(header.utf8)[...]))
        #expect(parsed.count == columns)
        #expect(parsed.first == .npuID)
        #expect(parsed.last == .name)
    }

    /// A chip name in the middle still takes every word the other columns leave.
    @Test func aNameBeforeAnotherColumnTakesItsWords() throws {
        let text = "NPU ID Chip ID Chip Name Chip Logic ID\n3 0 Ascend 910B4 3\n"
        let npu = try #require(NPUSMIParser.parse(text).section.npus.first)
        #expect(npu.name == "Ascend 910B4")
        #expect(npu.chipLogicID == 3)
    }

    /// A table whose last border was cut right at a `+` is still told from one whose
    /// borders were all shortened alike.
    @Test func aCutBorderIsToldFromShortenedOnes() throws {
        let text = try Fixtures.text("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let last = try #require(lines.lastIndex { PasteForm.isBorder($0) })
        let table = lines.prefix(last + 1).joined(separator: "\n") + "\n"
        // Cut right after the border's second `+`, where a column ends.
        let border = lines[last]
        let second = try #require(border.indices.filter { border[$0] == "+" }.dropFirst().first)
        lines[last] = String(border[...second])
        let cut = NPUSMIParser.parse(lines.prefix(last + 1).joined(separator: "\n") + "\n")
        #expect(cut.diagnostics.map(\.code) == [.incompleteOutput])
        // The table alone, so that its last border is the text's last line, where cuts are.
        let whole = NPUSMIParser.parse(table)
        #expect(whole.diagnostics.isEmpty)
        let shortened = NPUSMIParser.parse(PasteForm.bordersShortened.apply(table))
        #expect(shortened.diagnostics.isEmpty)
        #expect(shortened.section == whole.section)
    }
}
