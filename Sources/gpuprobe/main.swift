import GPUProbe

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// First, before any file is opened: see closedStreams.
_ = closedStreams
// Then, before any thread starts: see Interruption.install.
Interruption.install { signal, removed in
    let name = Interruption.name(of: signal)
    let what =
        removed.isEmpty ? "" : "; removed " + removed.map { "'\($0)'" }.joined(separator: ", ")
    writeAll(2, "gpuprobe: interrupted by \(name)\(what); nothing was left half written\n")
}

let options: Options
let arguments = Array(CommandLine.arguments.dropFirst())
var command: String?
do {
    options = try Options.parse(arguments, command: &command)
} catch {
    let usage = HelpText.usage(for: command)
    writeAll(2, "gpuprobe: error: \(TerminalText.line(error.description))\n\(usage)")
    exit(ExitStatus.usage.rawValue)
}

/// JSON unless the command says otherwise.
let json = (options.format ?? .json) == .json
/// Text unless --format json.
let jsonAsked = options.format == .json

switch options.command {
case .help(let command):
    writeAll(1, command.map(HelpText.command) ?? HelpText.full + "\n")
case .manual:
    writeAll(1, ManPage.render())
case .completions(let shell):
    writeAll(1, Completions.script(for: shell))
case .version:
    writeAll(1, "gpuprobe \(GPUProbeVersion.current) (schema \(HostReport.currentSchema))\n")
case .probe(let replay, let outputFile, let force):
    let snapshot: HostSnapshot
    if let replay {
        do {
            snapshot = try CaptureBundle.read(from: replay)
        } catch {
            fail(error.description, .error)
        }
    } else {
        snapshot = LiveHost.snapshot(liveOptions(options, readConfig: false))
    }
    let report = HostReportBuilder.build(snapshot)
    if options.format == .nfd {
        let labels = NFDLabels.make(report)
        if let outputFile {
            do {
                try NFDFileWriter.write(labels, to: outputFile, force: force)
            } catch {
                fail(error.description, .error)
            }
            writeAll(2, "gpuprobe: wrote \(outputFile) (\(labels.labels.count) labels)\n")
        } else {
            writeAll(1, labels.text)
        }
    } else {
        writeAll(
            1,
            json ? JSONOutput.render(report) : TerminalText.visible(TextSummary.render(report))
        )
    }
case .capture(let directory, let force):
    let snapshot = LiveHost.snapshot(liveOptions(options, readConfig: true))
    do {
        try CaptureBundle.write(snapshot, to: directory, replace: force, createdAt: timestamp())
    } catch {
        fail(error.description, .error)
    }
    let report = HostReportBuilder.build(snapshot)
    writeAll(
        2,
        "gpuprobe: wrote \(directory); replay it with `gpuprobe probe --replay \(directory)`\n"
    )
    writeAll(1, json ? JSONOutput.render(report) : TerminalText.visible(TextSummary.render(report)))
case .match(let match):
    let planned = makePlan(match, options)
    writeAll(
        1,
        json ? JSONOutput.render(planned.plan) : TerminalText.visible(PlanText.render(planned.plan))
    )
    for text in planned.notes { note(text) }
    exit(planned.plan.complete ? ExitStatus.success.rawValue : ExitStatus.planIncomplete.rawValue)
case .dockerfile(let request):
    let planned = makePlan(request.match, options)
    for text in planned.notes { note(text) }
    var installerPath: String?
    var folderFiles: [String] = []
    let folder = request.match.drivers ?? "Drivers"
    do {
        if let chosen = planned.plan.driver.chosen {
            installerPath = try ContextFolder.installerPath(
                folder: folder,
                installer: chosen,
                context: currentDirectory()
            )
        }
        if planned.plan.ascend?.choice != nil {
            folderFiles = try ContextFolder.cannPackagePaths(
                folder: folder,
                context: currentDirectory()
            )
        }
    } catch {
        fail(error.description, .error)
    }
    let emitted: EmittedDockerfile
    do {
        emitted = try DockerfileEmitter.emit(
            plan: planned.plan,
            report: planned.report,
            request: DockerfileRequest(
                base: request.base,
                installerPath: installerPath,
                folderFiles: folderFiles
            )
        )
    } catch {
        switch error {
        case .unsafe: fail(error.description, .error)
        default: fail(error.description, .planIncomplete)
        }
    }
    for warning in emitted.warnings { warn(warning) }
    if let output = request.output {
        do {
            try AtomicFile.write(Array(emitted.text.utf8), to: output, replace: request.force)
        } catch {
            fail(error.description, .error)
        }
        writeAll(2, "gpuprobe: wrote \(output)\n")
    } else {
        writeAll(1, emitted.text)
    }
case .runFlags(let host, let devices):
    let (report, _) = hostReport(host, options)
    let flags: RunFlags
    do {
        flags = try RunFlagsBuilder.build(report: report, selection: devices)
    } catch {
        switch error {
        case .unknownDevice: fail(error.description, .usage)
        default: fail(error.description, .planIncomplete)
        }
    }
    if jsonAsked {
        writeAll(1, JSONOutput.render(flags))
    } else {
        writeAll(1, flags.shellLine + "\n")
        for text in flags.notes { note(text) }
        note("check inside the container with: " + flags.checkCommands.joined(separator: "; "))
    }
case .stageAscend(let context, let force):
    let staged: StageReport
    do {
        staged = try AscendStager.stage(root: options.root, context: context, force: force)
    } catch {
        fail(error.description, .error)
    }
    writeAll(
        1,
        jsonAsked ? JSONOutput.render(staged) : TerminalText.visible(StageText.render(staged))
    )
case .check(let request):
    let bytes = readBytes(request.dockerfile)
    let (report, _) = hostReport(request.host, options)
    let catalog = torchCatalog(request.catalog)
    let (cudaImages, gpuBrands) = checkTables(request)
    let folder: String
    if let context = request.context {
        folder = context
    } else if request.dockerfile != "-", let slash = request.dockerfile.lastIndex(of: "/") {
        folder = slash == request.dockerfile.startIndex ? "/" : String(request.dockerfile[..<slash])
    } else {
        folder = "."
    }
    let path = request.dockerfile == "-" ? "stdin" : request.dockerfile
    let context: BuildContext
    do {
        context = try BuildContext(directory: folder)
    } catch {
        fail(error.description, .error)
    }
    let checked: CheckReport
    do {
        // A Dockerfile that is not UTF-8 text is refused, not repaired: the repair would judge
        // different bytes from the ones docker build reads.
        checked = try DockerfileChecker.check(
            dockerfile: DockerfileChecker.text(from: bytes, path: path),
            path: path,
            report: report,
            catalog: catalog,
            context: context,
            buildArguments: Options.BuildArgument.values(request.buildArguments) { name in
                getenv(name).map { String(cString: $0) }
            },
            cudaImages: cudaImages,
            gpuBrands: gpuBrands
        )
    } catch {
        fail(error.description, .error)
    }
    writeAll(
        1,
        jsonAsked ? JSONOutput.render(checked) : TerminalText.visible(CheckText.render(checked))
    )
    exit(checked.compatible ? ExitStatus.success.rawValue : ExitStatus.incompatible.rawValue)
case .parse(let tool, let input):
    let text = readInput(input)
    func emit<Section>(_ output: ParseOutput<Section>, _ summary: (ParseOutput<Section>) -> String)
    {
        writeAll(1, json ? JSONOutput.render(output) : TerminalText.visible(summary(output)))
    }
    switch tool {
    case .nvidiaSMI: emit(NvidiaSMIParser.parse(text).output, ParseSummary.render)
    case .npuSMI: emit(NPUSMIParser.parse(text).output, ParseSummary.render)
    case .lspci: emit(LspciReader.read(text), ParseSummary.render)
    }
}
exit(ExitStatus.success.rawValue)
