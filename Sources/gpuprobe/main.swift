import GPUProbe

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Exit statuses; documented in `--help` and the README.
enum ExitStatus: Int32 {
    case success = 0
    case outputFailed = 1
    case inputUnreadable = 2
    case planIncomplete = 3
    case usage = 64
}

/// The most we read from a file or standard input for `parse`: real outputs are kilobytes.
let inputLimit = 64 << 20

func fail(_ message: String, _ status: ExitStatus) -> Never {
    writeAll(2, "gpuprobe: error: \(message)\n")
    exit(status.rawValue)
}

func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            exit(ExitStatus.outputFailed.rawValue)
        }
        bytes = bytes.dropFirst(count)
    }
}

/// Reads FILE or standard input ("-"), refusing more than `inputLimit` bytes.
func readInput(_ path: String) -> String {
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        fail(
            "cannot read '\(path)': \(String(cString: strerror(errno))); pass a readable file or - for standard input",
            .inputUnreadable
        )
    }
    defer { if fd != 0 { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            fail("cannot read '\(path)': \(String(cString: strerror(errno)))", .inputUnreadable)
        }
        if count == 0 { break }
        bytes += chunk[0..<count]
        if bytes.count > inputLimit {
            fail(
                "'\(path)' is larger than \(inputLimit >> 20) MiB; pass the tool's output, not a log of everything",
                .inputUnreadable
            )
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

func liveOptions(_ options: Options, readConfig: Bool) -> LiveHost.Options {
    var live = LiveHost.Options()
    live.timeout = options.timeout
    live.root = options.root
    live.toolSearchPath = options.toolPath
    live.readPCIConfig = readConfig
    if let sysfs = options.sysfsPath { live.pciSource = .sysfs(path: sysfs) }
    return live
}

func timestamp() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    writeAll(
        2,
        "gpuprobe: error: \(error)\n\(HelpText.usage)\nSee 'gpuprobe --help' for more information.\n"
    )
    exit(ExitStatus.usage.rawValue)
}

switch options.command {
case .help:
    writeAll(1, HelpText.full + "\n")
case .version:
    writeAll(1, "gpuprobe \(GPUProbeVersion.current) (schema \(HostReport.currentSchema))\n")
case .probe(let replay):
    let snapshot: HostSnapshot
    if let replay {
        do {
            snapshot = try CaptureBundle.read(from: replay)
        } catch {
            fail(error.description, .inputUnreadable)
        }
    } else {
        snapshot = LiveHost.snapshot(liveOptions(options, readConfig: false))
    }
    let report = HostReportBuilder.build(snapshot)
    writeAll(1, options.format == .json ? JSONOutput.render(report) : TextSummary.render(report))
case .capture(let directory, let force):
    let snapshot = LiveHost.snapshot(liveOptions(options, readConfig: true))
    do {
        try CaptureBundle.write(snapshot, to: directory, replace: force, createdAt: timestamp())
    } catch {
        fail(error.description, .outputFailed)
    }
    let report = HostReportBuilder.build(snapshot)
    writeAll(
        2,
        "gpuprobe: wrote \(directory); replay it with `gpuprobe probe --replay \(directory)`\n"
    )
    writeAll(1, options.format == .json ? JSONOutput.render(report) : TextSummary.render(report))
case .match(let match):
    let report: HostReport
    let hostSource: String
    if let path = match.host {
        hostSource = path == "-" ? "stdin" : path
        do {
            report = try JSONOutput.decodeHostReport(Array(readInput(path).utf8))
        } catch {
            fail("'\(path)': \(error.description)", .inputUnreadable)
        }
    } else {
        hostSource = "live"
        report = HostReportBuilder.build(LiveHost.snapshot(liveOptions(options, readConfig: false)))
    }
    let catalog: TorchCatalog
    if let path = match.catalog {
        do {
            catalog = try TorchCatalog.load(path: path)
        } catch {
            fail(error.description, .inputUnreadable)
        }
    } else {
        catalog = TorchCatalog.embedded
    }
    let drivers = match.drivers ?? "Drivers"
    var installers: [DriverInstaller] = []
    var notes: [String] = []
    do {
        let environment = ["XDG_CACHE_HOME", "HOME"].reduce(into: [String: String]()) {
            if let value = getenv($1) { $0[$1] = String(cString: value) }
        }
        let scan = try DriverFolder.scan(drivers, cache: DriverCache(environment: environment))
        installers = scan.installers
        notes = scan.notes
    } catch .missing where match.drivers == nil {
        // The default folder is optional: a host without NVIDIA GPUs needs no installer.
        notes.append("no Drivers folder here; pass --drivers DIR to match driver installers")
    } catch {
        fail(error.description, .inputUnreadable)
    }
    let plan = Matcher.plan(
        report: report,
        installers: installers,
        catalog: catalog,
        request: TorchRequest(
            python: match.python,
            torch: match.torch,
            pipIndexURL: match.pipIndexURL
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
    writeAll(1, options.format == .json ? JSONOutput.render(plan) : PlanText.render(plan))
    for note in notes { writeAll(2, "gpuprobe: note: \(note)\n") }
    exit(plan.complete ? ExitStatus.success.rawValue : ExitStatus.planIncomplete.rawValue)
case .parse(let tool, let input):
    let text = readInput(input)
    func emit<Section>(_ output: ParseOutput<Section>, _ summary: (ParseOutput<Section>) -> String)
    {
        writeAll(1, options.format == .json ? JSONOutput.render(output) : summary(output))
    }
    switch tool {
    case .nvidiaSMI: emit(NvidiaSMIParser.parse(text).output, ParseSummary.render)
    case .npuSMI: emit(NPUSMIParser.parse(text).output, ParseSummary.render)
    case .lspci: emit(LspciReader.read(text), ParseSummary.render)
    }
}
exit(ExitStatus.success.rawValue)
