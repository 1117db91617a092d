import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct KernelModuleVersionTests {
    // Written after the module's "NVRM version: ..." banner for proprietary and open modules
    // on x86_64 and aarch64 (`nv_procfs_read_version` in NVIDIA/open-gpu-kernel-modules
    // kernel-open/nvidia/nv-procfs.c writes `NVRM version: ` and the module's id string);
    // Fixtures/ has no captured /proc/driver/nvidia/version yet: a GPU host capture should add
    // one.
    @Test(arguments: [
        (
            text:
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\n"
                + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n",
            version: "550.54.14"
        ),
        (
            text:
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.124.06  Release Build  "
                + "(dvs-builder@U16-I3-B03-4-3)  Fri Feb 28 00:43:11 UTC 2025\n",
            version: "570.124.06"
        ),
        (
            text:
                "NVRM version: NVIDIA UNIX aarch64 Kernel Module  550.127.05  Tue Oct  8 03:22:07 UTC 2024\n",
            version: "550.127.05"
        ),
        (
            text:
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  595.80  Sat Jan  1 00:00:00 UTC 2026\n",
            version: "595.80"
        ),
    ])
    func readsProcBanner(text: String, version: String) {
        #expect(KernelModuleVersion.parse(proc: text, sys: nil) == version)
    }

    @Test func fallsBackToSysfs() {
        #expect(KernelModuleVersion.parse(proc: nil, sys: "535.171.04\n") == "535.171.04")
        #expect(KernelModuleVersion.parse(proc: "garbage", sys: "535.171.04") == "535.171.04")
    }

    @Test(arguments: [
        "", "NVRM version: NVIDIA UNIX x86_64 Kernel Module", "\u{0}\u{1}", "550", "5.5.5.5.5",
    ])
    func unknownIsNil(text: String) {
        #expect(KernelModuleVersion.parse(proc: text, sys: text) == nil)
    }
}
