import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct InstallerFileNameTests {
    @Test(
        arguments: [
            (
                name: "NVIDIA-Linux-x86_64-550.135.run", arch: "x86_64", version: "550.135",
                variant: nil
            ),
            ("NVIDIA-Linux-x86_64-550.54.14.run", "x86_64", "550.54.14", nil),
            ("NVIDIA-Linux-aarch64-570.86.15.run", "aarch64", "570.86.15", nil),
            (
                "NVIDIA-Linux-x86_64-470.256.02-no-compat32.run", "x86_64", "470.256.02",
                "no-compat32"
            ),
            ("NVIDIA-Linux-x86_64-535.129.03-grid.run", "x86_64", "535.129.03", "grid"),
            ("NVIDIA-Linux-x86_64-535.129.03-vgpu-kvm.run", "x86_64", "535.129.03", "vgpu-kvm"),
            ("NVIDIA-Linux-armv7l-gnueabihf-390.157.run", "armv7l-gnueabihf", "390.157", nil),
            ("NVIDIA-Linux-x86-340.108.run", "x86", "340.108", nil),
        ] as [(String, String, String, String?)]
    )
    func parsesNVIDIAsNames(name: String, arch: String, version: String, variant: String?) throws {
        let parsed = try #require(InstallerFileName(name))
        #expect(parsed.architecture == arch)
        #expect(parsed.version.text == version)
        #expect(parsed.variant == variant)
    }

    @Test(arguments: [
        "driver.run", "NVIDIA-Linux-x86_64.run", "NVIDIA-Linux-550.135.run",
        "NVIDIA-Linux-x86_64-550.135.run.part", "NVIDIA-Linux-x86_64-550.135",
        "nvidia-linux-x86_64-550.135.run",
        "NVIDIA-Linux-x86_64-550.135-.run", "NVIDIA-Linux-x86_64--550.135.run",
        "NVIDIA-Linux-x86_64-550.135-grid-1.2.run", "NVIDIA-Linux-x86_64-550.135;rm.run",
        "cuda_12.4.0_550.54.14_linux.run",
    ])
    func rejectsOtherNames(name: String) {
        #expect(InstallerFileName(name) == nil)
    }

    @Test func comparesWithTheHeader() throws {
        let header = try RunHeader.parse(Array(RunHeaderTests.sample.utf8), endsFile: false)
        let same = try #require(InstallerFileName("NVIDIA-Linux-x86_64-550.135-grid.run"))
        #expect(same.disagreement(with: header, fileName: "f") == nil)
        let other = try #require(InstallerFileName("NVIDIA-Linux-aarch64-550.13.run"))
        let text = try #require(other.disagreement(with: header, fileName: "f.run"))
        #expect(
            text.hasPrefix(
                "the file name 'f.run' says version 550.13 but its header says 550.135, and architecture aarch64 but its header says x86_64"
            )
        )
        // An ABI suffix in the name is not a disagreement.
        var arm = header
        arm.targetArchitecture = "armv7l"
        arm.version = try #require(DriverVersion("390.157"))
        let armName = try #require(InstallerFileName("NVIDIA-Linux-armv7l-gnueabihf-390.157.run"))
        #expect(armName.disagreement(with: arm, fileName: "f") == nil)
    }
}
