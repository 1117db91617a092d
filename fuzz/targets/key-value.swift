// The small files read from the host: Ascend version.info and ascend_install.info,
// /etc/os-release, /proc/driver/nvidia/version and /sys/module/nvidia/version.
@testable import GPUProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = text(data, size)
    let pairs = KeyValueFile.parse(input)
    let dictionary = KeyValueFile.dictionary(input)
    precondition(pairs.allSatisfy { dictionary[$0.key] != nil })
    _ = AscendVersionInfo.driverVersion(from: input)
    mustRender(OSRelease.parse(input))
    if let version = KernelModuleVersion.parse(proc: input, sys: nil) {
        precondition(DriverVersion(version) != nil)
    }
    _ = KernelModuleVersion.parse(proc: nil, sys: input)
    return 0
}
