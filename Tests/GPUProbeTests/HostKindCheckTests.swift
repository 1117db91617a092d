import Testing

@testable import GPUProbe
@testable import TestSupport

/// `check` by the kind of host and image: Ascend images and the library path their base image
/// sets, Dockerfiles that are not for NPUs on an Ascend host, bootable containers, and `FROM`
/// names that are no image.
@Suite struct HostKindCheckTests {
    typealias Host = DockerfileCheckerTests.Host

    static let hostKindScenarios: [DockerfileCheckerTests.Scenario] = [
        .init(
            kind: .baseImageInvalid,
            severity: .error,
            line: 2,
            host: .guide,
            contains: "FROM <baseimg> is a placeholder",
            dockerfile: "# syntax=docker/dockerfile:1\nFROM <baseimg>\nRUN true\n"
        ),
        // The 910B4 host's driver 24.1.rc2.2 (release 24.1.rc2): Ascend's quick-install table
        // pairs it with CANN 8.1.RC1, 8.0.0 and 8.0.RC3.
        .init(
            kind: .baseImageCANNTooNew,
            severity: .error,
            line: 1,
            host: .ascend,
            contains: "carries CANN 8.5.0, newer than every CANN the catalog relates to the "
                + "host's Ascend driver 24.1.rc2.2 (release 24.1.rc2: 8.1.RC1",
            dockerfile: "FROM quay.io/ascend/cann:8.5.0-910b-ubuntu22.04-py3.11\n"
        ),
        .init(
            kind: .baseImageCANNPaired,
            severity: .note,
            line: 1,
            host: .ascend,
            contains: "carries CANN 8.1.RC1, which the catalog pairs with the host's Ascend "
                + "driver 24.1.rc2.2 (release 24.1.rc2, paired)",
            dockerfile: "FROM quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.10\n"
        ),
        .init(
            kind: .baseImageCANNUnpaired,
            severity: .warning,
            line: 1,
            host: .ascend,
            contains: "carries CANN 7.0.0, which no table in the catalog pairs with the host's "
                + "Ascend driver 24.1.rc2.2",
            dockerfile: "FROM ascendai/cann:7.0.0-910b-ubuntu22.04-py3.9\n"
        ),
    ]

