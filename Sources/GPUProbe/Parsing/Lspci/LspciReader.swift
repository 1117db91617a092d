#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
        var template = Array("/tmp/gpuprobe-lspci-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else {
            return failure(
                "could not create a temporary file for libpci's dump reader: error \(errno)"
            )
        }
        let path = String(
            decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
        let token = Interruption.removeOnInterrupt(path)
        defer {
            unlink(path)
            Interruption.forget(token)
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else {
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
