/// Reports an Ascend host's driver package and the torch_npu releases the catalog pairs with
/// its driver generation.
public enum AscendMatcher {
    /// Decides; nil for hosts without Ascend NPUs or driver.
    public static func match(host: MatchHost, catalog: TorchCatalog) -> AscendPlan? {
        guard host.ascendSoftwarePresent || host.ascendDriverVersion != nil else { return nil }
        guard let driver = host.ascendDriverVersion else {
            return AscendPlan(
                driverVersion: nil,
                npus: host.ascendNPUCount,
                explanation: [
                    "The report shows Ascend hardware or software but no driver package "
                        + "(/usr/local/Ascend/driver/version.info): install or repair the Ascend "
                        + "driver on the host, probe again, and match again."
                ] + host.ascendProblems
            )
        }
        let lower = driver.lowercased()
        let generations = catalog.ascendDrivers.filter { generation in
            let prefix = generation.driverPrefix.lowercased()
            return lower == prefix || lower.hasPrefix(prefix + ".")
        }
        let cann = generations.flatMap(\.cann)
        let pairingConfirmed = generations.allSatisfy(\.confirmed)
        // Without a known pairing every release is listed, each marked unconfirmed for this
        // driver, so the reader still sees which torch and CANN each torch_npu needs.
        let releases = catalog.torchNPU
            .filter { cann.isEmpty || cann.contains($0.cann) }
            .sorted { compareVersions(numericPrefix($0.torchNPU), numericPrefix($1.torchNPU)) > 0 }
            .map {
                TorchNPUChoice(
                    torchNPU: $0.torchNPU,
                    torch: $0.torch,
                    cann: $0.cann,
                    confirmed: $0.confirmed && pairingConfirmed && !cann.isEmpty
                )
            }
        var explanation = [
            "Ascend driver package \(driver) on \(host.ascendNPUCount) NPU(s): the image copies "
                + "the host's driver files, and torch_npu must match the CANN the image carries."
        ]
        if cann.isEmpty {
            explanation.append(
                "The catalog pairs no CANN version with driver \(driver): every torch_npu "
                    + "release is listed with the torch and CANN it needs, unconfirmed for this "
                    + "driver; check Ascend's compatibility table (version.info's "
                    + "compatible_version) before choosing CANN and torch_npu."
            )
        } else {
            explanation.append(
                "CANN for driver \(driver): \(cann.joined(separator: ", "))"
                    + (pairingConfirmed ? "." : " (pairing not confirmed by a source).")
            )
            if let first = releases.first {
                explanation.append(
                    "Newest torch_npu for it: \(first.torchNPU) with torch \(first.torch) (CANN "
                        + "\(first.cann))" + (first.confirmed ? "." : ", not confirmed.")
                )
            }
        }
        return AscendPlan(
            driverVersion: driver,
            npus: host.ascendNPUCount,
            cann: cann,
            torchNPU: releases,
            explanation: explanation
        )
    }

    /// `2.9.0.post6` → `2.9.0.6` for ordering.
    static func numericPrefix(_ version: String) -> String {
        version.replacingText(".post", with: ".")
    }
}
