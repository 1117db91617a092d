import Foundation
import Testing

@testable import GPUProbe

/// Host reports and plans the unit and end-to-end tests both start from: the committed host
/// bundles' reports, and plans the real matcher makes over them with the embedded catalog.
enum TestPlans {
    /// The report of the host bundle `Fixtures/hosts/<bundle>`.
    static func report(_ bundle: String) throws -> HostReport {
        let bytes = try Data(contentsOf: Fixtures.url("hosts/\(bundle)/expected.json"))
        return try HostReportDecoding.decode(Array(bytes))
    }

    /// The plan for `report` over `installers`, with the embedded catalog.
    static func plan(_ report: HostReport, _ installers: [DriverInstaller] = []) -> Plan {
        Matcher.plan(
            report: report,
            installers: installers,
            catalog: .embedded,
            request: TorchRequest(),
            inputs: PlanInputs(
                host: "test",
                drivers: "Drivers",
                catalog: "embedded",
                catalogUpdated: TorchCatalog.embedded.updated
            )
        )
    }

    /// The plan for an Ascend `report` with no installers, for `request`.
    static func ascendPlan(_ report: HostReport, _ request: TorchRequest = TorchRequest()) -> Plan {
        Matcher.plan(
            report: report,
            installers: [],
            catalog: .embedded,
            request: request,
            inputs: PlanInputs(
                host: "test",
                drivers: "Drivers",
                catalog: "embedded",
                catalogUpdated: TorchCatalog.embedded.updated
            )
        )
    }

    /// The captured Atlas 800T A2 (910B4) host, its driver version replaced when given.
    static func capture910B4(driver: String? = nil) throws -> HostReport {
        var report = try Self.report("ascend-910b4")
        if let driver { report.ascend?.driverVersion = driver }
        return report
    }

    /// The host a pasted tool output in `Fixtures/<fixture>` describes.
    static func pasted(_ fixture: String) throws -> HostReport {
        try #require(PastedHost.report(Array(try Fixtures.text(fixture).utf8)))
    }

    /// The plan for `report` over real makeself `.run` archives of `versions`, asking for
    /// `torch` when given.
    static func emitterPlan(
        _ report: HostReport,
        installers versions: [String] = [],
        torch: String? = nil
    ) throws -> Plan {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-emit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let installers = try versions.map { version in
            try DriverInstallerReader.read(
                path: MakeselfInstaller.build(version: version, in: folder)
            )
        }
        return Matcher.plan(
            report: report,
            installers: installers,
            catalog: .embedded,
            request: TorchRequest(torch: torch),
            inputs: PlanInputs(
                host: "test",
                drivers: "Drivers",
                catalog: "embedded",
                catalogUpdated: TorchCatalog.embedded.updated
            )
        )
    }

    /// Where the emitted Dockerfile finds the NVIDIA installer, relative to the context.
    static let installerPath = "Drivers/NVIDIA-Linux-x86_64-535.171.04.run"

    /// A drivers folder with two CANN toolkits, their kernels and an NVIDIA installer.
    static let ascendFolderFiles = [
        "Drivers/Ascend-cann-toolkit_8.0.0_linux-aarch64.run",
        "Drivers/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
        "Drivers/Ascend-cann-kernels-310p_8.1.RC1_linux-aarch64.run",
        "Drivers/Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run",
        "Drivers/NVIDIA-Linux-x86_64-535.171.04.run",
    ]
}
