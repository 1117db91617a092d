import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// lspci text as people paste it: ids only as names, prefixes (IOMMU loop, grep -n, list
/// markers, mail quotes), tree drawings, lines wrapped by a mail or chat client.
///
/// The captures in `Fixtures/lspci/paste-forms/` are real lspci runs; each `.meta.json` holds
/// the devices as `lspci -Dnn` of the same source printed them, every id included.
@Suite struct LspciPasteFormsTests {
    static let captures = Fixtures.captured(in: "lspci/paste-forms")

    /// The devices `lspci -Dnn` printed for the capture's source, by address.
    static func truth(_ file: String) throws -> [PCIAddress: [String: Any]] {
        let devices = try #require(try Fixtures.expected(file)["devices"] as? [[String: Any]])
        var byAddress: [PCIAddress: [String: Any]] = [:]
        for device in devices {
            byAddress[try #require(PCIAddress(device["address"] as? String ?? ""))] = device
        }
        return byAddress
    }

    @Test func thereAreCaptures() {
        #expect(Self.captures.count == 11)
    }

    /// Whatever a form lets the parser read is right: every id, class and revision it gives
    /// equals what `lspci -Dnn` printed for that address; nothing is guessed.
    @Test(arguments: captures)
    func everyValueReadIsTrue(file: String) throws {
        let result = LspciTextParser.parse(try Fixtures.text(file))
        let truth = try Self.truth(file)
        #expect(result.diagnostics.allSatisfy { $0.severity == .info }, "\(result.diagnostics)")
        #expect(!result.devices.isEmpty)
        for device in result.devices {
            let comment = Comment(rawValue: "\(file) \(device.address)")
            let want = try #require(truth[device.address], comment)
            if let id = device.vendorID { #expect(id == want["vendor_id"] as? String, comment) }
            if let id = device.deviceID { #expect(id == want["device_id"] as? String, comment) }
            if let code = device.classCode { #expect(code == want["class"] as? String, comment) }
            if let revision = device.revision {
                #expect(revision == want["revision"] as? String, comment)
            }
        }
        // All of the source's devices, except where grep chose some.
        if !file.hasSuffix("grep_n_context.txt") {
            #expect(Set(result.devices.map(\.address)) == Set(truth.keys), "\(file)")
        }
    }

    /// Plain lspci with a pci.ids that lacks the GPU's name: `NVIDIA Corporation Device 2330`
    /// on a `3D controller` line gives 10de:2330 class 0302, so the H100 and its compute
    /// capability are known, and the diagnostics say what was read from names.
    @Test(arguments: [
        "lspci/paste-forms/h100vm_plain_pciids_without_nvidia_devices.txt",
        "lspci/paste-forms/h100vm_Dk_pciids_without_nvidia_devices.txt",
    ])
    func anNVIDIAGPUNamedOnlyByItsIDIsClassified(file: String) throws {
        let output = LspciReader.read(try Fixtures.text(file))
        let gpu = try #require(output.section.accelerators.first)
        #expect(output.section.accelerators.count == 1)
        #expect(gpu.kind == .nvidiaGPU && gpu.address.description == "0000:00:06.0")
        #expect(gpu.vendorID == "10de" && gpu.deviceID == "2330")
        #expect(gpu.chip == "GH100" && gpu.computeCapability == "9.0")
        let device = try #require(output.section.pciDevices.first { $0.address == gpu.address })
        #expect(device.classCode == "0302" && device.vendorName == "NVIDIA Corporation")
        #expect(device.deviceName == nil)
        let messages = output.diagnostics.filter { $0.code == .assumed }.map(\.message)
        #expect(messages.contains { $0.contains("'NVIDIA Corporation'") && $0.contains("10de") })
        #expect(messages.contains { $0.contains("'3D controller' = 0302") })
        #expect(output.diagnostics.allSatisfy { $0.severity == .info })
    }

    /// The real GB200 `lspci -D` sample: four `3D controller: NVIDIA Corporation Device 2941`
    /// lines are four GB200 GPUs; the `Device 22b2` root ports are PCI bridges, not GPUs.
    @Test func gb200PlainSampleGivesItsGPUs() throws {
        let output = LspciReader.read(try Fixtures.text("lspci/gpud_lspci_D_gb200.txt"))
        let gpus = output.section.accelerators
        #expect(gpus.count == 4)
        #expect(gpus.allSatisfy { $0.deviceID == "2941" && $0.computeCapability == "10.0" })
        #expect(
            gpus.map(\.address.description)
                == ["0008:01:00.0", "0009:01:00.0", "0018:01:00.0", "0019:01:00.0"]
        )
        let bridge = try #require(output.section.pciDevices.first)
        #expect(bridge.vendorID == "10de" && bridge.deviceID == "22b2")
        #expect(bridge.classCode == "0604")
        // Mellanox is not a vendor the classifier acts on: its id stays unread.
        let nic = try #require(
            output.section.pciDevices.first { $0.className == "Infiniband controller" }
        )
        #expect(nic.vendorID == nil && nic.deviceID == nil && nic.classCode == "0207")
    }

    @Test func huaweiNPUNamedOnlyByItsID() {
        // The form lspci prints for an Atlas card when pci.ids lacks d802 (pci.ids has the
        // vendor line `19e5  Huawei Technologies Co., Ltd.` and the class `12 00`).
        let output = LspciReader.read(
            "$ lspci | grep -i huawei\n"
                + "01:00.0 Processing accelerators: Huawei Technologies Co., Ltd. Device d802 (rev 20)\n"
        )
        let npu = output.section.accelerators.first
        #expect(npu?.kind == .ascendNPU && npu?.deviceID == "d802")
        #expect(output.section.pciDevices.first?.classCode == "1200")
    }

    /// A vendor or class name this tool has no table entry for stays nil.
    @Test func unmappedNamesStayNil() {
        let result = LspciTextParser.parse(
            "03:00.0 Frobnication controller: Acme Widgets Device 1234 (rev 01)\n"
                + "04:00.0 3D controller: NVIDIA Corporations GA102GL [A10] (rev a1)\n"
        )
        #expect(result.devices.count == 2)
        #expect(result.devices[0].vendorID == nil && result.devices[0].classCode == nil)
        #expect(result.devices[0].deviceID == "1234")
        #expect(result.devices[1].vendorID == nil && result.devices[1].classCode == "0302")
    }

    @Test func grepNumberedLinesReadAsTheCleanForm() throws {
        let numbered = LspciTextParser.parse(
            try Fixtures.text("lspci/paste-forms/h100vm_nn_grep_n.txt")
        )
        let clean = LspciTextParser.parse(
            try Fixtures.text("lspci/paste-forms/h100vm_nn_grep_n.txt")
                .split(separator: "\n")
                .map { $0.drop { $0 != ":" }.dropFirst() }
                .joined(separator: "\n")
        )
        #expect(numbered.devices == clean.devices)
        #expect(numbered.format == .nn)
        // `1:00:00.0` is line 1 and bus 00, not domain 1.
        #expect(numbered.devices.first?.address.description == "0000:00:00.0")
        #expect(numbered.diagnostics.map(\.context["prefix"]) == ["grep -n line number"])
    }

    @Test func grepContextLinesKeepTheirDetails() throws {
        let result = LspciTextParser.parse(
            try Fixtures.text("lspci/paste-forms/h100vm_vnn_grep_n_context.txt")
        )
        let gpu = try #require(result.devices.first)
        #expect(result.devices.count == 1)
        #expect(gpu.vendorID == "10de" && gpu.deviceID == "2330" && gpu.classCode == "0302")
        #expect(gpu.subsystemVendorID == "10de" && gpu.subsystemDeviceID == "16c1")
        #expect(result.format == .verbose)
    }

    /// A four-digit number before `bb:dd.f` is a domain unless grep numbered the paste.
    @Test func fourDigitNumbersAreDomainsUnlessTheWholePasteIsNumbered() {
        let domain = LspciTextParser.parse("1000:01:00.0 3D controller [0302]: X [10de:2330]\n")
        #expect(domain.devices.first?.address.description == "1000:01:00.0")
        let lines = (1...1000).map { "\($0):0\($0 % 10):00.0 Host bridge [0600]: X [8086:0d57]" }
        let numbered = LspciTextParser.parse(lines.joined(separator: "\n"))
        #expect(numbered.devices.count == 10)
        #expect(numbered.devices.allSatisfy { $0.address.domain == 0 })
    }

    /// The IOMMU group loop (`printf 'IOMMU Group %s ' $n; lspci -nns $d`), list markers and
    /// mail quotes in front of real `lspci -nn` lines give the same devices as the lines alone.
    @Test(arguments: [
        ("IOMMU Group %d ", "IOMMU Group"),
        ("IOMMU group %d: ", "IOMMU Group"),
        ("- ", "list marker"),
        ("* ", "list marker"),
        ("%d. ", "list marker"),
        ("> ", "mail quote"),
    ])
    func prefixedLinesReadAsTheCleanForm(prefix: String, kind: String) throws {
        let text = try Fixtures.text("lspci/gpud_lspci_nn_a100_azure.txt")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let prefixed = lines.enumerated().map { index, line in
            line.isEmpty ? "" : prefix.replacingOccurrences(of: "%d", with: "\(index + 1)") + line
        }
        let clean = LspciTextParser.parse(text)
        let result = LspciTextParser.parse(
            "IOMMU Group 0:\n" + prefixed.joined(separator: "\n")
        )
        #expect(result.devices == clean.devices)
        #expect(result.format == clean.format)
        #expect(result.diagnostics.contains { $0.context["prefix"] == kind })
    }

    /// Trees: the p6t6 board's bridges three deep and two root buses give every address of
    /// `lspci -Dnn`; `-tvnn` gives the ids too.
    @Test func treeGivesTheAddressesOfEveryDevice() throws {
        let tv = LspciTextParser.parse(try Fixtures.text("lspci/paste-forms/p6t6_tv.txt"))
        let tvnn = LspciTextParser.parse(try Fixtures.text("lspci/paste-forms/p6t6_tvnn.txt"))
        let truth = try Self.truth("lspci/paste-forms/p6t6_tvnn.txt")
        #expect(tv.format == .tree && tvnn.format == .tree)
        #expect(tvnn.devices.map(\.address).sorted() == truth.keys.sorted())
        #expect(tv.devices.map(\.address) == tvnn.devices.map(\.address))
        // Bridges are drawn with their bus numbers instead of a name.
        let bridges = tvnn.devices.filter { $0.vendorName == nil && $0.deviceName == nil }
        #expect(
            Set(bridges.map(\.address))
                == Set(truth.filter { $0.value["class"] as? String == "0604" }.keys)
        )
        for device in tvnn.devices where !bridges.contains(device) {
            let want = truth[device.address]
            #expect(device.vendorID == want?["vendor_id"] as? String, "\(device.address)")
        }
        let gpu = try #require(tv.devices.first { $0.address.description == "0000:06:00.0" })
        #expect(gpu.vendorName == "NVIDIA Corporation" && gpu.deviceName == "GT218 [GeForce 210]")
    }

    /// A tree has no class, so the GPU is known only where its id names a GPU chip.
    @Test func treeWithIDsOnlyAsNames() throws {
        let output = LspciReader.read(
            try Fixtures.text("lspci/paste-forms/h100vm_tv_pciids_without_nvidia_devices.txt")
        )
        let gpu = try #require(output.section.accelerators.first)
        #expect(gpu.address.description == "0000:00:06.0" && gpu.chip == "GH100")
        let mx150 = LspciTextParser.parse(
            try Fixtures.text("lspci/paste-forms/mx150_tv_pciids_without_nvidia_devices.txt")
        )
        #expect(
            mx150.devices.map(\.address.description) == [
                "0000:00:1c.0", "0000:02:00.0", "0000:08:00.0", "0000:09:00.0",
            ]
        )
        #expect(mx150.devices[1].vendorID == "10de" && mx150.devices[1].deviceID == "1d10")
    }