    /// Other images and tags in no CANN form are not judged as CANN images; nor is a CANN
    /// image on a host without an Ascend driver.
    @Test func onlyCANNImageTagsAreJudged() throws {
        for text in [
            "FROM ascendai/cann:latest\n", "FROM quay.io/ascend/mindie:2.0.rc1-800I-A2-py311\n",
            "FROM ubuntu:22.04\n",
        ] {
            #expect(
                !(try check(text, .ascend)).findings.contains {
                    $0.kind.rawValue.hasPrefix("base-image-cann")
                }
            )
        }
        let onNvidia = try check("FROM quay.io/ascend/cann:8.5.0-910b-ubuntu22.04-py3.11\n", .guide)
        #expect(!onNvidia.findings.contains { $0.kind.rawValue.hasPrefix("base-image-cann") })
    }

    func check(_ text: String, _ host: Host) throws -> CheckReport {
        try TestHosts.check(text, try host.report())
    }

    /// Huawei's own form ends each folder with a slash; the loader reads it the same.
    @Test func ascendLibraryPathWithTrailingSlashesIsSet() throws {
        let report = try check(
            """
            FROM ubuntu:22.04
            COPY ascend/driver /usr/local/Ascend/driver/lib64/driver
            ENV LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common/:/usr/local/Ascend/driver/lib64/driver/:$LD_LIBRARY_PATH
            """,
            .ascend
        )
        #expect(report.kind(.ascendLibraryPath).isEmpty, "\(report.summary)")
    }

    @Test func aCANNBaseImageSetsTheLibraryPath() throws {
        for base in [
            "quay.io/ascend/cann:8.0.0-910b-ubuntu22.04-py3.10",
            "ascendai/cann:8.1.rc1-910b-openeuler22.03-py3.10",
        ] {
            let report = try check(
                "FROM \(base)\nRUN pip install torch==2.4.0 torch_npu==2.4.0\n",
                .ascend
            )
            #expect(report.kind(.ascendLibraryPath).isEmpty, "\(base): \(report.summary)")
            // Appending to it keeps the base's folders.
            let appended = try check(
                "FROM \(base)\nENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH\n",
                .ascend
            )
            #expect(appended.kind(.ascendLibraryPath).isEmpty, "\(appended.summary)")
        }
    }

    /// Replacing the base's value drops the folders.
    @Test func replacingTheCANNImagesLibraryPathIsAWarning() throws {
        let report = try check(
            "FROM quay.io/ascend/cann:8.0.0-910b-ubuntu22.04-py3.10\nENV LD_LIBRARY_PATH=/opt/lib\n",
            .ascend
        )
        #expect(report.summary.contains("2:warning:ascend-library-path"), "\(report.summary)")
    }

    @Test func aPlainBaseWithoutTheLibraryPathIsAWarning() throws {
        let report = try check(
            """
            FROM ubuntu:22.04
            COPY ascend/driver /usr/local/Ascend/driver/lib64/driver
            """,
            .ascend
        )
        let found = report.kind(.ascendLibraryPath)
        #expect(found.map(\.severity) == [.warning], "\(report.summary)")
        #expect(found.first?.message.contains("is not set") == true)
    }

    /// What an unknown base image sets is not visible: a note, not a warning.
    @Test func anUnknownBaseImageMaySetTheLibraryPath() throws {
        let report = try check(
            """
            FROM swr.cn-south-1.myhuaweicloud.com/ascendhub/ascend-pytorch:24.0.RC1-A2-2.1.0
            RUN python3 -c "import torch_npu"
            """,
            .ascend
        )
        let found = report.kind(.ascendLibraryPath)
        #expect(found.map(\.severity) == [.note], "\(report.summary)")
        #expect(found.first?.message.contains("may set it") == true)
    }

    /// A CUDA or CPU image checked against an Ascend host gets no Ascend findings.
    @Test func aDockerfileNotForNPUsGetsNoAscendFindings() throws {
        for text in [
            "FROM python:3.11\nRUN pip install numpy\n",
            "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y git\n",
        ] {
            let report = try check(text, .ascend)
            #expect(
                report.findings.allSatisfy { !$0.kind.rawValue.hasPrefix("ascend-") },
                "\(report.summary)"
            )
        }
    }

    /// An image that names torch_npu is for NPUs: the missing driver files are reported.
    @Test func aDockerfileForNPUsIsJudged() throws {
        let report = try check(
            "FROM python:3.10\nRUN pip install torch==2.4.0 torch_npu==2.4.0.post2\n",
            .ascend
        )
        #expect(!report.kind(.ascendCopyMissing).isEmpty, "\(report.summary)")
        #expect(report.kind(.ascendLibraryPath).map(\.severity) == [.warning])
    }

    static let blacklist = "RUN echo 'blacklist nouveau' > /etc/modprobe.d/blacklist-nouveau.conf"

    /// A bootable container becomes the host's root: its modprobe.d is read.
    @Test(arguments: [
        "FROM quay.io/fedora/fedora-bootc:41\n\(blacklist)\n",
        "FROM quay.io/centos-bootc/centos-bootc:stream9\n\(blacklist)\n",
        "FROM ghcr.io/ublue-os/silverblue-main:41\n\(blacklist)\n",
        "FROM fedora:41\n\(blacklist)\nRUN bootc container lint\n",
    ])
    func aBootableImagesBlacklistMatters(_ text: String) throws {
        let report = try check(text, .guide)
        #expect(report.kind(.nouveauInImage).isEmpty, "\(report.summary)")
    }

    @Test func aContainersBlacklistChangesNothing() throws {
        let report = try check("FROM fedora:41\n\(Self.blacklist)\n", .guide)
        #expect(report.summary == ["2:note:nouveau-in-image"])
    }

    @Test(arguments: ["<baseimg>", "{{ base_image }}", "Ubuntu:22.04", "ubuntu:22.04:x"])
    func aNameDockerRefusesIsAnError(_ name: String) throws {
        let report = try check("FROM \(name)\nRUN true\n", .guide)
        #expect(report.summary == ["1:error:base-image-invalid"], "\(name)")
        #expect(!report.compatible)
    }

    @Test(arguments: [
        "ubuntu:22.04", "docker.io/library/ubuntu:22.04", "localhost:5000/a/b:1",
        "nvcr.io/nvidia/pytorch:24.05-py3",
        "ubuntu@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    ])
    func aValidNameIsNotReported(_ name: String) throws {
        let report = try check("FROM \(name)\nRUN true\n", .guide)
        #expect(report.kind(.baseImageInvalid).isEmpty, "\(name): \(report.summary)")
    }

    /// An unresolved name has its note and is not also called invalid.
    @Test func anUnresolvedNameIsANoteOnly() throws {
        let report = try check("ARG BASE\nFROM ${BASE}\nRUN true\n", .guide)
        #expect(report.summary == ["2:note:unresolved-variable"])
    }
}

extension HostKindCheckTests {
    /// In a bootable image the kernel module is wanted, built for the image's kernel.
    @Test func aBootableImageBuildsItsKernelModule() throws {
        let run = "RUN sh /tmp/NVIDIA-Linux-x86_64-535.171.04.run --silent"
        let container = try check("FROM ubuntu:22.04\n\(run)\n", .guide)
        #expect(container.kind(.installerKernelModule).map(\.severity) == [.error])
        let bootable = try check("FROM quay.io/fedora/fedora-bootc:41\n\(run)\n", .guide)
        #expect(bootable.kind(.installerKernelModule).map(\.severity) == [.warning])
        let forKernel = try check(
            "FROM quay.io/fedora/fedora-bootc:41\n\(run) --kernel-name=6.11.4-301.fc41.x86_64\n",
            .guide
        )
        #expect(forKernel.kind(.installerKernelModule).isEmpty, "\(forKernel.summary)")
    }
}

extension HostKindCheckTests {
    /// A CPU build the line names is the author's choice (a note); PyPI's aarch64 wheel, a
    /// CPU build up to 2.10, arrives unasked on a GH200 (a warning).
    @Test func aCPUTorchIsANoteWhenAskedForAndAWarningWhenNot() throws {
        let asked = try check(
            "FROM python:3.11\nRUN pip install torch==2.5.1 --index-url "
                + "https://download.pytorch.org/whl/cpu\n",
            .a100
        )
        #expect(asked.kind(.torchCPUOnGPUHost).map(\.severity) == [.note])
        #expect(asked.compatible && asked.warnings == 0, "\(asked.summary)")
        let unasked = try check("FROM python:3.11\nRUN pip install torch==2.5.1\n", .gh200)
        #expect(
            unasked.kind(.torchCPUOnGPUHost).map(\.severity) == [.warning],
            "\(unasked.summary)"
        )
    }
}
