/// Chooses, for an Ascend host, the CANN its driver supports and the torch + torch_npu for
/// that CANN.
///
/// The CANN comes first because it is what the driver constrains: Huawei's tables pair driver
/// (HDK) releases with CANN releases (`ascend_drivers`), and Ascend/pytorch's table pairs each
/// torch_npu with one CANN (`torch_npu`). Order of preference: a pairing in Huawei's own table
/// (the CANN release notes, Ascend's quick-install data), then a CANN its compatibility matrix
/// declares runs on the driver, then a pairing only a downstream install guide gives, then a
/// CANN paired with an older release of the same `X.Y` (inferred); newest CANN first within
/// each, and only a CANN for which the catalog has a torch_npu can be chosen.
public enum AscendMatcher {
    /// Decides; nil for hosts without Ascend NPUs or driver.
    public static func match(
        host: MatchHost,
        catalog: TorchCatalog,
        request: TorchRequest = TorchRequest()
    ) -> AscendPlan? {
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
        let family = host.ascendChipNames.lazy.compactMap(AscendFamily.of(name:)).first
        var explanation = [
            "Ascend driver \(driver) on \(host.ascendNPUCount) NPU(s)"
                + (family.map { " (\($0))" } ?? "") + ": the image copies the host's driver "
                + "files and carries a CANN the driver supports, and torch_npu must match that CANN."
        ]
        guard let release = AscendDriverRelease(driver) else {
            explanation.append(
                "Driver version \(driver) is not an Ascend release (X.Y.Z or X.Y.rcN, as "
                    + "version.info's Version= writes it): no CANN can be paired; every torch_npu "
                    + "release is listed with the CANN it needs."
            )
            return AscendPlan(
                driverVersion: driver,
                npus: host.ascendNPUCount,
                torchNPU: allReleases(catalog),
                explanation: explanation,
                chipFamily: family
            )
        }
        let options = candidates(release: release, family: family, catalog: catalog)
        return decide(
            Context(
                driver: driver,
                release: release,
                family: family,
                npus: host.ascendNPUCount,
                catalog: catalog,
                request: request
            ),
            options: options,
            explanation: explanation
        )
    }

    /// One CANN the driver may run, with the best evidence for it.
    struct Option {
        var cann: String
        var pairing: AscendChoice.Pairing
        var sources: [String]
        /// For `.inferred`: the older release the CANN is paired with.
        var via: String?
    }

    struct Context {
        let driver: String
        let release: AscendDriverRelease
        let family: String?
        let npus: Int
        let catalog: TorchCatalog
        let request: TorchRequest
    }

    /// The CANN versions the catalog relates to `release` on `family`, best first.
    static func candidates(
        release: AscendDriverRelease,
        family: String?,
        catalog: TorchCatalog
    ) -> [Option] {
        // A row for other chips does not apply; with the chip unknown every row does.
        let forChip = catalog.ascendDrivers.filter { row in
            guard let chips = row.chips, let family else { return true }
            return chips.contains(family)
        }
        var options = collect(forChip.filter { release.isCovered(by: $0.driverPrefix) })
        if options.isEmpty {
            // Nearest older release of the same X.Y that a source names.
            let older = forChip.compactMap {
                row -> (AscendDriverRelease, AscendDriverGeneration)? in
                guard let named = AscendDriverRelease(row.driverPrefix), named < release,
                    named.major == release.major, named.minor == release.minor
                else { return nil }
                return (named, row)
            }
            if let nearest = older.map(\.0).max() {
                options = collect(older.filter { $0.0 == nearest }.map(\.1)).map {
                    var option = $0
                    option.pairing = .inferred
                    option.via = nearest.description
                    return option
                }
            }
        }
        return options
    }

    private static func tier(_ pairing: AscendChoice.Pairing) -> Int {
        switch pairing {
        case .paired: return 0
        case .compatible: return 1
        case .secondary: return 2
        case .inferred: return 3
        case .pinned: return 4
        }
    }