    // MARK: - Wrapped lines

    /// One-line-per-device captures, wrapped the two ways pastes wrap them.
    static let oneLineForms = [
        "lspci/gpud_lspci_nn_a100_azure.txt",
        "lspci/gpud_lspci_nn_a10_vm.txt",
        "lspci/gpud_lspci_D_gb200.txt",
        "lspci/paste-forms/debian12vm_plain.txt",
        "lspci/paste-forms/h100vm_plain_pciids_without_nvidia_devices.txt",
    ]

    /// Wraps like a mail client: at the last space before `width`, the space dropped.
    static func wrapAtSpaces(_ line: Substring, width: Int) -> [String] {
        var rest = String(line)
        var out: [String] = []
        while rest.count > width,
            let cut = rest.prefix(width).lastIndex(of: " ")
        {
            out.append(String(rest[..<cut]))
            rest = String(rest[rest.index(after: cut)...])
        }
        return out + [rest]
    }

    /// Wraps like a terminal: every `width` characters, mid-word.
    static func wrapHard(_ line: Substring, width: Int) -> [String] {
        var rest = Substring(line)
        var out: [String] = []
        while rest.count > width {
            out.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return out + [String(rest)]
    }

    @Test(arguments: oneLineForms, [60, 72, 80])
    func wrappedAtSpacesReadsAsTheCleanForm(file: String, width: Int) throws {
        let text = try Fixtures.text(file)
        let wrapped = text.split(separator: "\n").flatMap { Self.wrapAtSpaces($0, width: width) }
        let clean = LspciTextParser.parse(text)
        let result = LspciTextParser.parse(wrapped.joined(separator: "\n"))
        #expect(result.devices == clean.devices)
        #expect(result.diagnostics.allSatisfy { $0.severity == .info })
    }

    @Test(arguments: oneLineForms, [60, 72, 80])
    func wrappedMidWordReadsAsTheCleanForm(file: String, width: Int) throws {
        let text = try Fixtures.text(file)
        let wrapped = text.split(separator: "\n").flatMap { Self.wrapHard($0, width: width) }
        let clean = LspciTextParser.parse(text)
        let result = LspciTextParser.parse(wrapped.joined(separator: "\n"))
        #expect(result.devices == clean.devices)
    }

    /// The `[10de:2236] (rev a1)` tail alone on the next line; two records never merge.
    @Test func tailOnItsOwnLine() throws {
        let text = try Fixtures.text("lspci/gpud_lspci_nn_a10_vm.txt")
        let lines = text.split(separator: "\n")
        let split = lines.flatMap { line -> [String] in
            guard let open = line.range(of: " [", options: .backwards) else {
                return [String(line)]
            }
            return [String(line[..<open.lowerBound]), "[" + line[open.upperBound...]]
        }
        let result = LspciTextParser.parse(split.joined(separator: "\n"))
        #expect(result.devices == LspciTextParser.parse(text).devices)
        let joined = result.diagnostics.first { $0.context["first_line"] == "1" }
        #expect(joined?.severity == .info)
    }

    /// A device line cut before its class separator is joined with the rest; one that no
    /// following line completes is reported with its line number.
    @Test func unreadableLinesAreJoinedOrReportedByNumber() throws {
        let text = try Fixtures.text("lspci/paste-forms/debian12vm_plain.txt")
        var lines = text.split(separator: "\n").map(String.init)
        // `00:03.0 Ethernet controller:` / `Red Hat, Inc. Virtio ...` (cut after the colon).
        let cut = try #require(lines[3].range(of: ": "))
        lines.insert(String(lines[3][cut.upperBound...]), at: 4)
        lines[3] = String(lines[3][..<cut.lowerBound]) + ":"
        let joined = LspciTextParser.parse(lines.joined(separator: "\n"))
        #expect(joined.devices == LspciTextParser.parse(text).devices)
        #expect(joined.diagnostics.allSatisfy { $0.severity == .info })
        // The last device line cut inside its class: nothing after it to join.
        let last = lines.count - 1
        lines[last] = String(lines[last].prefix(18))
        let cutShort = LspciTextParser.parse(lines.joined(separator: "\n"))
        let warning = try #require(cutShort.diagnostics.first { $0.code == .incompleteOutput })
        #expect(warning.message.hasPrefix("Line \(last + 1) start"))
        #expect(warning.context["first_line"] == String(last + 1))
    }

    // MARK: - Other tools' text

    /// nvidia-smi (table, -q, CSV, XML, failures) and npu-smi pastes are never lspci devices.
    ///
    /// So `--host` can try lspci last. One real paste (the K80 table) has an lspci line above
    /// the table: that line, and nothing else, is a device.
    @Test(arguments: Fixtures.captured(in: "nvidia-smi") + Fixtures.captured(in: "npu-smi"))
    func otherToolsOutputIsNotLspci(file: String) throws {
        let text = try Fixtures.text(file)
        let result = LspciTextParser.parse(text)
        let lspciLines = text.split(separator: "\n").compactMap { line -> PCIAddress? in
            guard let word = line.split(separator: " ").first, line.contains(": ") else {
                return nil
            }
            return PCIAddress(String(word))
        }
        #expect(result.devices.map(\.address) == lspciLines, "\(result.devices)")
        if lspciLines.isEmpty { #expect(result.format == .unknown) }
    }
}
