import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Specific behaviours of the nvidia-smi parsers, on small hand-made inputs.
@Suite struct NvidiaSMIBehaviourTests {
    static let table = """
        +---------------------------------------------------------------------------------------+
        | NVIDIA-SMI 535.161.07             Driver Version: 535.161.07   CUDA Version: 12.2     |
        |-----------------------------------------+----------------------+----------------------+
        | GPU  Name                 Persistence-M | Bus-Id        Disp.A | Volatile Uncorr. ECC |
        | Fan  Temp   Perf          Pwr:Usage/Cap |         Memory-Usage | GPU-Util  Compute M. |
        |                                         |                      |               MIG M. |
        |=========================================+======================+======================|
        |   0  NVIDIA GeForce GTX 1050 Ti     Off | 00000000:08:00.0 Off |                  N/A |
        | 40%   31C    P0              N/A /  75W |     10MiB /  4096MiB |      0%      Default |
        |                                         |                      |                  N/A |
        +-----------------------------------------+----------------------+----------------------+

        +---------------------------------------------------------------------------------------+
        | Processes:                                                                            |
        |  GPU   GI   CI        PID   Type   Process name                            GPU Memory |
        |        ID   ID                                                             Usage      |
        |=======================================================================================|
        |    0   N/A  N/A      1234      C   python train.py                               8MiB |
        +---------------------------------------------------------------------------------------+

        """

    @Test func crlfPasteReadsLikeLF() {
        let lf = NvidiaSMIParser.parse(Self.table)
        let crlf = NvidiaSMIParser.parse(Self.table.replacingLineBreaks(with: "\r\n"))
        #expect(lf.format == .table)
        #expect(lf.diagnostics.isEmpty)
        #expect(crlf == lf)
        #expect(crlf.section.processes.first?.name == "python train.py")
    }

    @Test func indentedAndPromptedPasteReadsLikePlain() {
        let indented = Self.table.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n")
        let pasted = "user@host:~$ nvidia-smi\nTue Nov  1 10:18:07 2022\n" + indented
        #expect(NvidiaSMIParser.parse(pasted) == NvidiaSMIParser.parse(Self.table))
    }

