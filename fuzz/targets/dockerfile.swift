// check's Dockerfile reader: bytes to text, parse, walk the stages, judge against an NVIDIA
// and an Ascend host with a build context holding what the fixtures' Dockerfiles copy.
@testable import GPUProbe

let hosts = [fixtureHost("rtx2080super-610-query"), fixtureHost("ascend-910b4")]
let context = BuildContext(
    entries: [
        "Drivers/NVIDIA-Linux-x86_64-535.171.04.run": .file(size: 300 << 20),
        "ascend/driver/lib64/common": .directory,
        "ascend/driver/lib64/driver": .directory,
        "ascend/dcmi": .directory,
        "ascend/npu-smi": .file(size: 4096),
        "ascend/ascend_install.info": .file(size: 4096),
        "ascend/version.info": .file(size: 4096),
    ],
    dockerignore: "*.log\n!keep.log\n"
)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let dockerfile = try? DockerfileChecker.text(from: bytes(data, size), path: "fuzz")
    else { return 0 }
    for host in hosts {
        guard
            let report = try? DockerfileChecker.check(
                dockerfile: dockerfile,
                path: "fuzz",
                report: host,
                catalog: .embedded,
                context: context
            )
        else { return 0 }
        mustRender(report)
        _ = CheckText.render(report)
    }
    return 0
}
