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

/// The host report from `--host SOURCE`, or from probing this machine; and where it came from.
///
/// SOURCE is a host report JSON, a `gpuprobe capture` folder (replayed), or a pasted
/// nvidia-smi or npu-smi output (`PastedHost`); `-` is standard input. What it is, is read
/// from the content; text that is none of them gets the JSON reader's error, as before.
func hostReport(_ path: String?, _ options: Options) -> (report: HostReport, source: String) {
    guard let path else {
        return (
            HostReportBuilder.build(LiveHost.snapshot(liveOptions(options, readConfig: false))),
            "live"
        )
    }
    var info = stat()
    if path != "-", stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
        do {
            return (HostReportBuilder.build(try CaptureBundle.read(from: path)), path)
        } catch {
            fail(error.description, .error)
        }
    }
    // The bytes as read: decoding them to a String first would repair invalid UTF-8 to
    // U+FFFD, and the JSON parser must see (and refuse) it.
    let bytes = readBytes(path)
    let source = path == "-" ? "stdin" : path
    do {
        return (try JSONOutput.decodeHostReport(bytes), source)
    } catch {
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first != UInt8(ascii: "{"), let pasted = PastedHost.report(bytes) {
            return (pasted, source)
        }
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
            pipIndexURL: match.pipIndexURL
        )
    )
    return Planned(plan: plan, report: report, notes: notes)
}