    /// Merges rows into one option per CANN, keeping the strongest evidence, ordered by
    /// evidence and then newest CANN.
    private static func collect(_ rows: [AscendDriverGeneration]) -> [Option] {
        var best: [String: Option] = [:]
        for row in rows {
            let pairing: AscendChoice.Pairing =
                !row.confirmed
                ? .secondary : (row.relation ?? .paired) == .paired ? .paired : .compatible
            for cann in row.cann {
                if var known = best[cann] {
                    if tier(pairing) < tier(known.pairing) {
                        known.pairing = pairing
                        known.sources = row.sources
                    } else if pairing == known.pairing {
                        known.sources += row.sources.filter { !known.sources.contains($0) }
                    }
                    best[cann] = known
                } else {
                    best[cann] = Option(cann: cann, pairing: pairing, sources: row.sources)
                }
            }
        }
        return best.values.sorted {
            tier($0.pairing) != tier($1.pairing)
                ? tier($0.pairing) < tier($1.pairing)
                : CANNVersion.isNewer($0.cann, than: $1.cann)
        }
    }

    /// Why a torch_npu row does not fit the request; nil when it fits.
    private static func rejection(_ row: TorchNPURelease, _ request: TorchRequest) -> String? {
        if let pin = request.torch, row.torch != pin, !row.torch.hasPrefix(pin + ".") {
            return "torch \(row.torch), not the pinned \(pin)"
        }
        if let python = request.python, let range = row.python,
            compareVersions(python, range.min) < 0 || compareVersions(python, range.max) > 0
        {
            return "its wheels support Python \(range.min)–\(range.max), not \(python)"
        }
        return nil
    }

    private static func decide(
        _ context: Context,
        options found: [Option],
        explanation start: [String]
    ) -> AscendPlan {
        var explanation = start
        let catalog = context.catalog
        var options = found
        if let pin = context.request.cann {
            if let known = options.first(where: { $0.cann == pin }) {
                options = [known] + options.filter { $0.cann != pin }
            } else {
                options.insert(Option(cann: pin, pairing: .pinned, sources: []), at: 0)
            }
        }
        let rowsByCANN = Dictionary(grouping: catalog.torchNPU, by: \.cann).mapValues {
            $0.sorted {
                compareVersions(numericPrefix($0.torchNPU), numericPrefix($1.torchNPU)) > 0
            }
        }
        var chosen: (Option, TorchNPURelease)?
        var runnersUp: [AscendCandidate] = []
        for option in options {
            let rows = rowsByCANN[option.cann] ?? []
            let pinnedAway = context.request.cann.map { $0 != option.cann } ?? false
            if let current = chosen, current.0.cann != option.cann, !rows.isEmpty {
                // One line says why this CANN lost; its torch_npu rows then say only that.
                runnersUp.append(
                    AscendCandidate(
                        cann: option.cann,
                        reason: describe(option, context) + "; CANN \(current.0.cann) ranks first"
                    )
                )
            }
            if rows.isEmpty {
                runnersUp.append(
                    AscendCandidate(
                        cann: option.cann,
                        reason: describe(option, context) + "; the catalog has no torch_npu for it"
                    )
                )
                continue
            }
            for row in rows {
                var reason: String
                if pinnedAway {
                    reason = "CANN \(option.cann), not the pinned \(context.request.cann ?? "")"
                } else if let rejected = rejection(row, context.request) {
                    reason = rejected
                } else if let current = chosen {
                    reason =
                        current.0.cann == option.cann
                        ? "older than torch_npu \(current.1.torchNPU) for the same CANN"
                        : "for CANN \(option.cann), which lost to CANN \(current.0.cann)"
                } else {
                    chosen = (option, row)
                    continue
                }
                runnersUp.append(
                    AscendCandidate(
                        cann: option.cann,
                        torchNPU: row.torchNPU,
                        torch: row.torch,
                        reason: reason
                    )
                )
            }
        }
        let choice = chosen.map { option, row in
            AscendChoice(
                cann: option.cann,
                torch: row.torch,
                torchNPU: row.torchNPU,
                python: row.python,
                pairing: option.pairing,
                confirmed: option.pairing == .paired || option.pairing == .compatible
                    ? row.confirmed : false,
                sources: option.sources + row.sources.filter { !option.sources.contains($0) }
            )
        }
        if let choice, let option = chosen?.0 {
            explanation.append(
                "CANN \(choice.cann) for driver \(context.driver) (release \(context.release)): "
                    + describe(option, context) + "."
            )
            explanation.append(
                "torch \(choice.torch) with torch_npu \(choice.torchNPU), the newest "
                    + "torch_npu Ascend/pytorch pairs with CANN \(choice.cann)"
                    + (choice.python.map { "; Python \($0.min)–\($0.max)" } ?? "")
                    + (choice.confirmed ? "." : " (not confirmed for this driver).")
            )
        } else if options.isEmpty {
            explanation.append(
                "The catalog pairs no CANN version with driver \(context.driver) (release "
                    + "\(context.release)"
                    + (context.family.map { ", \($0)" } ?? "") + "): every torch_npu "
                    + "release is listed with the torch and CANN it needs, unconfirmed for this "
                    + "driver; check Ascend's release notes for the CANN your driver supports, "
                    + "then pass --cann VERSION."
            )
        } else {
            explanation.append(
                "No torch_npu fits: "
                    + (context.request.cann.map { "CANN \($0)" } ?? "the CANN versions for driver "
                        + context.driver)
                    + (context.request.torch.map { " with torch \($0)" } ?? "")
                    + (context.request.python.map { " on Python \($0)" } ?? "")
                    + " has no torch_npu in the catalog; change --cann, --torch or --python "
                    + "(the runners-up say what each CANN offers)."
            )
        }
        let shown = options.map(\.cann)
        let releases =
            (options.isEmpty
            ? catalog.torchNPU : catalog.torchNPU.filter { shown.contains($0.cann) })
            .sorted { compareVersions(numericPrefix($0.torchNPU), numericPrefix($1.torchNPU)) > 0 }
        let confirmedCANN = Set(
            options.filter { $0.pairing == .paired || $0.pairing == .compatible }.map(\.cann)
        )
        return AscendPlan(
            driverVersion: context.driver,
            npus: context.npus,
            cann: shown,
            torchNPU: releases.map {
                TorchNPUChoice(
                    torchNPU: $0.torchNPU,
                    torch: $0.torch,
                    cann: $0.cann,
                    confirmed: $0.confirmed && confirmedCANN.contains($0.cann)
                )
            },
            explanation: explanation,
            driverRelease: context.release.description,
            chipFamily: context.family,
            choice: choice,
            runnersUp: runnersUp
        )
    }