    @Test func readsGPUAndProcessRows() throws {
        let section = NvidiaSMIParser.parse(Self.table).section
        #expect(section.driverVersion == "535.161.07")
        #expect(section.cudaVersion == "12.2")
        let gpu = try #require(section.gpus.first)
        #expect(gpu.index == 0)
        #expect(gpu.name == "NVIDIA GeForce GTX 1050 Ti")
        #expect(gpu.busID?.description == "0000:08:00.0")
        #expect(gpu.memoryUsedMiB == 10)
        #expect(gpu.memoryTotalMiB == 4096)
        #expect(gpu.migMode == nil)
        #expect(
            section.processes == [
                NvidiaProcess(
                    gpuIndex: 0,
                    pid: 1234,
                    type: "C",
                    name: "python train.py",
                    usedMemoryMiB: 8
                )
            ]
        )
    }

    @Test func errGluedToBordersAndErrCUDAVersion() throws {
        let text = """
            +-----------------------------------------------------------------------------+
            | NVIDIA-SMI 470.57.02    Driver Version: 470.57.02    CUDA Version: ERR!     |
            |-------------------------------+----------------------+----------------------+
            | GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
            | Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
            |                               |                      |               MIG M. |
            |===============================+======================+======================|
            |   0  NVIDIA GeForce ...  ERR!| 00000000:01:00.0 Off |                  N/A |
            |ERR!  ERR!   ERR!   ERR! / ERR!|   1000MiB / 11178MiB |    ERR!      Default |
            |                               |                      |                 ERR!|
            +-------------------------------+----------------------+----------------------+
            """
        let result = NvidiaSMIParser.parse(text)
        #expect(result.section.driverVersion == "470.57.02")
        #expect(result.section.cudaVersion == nil)
        let gpu = try #require(result.section.gpus.first)
        #expect(gpu.name == "NVIDIA GeForce ...")
        #expect(gpu.memoryUsedMiB == 1000)
        #expect(gpu.memoryTotalMiB == 11178)
        #expect(gpu.migMode == nil)
    }

    @Test func migDevicesBoxDoesNotAddGPUs() throws {
        let document = NvidiaSMIParser.document(
            try Fixtures.text("nvidia-smi/table_590.48.01_h200_mig_load.txt")
        )
        #expect(document.gpus.count == 1)
        #expect(document.gpus.first?.gpu.migMode == "enabled")
        #expect(document.gpus.first?.migDeviceCount == 5)
    }

    @Test func repeatedTablesGiveTheLastCompleteOne() {
        let newer = Self.table.replacingOccurrences(of: "10MiB", with: "99MiB")
        let cut = String(Self.table.prefix(700))
        let result = NvidiaSMIParser.parse(Self.table + newer + cut)
        #expect(result.section.gpus.map(\.memoryUsedMiB) == [99])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func failureBesideDataKeepsTheData() throws {
        let text =
            "Unable to determine the device handle for GPU0000:41:00.0: Unknown Error\n"
            + Self.table
        let result = NvidiaSMIParser.parse(text, exitStatus: 255)
        #expect(result.format == .table)
        #expect(result.section.gpus.count == 1)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == .unknownError)
        #expect(diagnostic.context == ["bus_id": "0000:41:00.0", "exit_status": "255"])
    }

    @Test func versionMismatchWithoutLibraryLine() throws {
        let result = NvidiaSMIParser.parse(
            "Failed to initialize NVML: Driver/library version mismatch\n"
        )
        #expect(result.format == .failure)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == .versionMismatch)
        #expect(diagnostic.context["nvml_library_version"] == nil)
    }

    @Test func otherNVMLFailureIsToolFailed() throws {
        let result = NvidiaSMIParser.parse("Failed to initialize NVML: Insufficient Permissions")
        #expect(result.format == .failure)
        #expect(result.diagnostics.first?.code == .toolFailed)
        #expect(result.diagnostics.first?.context["nvml_error"] == "Insufficient Permissions")
    }

    // MARK: CSV

    @Test func headerlessCSVInQueryFieldOrder() throws {
        let text = """
            0, NVIDIA H100 80GB HBM3, 00000000:00:09.0, GPU-abc, 81559, 59, 9.0, Enabled, 590.48.01, 0x233010DE
            1, NVIDIA H100 80GB HBM3, 00000000:00:0A.0, GPU-def, 81559, 0, 9.0, [N/A], 590.48.01, [Not Supported]

            """
        let result = NvidiaSMIParser.parse(text)
        #expect(result.format == .csv)
        #expect(result.diagnostics.isEmpty)
        #expect(result.section.driverVersion == "590.48.01")
        #expect(
            result.section.gpus == [
                NvidiaGPU(
                    index: 0,
                    name: "NVIDIA H100 80GB HBM3",
                    busID: PCIAddress("0000:00:09.0"),
                    uuid: "GPU-abc",
                    pciDeviceID: "2330",
                    memoryTotalMiB: 81559,
                    memoryUsedMiB: 59,
                    computeCapability: "9.0",
                    migMode: "enabled"
                ),
                NvidiaGPU(
                    index: 1,
                    name: "NVIDIA H100 80GB HBM3",
                    busID: PCIAddress("0000:00:0a.0"),
                    uuid: "GPU-def",
                    memoryTotalMiB: 81559,
                    memoryUsedMiB: 0,
                    computeCapability: "9.0"
                ),
            ]
        )
    }

    @Test func headerlessCSVOfAnotherWidthIsUnrecognised() {
        let result = NvidiaSMIParser.parse("0, NVIDIA A10, 00000000:07:00.0\n")
        #expect(result.format == .unknown)
        #expect(result.section.gpus.isEmpty)
        #expect(result.diagnostics.map(\.code) == [.unrecognizedOutput])
    }

    @Test func csvHeaderInAnyOrderWithoutUnits() {
        let text = """
            $ nvidia-smi --query-gpu=memory.used,gpu_bus_id,gpu_name,index,memory.total --format=csv,nounits
            memory.used, gpu_bus_id, gpu_name, index, memory.total
            4, 00000000:07:00.0, NVIDIA A10, 0, 23028
            """
        let gpus = NvidiaSMIParser.parse(text).section.gpus
        #expect(
            gpus == [
                NvidiaGPU(
                    index: 0,
                    name: "NVIDIA A10",
                    busID: PCIAddress("0000:07:00.0"),
                    memoryTotalMiB: 23028,
                    memoryUsedMiB: 4
                )
            ]
        )
    }

    @Test func csvCutMidRowIsIncomplete() {
        let text = "index, name, memory.total [MiB]\n0, NVIDIA A10, 23028 MiB\n1, NVIDIA A1"
        let result = NvidiaSMIParser.parse(text)
        #expect(result.section.gpus.count == 1)
        #expect(result.diagnostics.map(\.code) == [.incompleteOutput])
    }

    // MARK: -q text

    @Test func queryTextPrefersKMDVersionAndStripsDeprecation() throws {
        let text = """
            ==============NVSMI LOG==============

            Driver Version                     : 610.57.04 [Deprecated; will be removed in CUDA 14.0. Use KMD Version instead]
            CUDA Version                       : 13.3 [Deprecated; will be removed in CUDA 14.0. Use CUDA UMD Version instead]
            KMD Version                        : 610.57.05
            CUDA UMD Version                   : 13.4

            Attached GPUs                      : 2
            GPU 00000000:0C:00.0
                Product Name                   : NVIDIA GeForce RTX 2080 SUPER
                Minor Number                   : N/A
                PCI
                    Device Id                  : 0x1E8110DE
                FB Memory Usage
                    Total                      : 8192 MiB
                    Used                       : 211 MiB
                Processes                      : None
            """
        let document = NvidiaSMIParser.document(text)
        #expect(document.driverVersion == "610.57.05")
        #expect(document.cudaVersion == "13.4")
        let gpu = try #require(document.gpus.first?.gpu)
        #expect(gpu.index == nil)  // 1 of 2 attached GPUs: the position says nothing
        #expect(gpu.minorNumber == nil)
        #expect(gpu.pciDeviceID == "1e81")
        #expect(gpu.memoryTotalMiB == 8192)
        #expect(document.diagnostics.map(\.code) == [.incompleteOutput])
        #expect(document.diagnostics.first?.context["attached_gpus"] == "2")
    }

    @Test func queryTextIndentedWholeWithCRLF() throws {
        let plain = try Fixtures.text("nvidia-smi/q_560.35.03_titan_v.txt")
        let odd = plain.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "  " + $0 }.joined(separator: "\r\n")
        #expect(NvidiaSMIParser.parse(odd) == NvidiaSMIParser.parse(plain))
    }

    // MARK: XML

    @Test func xmlScannerHandlesMarkupOddities() throws {
        let text = """
            <?xml version="1.0" ?>
            <!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v12.dtd" [ <!ENTITY x "y>"> ]>
            <!-- a comment with <gpu> inside -->
            <nvidia_smi_log>
            \t<driver_version>550.54.14</driver_version>
            \t<attached_gpus>1</attached_gpus>
            \t<gpu id="00000000:65:00.0">
            \t\t<product_name>A &amp; B &lt;test&gt; &quot;q&quot; &apos;s&apos; &#x41;&#66;</product_name>
            \t\t<uuid><![CDATA[GPU-1234]]></uuid>
            \t\t<minor_number>N/A</minor_number>
            \t\t<pci><pci_device_id>000000DE</pci_device_id></pci>
            \t\t<mig_devices/>
            \t\t<fb_memory_usage><total>81920 MiB</total><used>N/A</used></fb_memory_usage>
            \t\t<processes />
            \t</gpu>
            </nvidia_smi_log>
            """
        let document = NvidiaSMIParser.document(text)
        #expect(document.format == .xml)
        #expect(document.diagnostics.isEmpty)
        #expect(document.driverVersion == "550.54.14")
        let gpu = try #require(document.gpus.first?.gpu)
        #expect(gpu.index == 0)
        #expect(gpu.name == "A & B <test> \"q\" 's' AB")
        #expect(gpu.uuid == "GPU-1234")
        #expect(gpu.busID?.description == "0000:65:00.0")  // from the id attribute
        #expect(gpu.pciDeviceID == nil)
        #expect(gpu.minorNumber == nil)
        #expect(gpu.memoryTotalMiB == 81920)
        #expect(gpu.memoryUsedMiB == nil)
    }

    @Test func xmlCutShortIsIncomplete() throws {
        let text = try Fixtures.text("nvidia-smi/xml_telegraf_tesla-t4.xml")
        let document = NvidiaSMIParser.document(String(text.prefix(3000)))
        #expect(document.format == .xml)
        #expect(document.gpus.count == 1)
        #expect(document.diagnostics.map(\.code) == [.incompleteOutput])
    }

    @Test(
        arguments: [
            ("0x20B510DE", "20b5"), ("20B210DE", "20b2"), ("0x233010de", "2330"), ("000000DE", nil),
            ("0x000010DE", nil), ("0xFFFF10DE", nil), ("0x20B51002", nil), ("N/A", nil),
            ("0x20B510DE0", nil),
        ] as [(String, String?)]
    )
    func pciDeviceIDs(text: String, expected: String?) {
        #expect(NvidiaSMIText.pciDeviceID(ArraySlice(text.utf8)) == expected)
    }
}

