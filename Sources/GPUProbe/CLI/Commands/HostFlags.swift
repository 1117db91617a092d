/// Where the host comes from: `--host` sources (none: probe this machine) and `--arch`.
public struct HostFlags: Equatable, Sendable {
    /// `--host SOURCE`, in order: a probe JSON or capture folder alone, or pastes that describe
    /// one host together; `-` is standard input.
    public var sources: [String] = []
    /// `--arch x86_64|aarch64`: the machine of a host built from pastes.
    public var architecture: String?

    /// A host input.
    public init(_ sources: [String] = [], architecture: String? = nil) {
        self.sources = sources
        self.architecture = architecture
    }

    static var host: Flag<Self> {
        .list(
            "--host",
            \.sources,
            .file("SOURCE"),
            "The host: a pasted nvidia-smi or npu-smi output (any form `parse` reads), and with it, "
                + "as more --host flags, the host's npu-smi info -m, lspci or Ascend version.info; or "
                + "a `gpuprobe capture` folder, or its probe JSON (`gpuprobe probe` on that host), "
                + "alone. - is standard input; without --host, this machine is probed."
        )
    }

    static var arch: Flag<Self> {
        .optional(
            "--arch",
            \.architecture,
            .choice(["x86_64", "aarch64"]),
            "The machine of a host built from pastes, which do not say it (default: aarch64 for "
                + "Grace and Jetson GPUs, else x86_64, and the plan says it assumed so).",
            expected: "x86_64 or aarch64"
        ) { ["x86_64", "aarch64"].contains($0) ? $0 : nil }
    }

    /// `--arch` without `--host`: a probe reads the machine from uname, which --arch would
    /// contradict or repeat.
    func validate(command: String) throws(UsageError) {
        if architecture != nil, sources.isEmpty {
            throw .notApplicable(flag: "--arch", command: "\(command) without --host")
        }
    }

    /// The host report from the sources, or from probing this machine; and where it came from.
    ///
    /// A SOURCE is a host report JSON or a `gpuprobe capture` folder (replayed), either of
    /// which describes the whole host and comes alone; or pasted tool outputs (`PastedHost`),
    /// one per kind, that describe one host together. What each is, is read from the content;
    /// a lone text that is none of them gets the JSON reader's error.
    func report(
        live: LiveFlags,
        _ context: CommandContext
    ) throws(CommandFailure) -> (report: HostReport, source: String) {
        guard !sources.isEmpty else {
            return (HostReportBuilder.build(live.snapshot()), "live")
        }
        if sources.filter({ $0 == "-" }).count > 1 {
            throw .usage("standard input (-) can be read once: pass it as one --host only")
        }
        var pastes: [PastedHost.Paste] = []
        var whole: (report: HostReport, source: String)?
        for path in sources {
            switch try Self.source(path, context) {
            case .whole(let report, let source): whole = (report, source)
            case .paste(let bytes):
                pastes.append(PastedHost.Paste(name: path == "-" ? "stdin" : path, bytes: bytes))
            }
        }
        if let (found, source) = whole {
            var report = found
            guard sources.count == 1 else {
                throw .input(
                    "'\(source)' describes the whole host: pass it as the only --host, or pass "
                        + "pasted tool outputs instead"
                )
            }
            if let architecture {
                guard report.host.architecture.map({ $0 == architecture }) ?? true else {
                    throw .input(
                        "--arch \(architecture) contradicts '\(source)', whose machine is "
                            + "\(report.host.architecture ?? "")"
                    )
                }
                report.host.architecture = architecture
            }
            return (report, source)
        }
        do {
            let report = try PastedHost.report(pastes, architecture: architecture)
            return (report, pastes.map(\.name).joined(separator: ","))
        } catch {
            if case .unrecognised = error, pastes.count == 1 {
                // A lone text that is nothing gpuprobe reads: most likely a broken report JSON.
                do {
                    _ = try HostReportDecoding.decode(pastes[0].bytes)
                } catch let json {
                    throw .input("'\(sources[0])': \(json.description)")
                }
            }
            throw .input(error.description)
        }
    }

    /// What one `--host` is: a whole host (a capture folder or a report JSON, which is an
    /// error when it does not decode) or the bytes of a paste.
    private enum Source {
        case whole(HostReport, source: String)
        case paste([UInt8])
    }

    private static func source(
        _ path: String,
        _ context: CommandContext
    ) throws(CommandFailure) -> Source {
        if path != "-", FileSystem.isFolder(path) {
            do {
                return .whole(
                    HostReportBuilder.build(try CaptureBundle.read(from: path)),
                    source: path
                )
            } catch {
                throw .input(error.description)
            }
        }
        // The bytes as read: decoding them to a String first would repair invalid UTF-8 to
        // U+FFFD, and the JSON parser must see (and refuse) it.
        let bytes = try context.read(path)
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard first == UInt8(ascii: "{") else { return .paste(bytes) }
        do {
            return .whole(
                try HostReportDecoding.decode(bytes),
                source: path == "-" ? "stdin" : path
            )
        } catch {
            throw .input("'\(path)': \(error.description)")
        }
    }
}