    /// What ties `option`'s CANN to the driver, naming the sources.
    static func describe(_ option: Option, _ context: Context) -> String {
        let cited = option.sources.compactMap { context.catalog.sources[$0] }
            .map { $0.split(separator: ":").first.map(String.init) ?? $0 }
        let by = cited.isEmpty ? "" : " (" + cited.joined(separator: "; ") + ")"
        switch option.pairing {
        case .paired:
            return "Huawei pairs CANN \(option.cann) with driver \(context.release)" + by
        case .compatible:
            return "CANN \(option.cann) is declared compatible with driver \(context.release), "
                + "not paired with it" + by
        case .secondary:
            return "only a secondary source pairs CANN \(option.cann) with driver "
                + "\(context.release)" + by
        case .inferred:
            return "no source names driver \(context.release); CANN \(option.cann) is paired with "
                + "the older \(option.via ?? "release") and newer drivers commonly run it, "
                + "unconfirmed" + by
        case .pinned:
            return "CANN \(option.cann) is pinned by --cann; no source pairs it with driver "
                + "\(context.release)"
        }
    }

    static func allReleases(_ catalog: TorchCatalog) -> [TorchNPUChoice] {
        catalog.torchNPU
            .sorted { compareVersions(numericPrefix($0.torchNPU), numericPrefix($1.torchNPU)) > 0 }
            .map {
                TorchNPUChoice(
                    torchNPU: $0.torchNPU,
                    torch: $0.torch,
                    cann: $0.cann,
                    confirmed: false
                )
            }
    }

    /// `2.9.0.post6` → `2.9.0.6` for ordering.
    static func numericPrefix(_ version: String) -> String {
        version.replacingText(".post", with: ".")
    }
}
