/// Makes the whole plan from a host report, the installers read from the drivers folder and
/// the catalog.
public enum Matcher {
    /// Decides every part.
    ///
    /// - Parameters:
    ///   - report: the host's probe report.
    ///   - installers: what was read from the drivers folder.
    ///   - catalog: the PyTorch catalog.
    ///   - request: the PyTorch options.
    ///   - inputs: where the inputs came from, copied into the plan.
    /// - Returns: the plan; ``Plan/complete`` is false when a needed part has no choice.
    public static func plan(
        report: HostReport,
        installers: [DriverInstaller],
        catalog: TorchCatalog,
        request: TorchRequest,
        inputs: PlanInputs
    ) -> Plan {
        let host = MatchHost.from(report)
        let driver = DriverMatcher.match(host: host, installers: installers, catalog: catalog)
        let torch = TorchMatcher.match(host: host, catalog: catalog, request: request)
        let ascend = AscendMatcher.match(host: host, catalog: catalog, request: request)
        let driverDone = [.exact, .mismatch, .notNeeded].contains(driver.status)
        // A pin (--cann, --torch, --python) that no torch_npu of the driver's CANN satisfies
        // leaves the plan without a choice; a driver no source pairs gets the full list.
        let pinned = request.cann != nil || request.torch != nil || request.python != nil
        let ascendDone =
            ascend.map {
                $0.driverVersion != nil && ($0.choice != nil || !pinned || $0.cann.isEmpty)
            } ?? true
        let torchDone = (torch.status == .ascend && ascendDone) || torch.pick != nil
        return Plan(
            gpuprobeVersion: GPUProbeVersion.current,
            inputs: inputs,
            host: PlanHost(host),
            driver: driver,
            torch: torch,
            ascend: ascend,
            complete: driverDone && torchDone
        )
    }
}
