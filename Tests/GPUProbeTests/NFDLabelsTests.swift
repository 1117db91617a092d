import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Node labels for node-feature-discovery: every host bundle against the label file written
/// for it by reading the bundle, the label rules on made-up hosts, and Kubernetes' own syntax.
@Suite struct NFDLabelsTests {
    /// Kubernetes' label value syntax (apimachinery `validation.IsValidLabelValue`), without its
    /// empty value, which we never write; checked apart from ``NFDLabels/isValidValue(_:)``.
    static let valueSyntax = try? NSRegularExpression(
        pattern: "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
    )
    /// A DNS subdomain (RFC 1123), the syntax of a label name's prefix.
    static let prefixSyntax = try? NSRegularExpression(
        pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
    )

    static func matches(_ regex: NSRegularExpression?, _ text: String) -> Bool {
        guard let regex else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether `name=value` is a label Kubernetes accepts: value 1 to 63 characters of the value
    /// syntax; name `prefix/name` with a DNS-subdomain prefix of at most 253 characters and a
    /// name part of at most 63 in the value syntax.
    static func isValidLabel(name: String, value: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let prefix = String(parts[0])
        let local = String(parts[1])
        return value.utf8.count <= 63 && matches(valueSyntax, value) && prefix.utf8.count <= 253
            && matches(prefixSyntax, prefix) && local.utf8.count <= 63
            && matches(valueSyntax, local)
            && !prefix.hasSuffix("kubernetes.io") && !prefix.hasSuffix("k8s.io")
    }

    /// The report a bundle replays to.
    static func report(_ bundle: String) throws -> HostReport {
        HostReportBuilder.build(try CaptureBundle.read(from: Fixtures.url("hosts/\(bundle)").path))
    }

    static func host(nvidia: NvidiaSection? = nil, ascend: AscendSection? = nil) -> HostReport {
        HostReport(
            host: HostInfo(),
            pciDevices: [],
            accelerators: [],
            nvidia: nvidia,
            ascend: ascend,
            diagnostics: []
        )
    }

    static func gpu(
        _ name: String?,
        memory: Int? = 81920,
        capability: String? = "8.0",
        index: Int = 0
    ) -> NvidiaGPU {
        NvidiaGPU(
            index: index,
            name: name,
            uuid: "GPU-\(index)",
            memoryTotalMiB: memory,
            computeCapability: capability
        )
    }

    // MARK: - Every bundle

    @Test(arguments: Fixtures.hostBundles)
    func bundleGivesItsExpectedLabelFile(bundle: String) throws {
        let expected = try Fixtures.text("hosts/\(bundle)/expected.nfd")
        #expect(NFDLabels.make(try Self.report(bundle)).text == expected)
    }

    @Test(arguments: Fixtures.hostBundles)
    func everyLineIsALabelOrAPlainComment(bundle: String) throws {
        let text = NFDLabels.make(try Self.report(bundle)).text
        #expect(text.hasPrefix(NFDLabels.ownerMarker))
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("#") {
                // `# +` starts an nfd directive, and an unknown one is an error.
                #expect(line.hasPrefix("# ") && !line.hasPrefix("# +"), "\(line)")
            } else {
                let parts = line.split(separator: "=", maxSplits: 1)
                #expect(parts.count == 2, "\(line)")
                if parts.count == 2 {
                    #expect(
                        Self.isValidLabel(name: String(parts[0]), value: String(parts[1])),
                        "\(line)"
                    )
                }
            }
        }
    }

    @Test func a100DriverVersionIsSplitAsGFDDoes() throws {
        let labels = NFDLabels.make(try Self.report("a100-sxm4-mig-xml")).labels
        // nvidia-smi -q -x: <driver_version>535.54.03</driver_version>, <cuda_version>12.2,
        // <product_name>NVIDIA A100-SXM4-80GB, fb_memory_usage total 81920 MiB, device 20B2.
        #expect(labels["nvidia.com/cuda.driver-version.major"] == "535")
        #expect(labels["nvidia.com/cuda.driver-version.minor"] == "54")
        #expect(labels["nvidia.com/cuda.driver-version.revision"] == "03")
        #expect(labels["nvidia.com/cuda.driver-version.full"] == "535.54.03")
        #expect(labels["nvidia.com/cuda.runtime-version.major"] == "12")
        #expect(labels["nvidia.com/cuda.runtime-version.minor"] == "2")
        #expect(labels["nvidia.com/cuda.runtime-version.full"] == "12.2")
        #expect(labels["nvidia.com/gpu.product"] == "NVIDIA-A100-SXM4-80GB")
        #expect(labels["nvidia.com/gpu.count"] == "1")
        #expect(labels["nvidia.com/gpu.memory"] == "81920")
        #expect(labels["nvidia.com/gpu.compute.major"] == "8")
        #expect(labels["nvidia.com/gpu.compute.minor"] == "0")
        #expect(labels["nvidia.com/gpu.family"] == "ampere")
        #expect(labels.keys.allSatisfy { $0.hasPrefix("nvidia.com/") })
    }

    @Test func ascendHostGetsProductCountAndDriver() throws {
        let labels = NFDLabels.make(try Self.report("ascend-910b4")).labels
        // npu-smi info: two 910B4 rows; version.info: package_version=24.1.rc2.2.
        #expect(
            labels == [
                "gpuprobe.io/ascend.npu.product": "910B4",
                "gpuprobe.io/ascend.npu.count": "2",
                "gpuprobe.io/ascend.driver-version": "24.1.rc2.2",
            ]
        )
    }

    @Test func hostWithoutAcceleratorsGetsNoLabels() throws {
        let file = NFDLabels.make(try Self.report("debian12-vm-no-gpu"))
        #expect(file.labels.isEmpty)
        #expect(file.skippedNames.isEmpty)
    }

    @Test(arguments: [
        ("laptop-mx150-no-driver", "not_installed"),
        ("x58-gt218-no-driver", "not_installed"),
        ("nvidia-version-mismatch", "version_mismatch"),
    ])
    func brokenDriverGetsNoNvidiaLabelsButItsProblem(bundle: String, problem: String) throws {
        let labels = NFDLabels.make(try Self.report(bundle)).labels
        #expect(labels == ["gpuprobe.io/nvidia.problem": problem])
    }

    @Test func ascendThatCannotStartDCMISaysSo() throws {
        let labels = NFDLabels.make(try Self.report("ascend-dcmi-8005")).labels
        #expect(labels == ["gpuprobe.io/ascend.problem": "dcmi_init_failed"])
    }

    // MARK: - Rules

    @Test func mixedGPUsKeepOnlyWhatHoldsForEveryGPU() {
        let file = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    driverVersion: "550.54.14",
                    cudaVersion: "12.4",
                    gpus: [
                        Self.gpu("NVIDIA A100-SXM4-80GB", index: 0),
                        Self.gpu("NVIDIA A30", memory: 24576, index: 1),
                    ]
                )
            )
        )
        let labels = file.labels
        #expect(labels["nvidia.com/gpu.count"] == "2")
        #expect(labels["nvidia.com/gpu.product"] == nil)
        #expect(labels["nvidia.com/gpu.memory"] == nil)
        // Both are compute capability 8.0, so these hold for either GPU.
        #expect(labels["nvidia.com/gpu.compute.major"] == "8")
        #expect(labels["nvidia.com/gpu.compute.minor"] == "0")
        #expect(labels["nvidia.com/gpu.family"] == "ampere")
        #expect(labels["gpuprobe.io/nvidia.gpu.mixed"] == "true")
        #expect(labels["nvidia.com/cuda.driver-version.full"] == "550.54.14")
        #expect(file.skippedNames == ["nvidia.com/gpu.product", "nvidia.com/gpu.memory"])
        #expect(file.text.contains("# skipped nvidia.com/gpu.product: the GPUs differ "))
    }

    @Test func gpusOfDifferentGenerationsGetNoFamily() {
        let labels = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    driverVersion: "550.54.14",
                    gpus: [
                        Self.gpu("Tesla T4", memory: 15360, capability: "7.5", index: 0),
                        Self.gpu("NVIDIA L4", memory: 23034, capability: "8.9", index: 1),
                    ]
                )
            )
        ).labels
        for name in ["product", "memory", "compute.major", "compute.minor", "family"] {
            #expect(labels["nvidia.com/gpu.\(name)"] == nil, "\(name)")
        }
        #expect(labels["nvidia.com/gpu.count"] == "2")
        #expect(labels["gpuprobe.io/nvidia.gpu.mixed"] == "true")
    }

    @Test func twoPartDriverHasNoRevisionAndTheKernelModuleIsOurs() {
        let file = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    kernelModuleVersion: "550.135",
                    driverVersion: "550.135",
                    cudaVersion: "12.4",
                    gpus: [Self.gpu("NVIDIA GeForce RTX 4090", memory: 24564, capability: "8.9")]
                )
            )
        )
        #expect(file.labels["nvidia.com/cuda.driver-version.major"] == "550")
        #expect(file.labels["nvidia.com/cuda.driver-version.minor"] == "135")
        #expect(file.labels["nvidia.com/cuda.driver-version.revision"] == nil)
        #expect(file.labels["nvidia.com/cuda.driver-version.full"] == "550.135")
        #expect(file.labels["gpuprobe.io/nvidia.kernel-module-version"] == "550.135")
        #expect(file.labels["nvidia.com/gpu.product"] == "NVIDIA-GeForce-RTX-4090")
        #expect(file.labels["nvidia.com/gpu.family"] == "ada-lovelace")
        #expect(file.skippedNames == ["nvidia.com/cuda.driver-version.revision"])
    }

    @Test func kernelModuleWithoutUserspaceGetsOnlyOurLabels() {
        var report = Self.host(nvidia: NvidiaSection(kernelModuleVersion: "570.124.06"))
        report.diagnostics = [
            Diagnostic(.notInstalled, source: .nvidia, severity: .error, message: "no nvidia-smi")
        ]
        #expect(
            NFDLabels.make(report).labels == [
                "gpuprobe.io/nvidia.kernel-module-version": "570.124.06",
                "gpuprobe.io/nvidia.problem": "not_installed",
            ]
        )
    }

    @Test func gpuKnownOnlyFromThePCIBusIsNotCounted() {
        let labels = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    driverVersion: "535.54.03",
                    cudaVersion: "12.2",
                    gpus: [
                        Self.gpu("NVIDIA H100 80GB HBM3", memory: 81559, capability: "9.0"),
                        NvidiaGPU(name: "GH100 [H100 SXM5 80GB]", pciDeviceID: "2330"),
                    ]
                )
            )
        ).labels
        #expect(labels["nvidia.com/gpu.count"] == "1")
        #expect(labels["nvidia.com/gpu.product"] == "NVIDIA-H100-80GB-HBM3")
        #expect(labels["nvidia.com/gpu.family"] == "hopper")
        #expect(labels["gpuprobe.io/nvidia.gpu.mixed"] == nil)
    }

    @Test func blackwellHasNoGFDFamilyAndSaysWhy() {
        let file = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    driverVersion: "580.65.06",
                    cudaVersion: "13.0",
                    gpus: [Self.gpu("NVIDIA B200", memory: 183359, capability: "10.0")]
                )
            )
        )
        #expect(file.labels["nvidia.com/gpu.family"] == nil)
        #expect(file.labels["nvidia.com/gpu.compute.major"] == "10")
        #expect(file.skippedNames == ["nvidia.com/gpu.family"])
        #expect(file.text.contains("no family for compute capability 10.0"))
    }

    @Test(arguments: [
        // 64 characters once sanitised: one too many.
        ("NVIDIA " + String(repeating: "X", count: 57), "is not a valid label value"),
        // Sanitising leaves a value that ends in `.`.
        ("NVIDIA Prototype v2.", "is not a valid label value"),
        // Nothing left at all.
        ("\u{4E2D}\u{6587}", "is not a valid label value"),
        // The default table cut the name; the rest is unknown.
        ("NVIDIA GeForce RTX 3...", "not known for every GPU"),
    ])
    func productThatIsNoValidLabelValueIsSkippedWithAComment(name: String, reason: String) {
        let file = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(driverVersion: "535.54.03", gpus: [Self.gpu(name)])
            )
        )
        #expect(file.labels["nvidia.com/gpu.product"] == nil)
        #expect(file.skippedNames.contains("nvidia.com/gpu.product"))
        let comment = file.text.split(separator: "\n").first {
            $0.hasPrefix("# skipped nvidia.com/gpu.product: ")
        }
        #expect(comment?.contains(reason) == true)
        #expect(file.labels["nvidia.com/gpu.count"] == "1")
        for (label, value) in file.labels {
            #expect(Self.isValidLabel(name: label, value: value), "\(label)=\(value)")
        }
    }

    @Test func controlCharactersStayInsideTheirCommentLine() {
        let file = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    driverVersion:
                        "535\nevil.example/owned=true\n# +expiry-time=2000-01-01T00:00:00Z",
                    gpus: [Self.gpu("NVIDIA A100-SXM4-80GB")]
                )
            )
        )
        let lines = file.text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("# skipped nvidia.com/cuda.driver-version.*: ") })
        #expect(!lines.contains { $0.hasPrefix("evil.example") || $0.hasPrefix("# +") })
        #expect(file.labels["evil.example/owned"] == nil)
    }

    @Test func badVersionsAreSkippedNotMangled() {
        let file = NFDLabels.make(
            Self.host(
                nvidia: NvidiaSection(
                    driverVersion: "535.54.03-beta",
                    cudaVersion: "12.2.1",
                    gpus: [Self.gpu("NVIDIA A100-SXM4-80GB")]
                )
            )
        )
        #expect(!file.labels.keys.contains { $0.hasPrefix("nvidia.com/cuda.") })
        #expect(
            file.skippedNames == [
                "nvidia.com/cuda.driver-version.*", "nvidia.com/cuda.runtime-version.*",
            ]
        )
    }

    @Test func mixedNPUsGetNoProduct() {
        let labels = NFDLabels.make(
            Self.host(
                ascend: AscendSection(
                    driverVersion: "24.1.rc2.2",
                    npus: [
                        AscendNPU(npuID: 0, chipID: 0, name: "910B4"),
                        AscendNPU(npuID: 1, chipID: 0, name: "910B3"),
                    ]
                )
            )
        ).labels
        #expect(
            labels == [
                "gpuprobe.io/ascend.driver-version": "24.1.rc2.2",
                "gpuprobe.io/ascend.npu.count": "2",
                "gpuprobe.io/ascend.npu.mixed": "true",
            ]
        )
    }

    // MARK: - Pieces

    @Test(arguments: [
        ("NVIDIA A100-SXM4-80GB", "NVIDIA-A100-SXM4-80GB"),
        ("NVIDIA H100 80GB HBM3", "NVIDIA-H100-80GB-HBM3"),
        ("Tesla T4", "Tesla-T4"),
        ("NVIDIA L40S", "NVIDIA-L40S"),
        (
            "NVIDIA RTX PRO 6000 Blackwell (Server Edition)",
            "NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition"
        ),
    ])
    func productIsSanitisedAsGFDDoes(name: String, product: String) {
        #expect(NFDLabels.product(name) == product)
    }

    @Test(arguments: [
        (3, 7, "kepler"), (5, 2, "maxwell"), (6, 1, "pascal"), (7, 0, "volta"), (7, 2, "volta"),
        (7, 5, "turing"), (8, 0, "ampere"), (8, 6, "ampere"), (8, 7, "ampere"),
        (8, 9, "ada-lovelace"), (9, 0, "hopper"),
    ])
    func familyFollowsGFDsTable(major: Int, minor: Int, family: String) {
        #expect(NFDLabels.family(major: major, minor: minor) == family)
    }

    @Test(arguments: [
        ("535", true), ("03", true), ("24.1.rc2.2", true), ("dcmi_init_failed", true),
        ("NVIDIA-A100-SXM4-80GB", true), (String(repeating: "a", count: 63), true),
        ("", false), (String(repeating: "a", count: 64), false), ("-a", false), ("a.", false),
        ("a b", false), ("a/b", false), ("\u{00E9}", false),
    ])
    func valueValidityMatchesKubernetes(value: String, valid: Bool) {
        #expect(NFDLabels.isValidValue(value) == valid)
        #expect((Self.matches(Self.valueSyntax, value) && value.utf8.count <= 63) == valid)
    }

    @Test func ourPrefixIsAValidLabelPrefix() {
        #expect(
            Self.isValidLabel(name: "\(NFDLabels.prefix)/nvidia.kernel-module-version", value: "1")
        )
    }
}
