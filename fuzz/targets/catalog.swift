// The PyTorch catalog (--catalog FILE), decoded, validated and used for a match.
@testable import GPUProbe

let host = fixtureHost("rtx2080super-610-query")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let catalog = try? TorchCatalog.decode(bytes(data, size)) else { return 0 }
    let plan = Matcher.plan(
        report: host,
        installers: [],
        catalog: catalog,
        request: TorchRequest(python: nil, torch: nil, pipIndexURL: nil),
        inputs: PlanInputs(
            host: "fuzz", drivers: "Drivers", catalog: "fuzz", catalogUpdated: catalog.updated,
            python: nil, torch: nil, pipIndexURL: nil
        )
    )
    mustRender(plan)
    return 0
}
