import GPUProbe

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func liveOptions(_ options: Options, readConfig: Bool) -> LiveHost.Options {
    var live = LiveHost.Options()
    live.timeout = options.timeout
    live.root = options.root
    live.toolSearchPath = options.toolPath
    live.readPCIConfig = readConfig
    if let sysfs = options.sysfsPath { live.pciSource = .sysfs(path: sysfs) }
    return live
}

/// The host report from `--host SOURCE`..., or from probing this machine; and where it came
/// from.
///
/// A SOURCE is a host report JSON or a `gpuprobe capture` folder (replayed), either of which
/// describes the whole host and comes alone; or pasted tool outputs (`PastedHost`), one per
/// kind, that describe one host together. `-` is standard input. What each is, is read from
/// the content; a lone text that is none of them gets the JSON reader's error, as before.
func hostReport(_ input: Options.HostInput, _ options: Options) -> (
    report: HostReport, source: String
) {
    guard !input.sources.isEmpty else {
        return (
            HostReportBuilder.build(LiveHost.snapshot(liveOptions(options, readConfig: false))),
            "live"
        )
    }
    if input.sources.filter({ $0 == "-" }).count > 1 {
        fail("standard input (-) can be read once: pass it as one --host only", .usage)
    }
    var pastes: [PastedHost.Paste] = []
    var whole: (report: HostReport, source: String)?
    for path in input.sources {
        switch hostSource(path) {
        case .whole(let report, let source): whole = (report, source)
        case .paste(let bytes):
            pastes.append(PastedHost.Paste(name: path == "-" ? "stdin" : path, bytes: bytes))
        }
    }
    if let (found, source) = whole {
        var report = found
        guard input.sources.count == 1 else {
            fail(
                "'\(source)' describes the whole host: pass it as the only --host, or pass "
                    + "pasted tool outputs instead",
                .error
            )
        }
        if let architecture = input.architecture {
            guard report.host.architecture.map({ $0 == architecture }) ?? true else {
                fail(
                    "--arch \(architecture) contradicts '\(source)', whose machine is "
                        + "\(report.host.architecture ?? "")",
                    .error
                )
            }
            report.host.architecture = architecture
        }
        return (report, source)
    }
    do {
        let report = try PastedHost.report(pastes, architecture: input.architecture)
        return (report, pastes.map(\.name).joined(separator: ","))
    } catch {
        if case .unrecognised = error, pastes.count == 1 {
            // A lone text that is nothing gpuprobe reads: most likely a broken report JSON.
            do {
                _ = try JSONOutput.decodeHostReport(pastes[0].bytes)
            } catch let json {
                fail("'\(input.sources[0])': \(json.description)", .error)
            }
        }
        fail(error.description, .error)
    }
}

/// What one `--host` is: a whole host (a capture folder or a report JSON, which is an error
/// when it does not decode) or the bytes of a paste.
private enum HostSource {
    case whole(HostReport, source: String)
    case paste([UInt8])
}

private func hostSource(_ path: String) -> HostSource {
    var info = stat()
    if path != "-", stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
        do {
            return .whole(HostReportBuilder.build(try CaptureBundle.read(from: path)), source: path)
        } catch {
            fail(error.description, .error)
        }
    }
    // The bytes as read: decoding them to a String first would repair invalid UTF-8 to
    // U+FFFD, and the JSON parser must see (and refuse) it.
    let bytes = readBytes(path)
    let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    guard first == UInt8(ascii: "{") else { return .paste(bytes) }
    do {
        return .whole(try JSONOutput.decodeHostReport(bytes), source: path == "-" ? "stdin" : path)
    } catch {
        fail("'\(path)': \(error.description)", .error)
    }
}

func torchCatalog(_ path: String?) -> TorchCatalog {
    guard let path else { return TorchCatalog.embedded }
    do {
        return try TorchCatalog.load(path: path)
    } catch {
        fail(error.description, .error)
    }
}

/// `check`'s image and brand tables: the files given, else the ones built in.
func checkTables(_ request: Options.CheckOptions) -> (CUDAImageTable, GPUBrandTable) {
    do {
        let images = try request.cudaImages.map(CUDAImageTable.load(path:)) ?? .embedded
        let brands = try request.gpuBrands.map(GPUBrandTable.load(path:)) ?? .embedded
        return (images, brands)
    } catch {
        fail(error.description, .error)
    }
}

/// What `match` and `dockerfile` decide from.
struct Planned {
    var plan: Plan
    var report: HostReport
    var notes: [String]
}

func makePlan(_ match: Options.MatchOptions, _ options: Options) -> Planned {
    let (report, hostSource) = hostReport(match.host, options)
    let catalog = torchCatalog(match.catalog)
    let drivers = match.drivers ?? "Drivers"
    var installers: [DriverInstaller] = []
    var notes: [String] = []
    do {
        let environment = ["XDG_CACHE_HOME", "HOME"].reduce(into: [String: String]()) {
            if let value = getenv($1) { $0[$1] = String(cString: value) }
        }
        let cache = DriverCache(environment: environment)
        let scan = try DriverFolder.scan(drivers, cache: cache)
        installers = scan.installers
        notes = (cache == nil ? [DriverCache.unavailableNote] : []) + scan.notes
    } catch .missing where match.drivers == nil {
        // The default folder is optional: a host without NVIDIA GPUs needs no installer.
        notes.append("no Drivers folder here; pass --drivers DIR to match driver installers")
    } catch {
        fail(error.description, .error)
    }
    let plan = Matcher.plan(
        report: report,
        installers: installers,
        catalog: catalog,
        request: TorchRequest(
            python: match.python,
            torch: match.torch,
            pipIndexURL: match.pipIndexURL,
            cann: match.cann
        ),
        inputs: PlanInputs(
            host: hostSource,
            drivers: drivers,
            catalog: match.catalog ?? "embedded",
            catalogUpdated: catalog.updated,
            python: match.python,
            torch: match.torch,
            pipIndexURL: match.pipIndexURL,
            cann: match.cann
        )
    )
    return Planned(plan: plan, report: report, notes: notes)
}
