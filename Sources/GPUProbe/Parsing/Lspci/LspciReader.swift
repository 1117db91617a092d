/// Reads pasted lspci output: hex dumps through libpci's dump method, text forms through
/// ``LspciTextParser`` with vendor names from pci.ids.
public enum LspciReader {
    /// Parses `text` into the `lspci` section.
    ///
    /// - Parameter text: any supported lspci output.
    /// - Returns: the section with its diagnostics.
    public static func read(_ text: String) -> ParseOutput<LspciSection> {
        if isHexDump(text) {
            return readDump(text)
        }
        // The first pass finds the vendor IDs; the second splits "Vendor Device" text at the
        // vendor names pci.ids gives for them.
        let ids = Set(LspciTextParser.parse(text).devices.compactMap(\.vendorID))
        let vendors = LibPCI.vendorNames(ids)
        let result = LspciTextParser.parse(text, vendorName: { vendors[$0] })
        return ParseOutput(
            format: LspciSection.Format(result.format),
            section: LspciSection(
                pciDevices: result.devices,
                accelerators: AcceleratorClassifier.classify(result.devices)
            ),
            diagnostics: result.diagnostics
        )
    }

    /// True when some line is a config-space row (`00: 86 80 ...`, `100: ...`).
    static func isHexDump(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { line in
            let parts = line.split(separator: " ")
            guard parts.count == 17, let offset = parts.first, offset.hasSuffix(":"),
                (3...4).contains(offset.count), offset.dropLast().allSatisfy(\.isHexDigit)
            else { return false }
            return parts.dropFirst().allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
        }
    }

    private static func readDump(_ text: String) -> ParseOutput<LspciSection> {
        let fd: FileDescriptor
        let path: String
        do {
            (fd, path) = try FileSystem.createTemporaryFile("/tmp/gpuprobe-lspci-XXXXXX")
        } catch {
            return failure(
                "could not create a temporary file for libpci's dump reader: error \(error.code)"
            )
        }
        let token = Interruption.removeOnInterrupt(path)
        defer {
            try? FileSystem.removeFile(path)
            Interruption.forget(token)
        }
        let written: Bool
        do {
            try fd.writeAll(Array(text.utf8))
            written = true
        } catch {
            written = false
        }
        fd.close()
        guard written else {
            return failure("could not write the temporary dump file \(path)")
        }
        do {
            let scan = try LibPCI.scan(.dump(file: path))
            return ParseOutput(
                format: .dump,
                section: LspciSection(
                    pciDevices: scan.devices,
                    accelerators: AcceleratorClassifier.classify(scan.devices)
                ),
                diagnostics: []
            )
        } catch {
            return failure(
                "libpci could not read the hex dump (\(error.description)); "
                    + "paste the whole `lspci -x` output, each device's header line included"
            )
        }
    }

    private static func failure(_ message: String) -> ParseOutput<LspciSection> {
        ParseOutput(
            format: .dump,
            section: LspciSection(pciDevices: [], accelerators: []),
            diagnostics: [
                Diagnostic(.unrecognizedOutput, source: .pci, severity: .error, message: message)
            ]
        )
    }
}