extension String {
    fileprivate func replacingLineBreaks(with separator: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: separator)
    }
}

extension NvidiaSMIBehaviourTests {
    @Test func csvOfAnotherQueryIsUnrecognised() {
        let text = "pid, process_name, used_gpu_memory [MiB]\n1234, python, 100 MiB\n"
        let result = NvidiaSMIParser.parse(text)
        #expect(result.format == .unknown)
        #expect(result.diagnostics.map(\.code) == [.unrecognizedOutput])
        #expect(result.diagnostics.first?.context["columns"] == "pid,process_name,used_gpu_memory")
    }
}

extension NvidiaSMIBehaviourTests {
    /// R3xx tables: `Compute processes:` without a Type column, `Not Supported` on GeForce.
    @Test func oldProcessBoxes() {
        let text = """
            +------------------------------------------------------+
            | NVIDIA-SMI 331.62     Driver Version: 331.62         |
            |-------------------------------+----------------------+----------------------+
            | GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
            | Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
            |===============================+======================+======================|
            |   0  Tesla K20m          Off  | 0000:02:00.0     Off |                    0 |
            | N/A   30C    P0    48W / 225W |     11MiB /  4799MiB |      0%      Default |
            +-------------------------------+----------------------+----------------------+

            +-----------------------------------------------------------------------------+
            | Compute processes:                                               GPU Memory |
            |  GPU       PID  Process name                                     Usage      |
            |=============================================================================|
            |    0      4321  ./my app                                              90MiB |
            |    0            Not Supported                                               |
            +-----------------------------------------------------------------------------+
            """
        let result = NvidiaSMIParser.parse(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.section.driverVersion == "331.62")
        #expect(result.section.gpus.first?.memoryTotalMiB == 4799)
        #expect(
            result.section.processes == [
                NvidiaProcess(gpuIndex: 0, pid: 4321, name: "./my app", usedMemoryMiB: 90)
            ]
        )
    }
}
