/// The parsed command line.
///
/// `parse` is pure, so every flag combination is unit-tested.
public struct Options: Equatable, Sendable {
    /// What to do.
    public enum Command: Equatable, Sendable {
        /// Probe this host (or replay a capture) and print the report; with `--format nfd`,
        /// write node labels to `outputFile` instead of standard output when it is given
        /// (replacing a file gpuprobe did not write only with `force`).
        case probe(replay: String?, outputFile: String? = nil, force: Bool = false)
        /// Write everything a probe reads into a folder.
        case capture(directory: String, force: Bool)
        /// Parse a pasted tool output into its JSON section.
        case parse(tool: ParseTool, input: String)
        /// Pick the driver installer and PyTorch wheels for a host.
        case match(MatchOptions)
        /// Write the Dockerfile instructions the plan calls for.
        case dockerfile(DockerfileOptions)
        /// Print the `docker run` arguments for the host's accelerators.
        case runFlags(host: HostInput, devices: DeviceSelection)
        /// Copy the host's Ascend driver files into a build context.
        case stageAscend(context: String, force: Bool)
        /// Judge a Dockerfile against a host.
        case check(CheckOptions)
        /// Print the whole help text, or one command's (`gpuprobe help match`,
        /// `gpuprobe match --help`).
        case help(command: String? = nil)
        /// Print a shell completion script.
        case completions(Shell)
        /// Print the manual page (`gpuprobe help man`).
        case manual
        /// Print the version.
        case version
    }

    /// The tools whose output `parse` reads.
    public enum ParseTool: String, Equatable, Sendable, CaseIterable {
        /// nvidia-smi: table, CSV, -q, -q -x.
        case nvidiaSMI = "nvidia-smi"
        /// npu-smi info and info -m.
        case npuSMI = "npu-smi"
        /// lspci text forms, and -x dumps read through libpci.
        case lspci
    }

    /// The shells `completions` writes scripts for.
    public enum Shell: String, Equatable, Sendable, CaseIterable {
        /// bash, through `complete -F`.
        case bash
        /// zsh, a `#compdef` function.
        case zsh
        /// fish, `complete -c` lines.
        case fish
    }

    /// Output format.
    public enum Format: String, Equatable, Sendable, CaseIterable {
        /// Pretty JSON with sorted keys.
        case json
        /// A short summary for people.
        case text
        /// `probe` only: a node-feature-discovery local feature file (`name=value` labels).
        case nfd
    }

    /// What to do.
    public var command: Command
    /// Output format; nil means the command's default (JSON, but text for run-flags, check
    /// and stage-ascend, whose readers are people first).
    public var format: Format?
    /// Seconds each tool may run.
    public var timeout: Double = 10
    /// Prefix for files read (`--root`): a host's root mounted elsewhere, or a fake root.
    public var root: String = "/"
    /// Directories to search for tools instead of `$PATH` and the usual places.
    public var toolPath: [String]?
    /// libpci sysfs folder instead of the default.
    public var sysfsPath: String?

    /// Where the host comes from: `--host` sources (none: probe this machine) and `--arch`.
    public struct HostInput: Equatable, Sendable {
        /// `--host SOURCE`, in order: a probe JSON or capture folder alone, or pastes that
        /// describe one host together; `-` is standard input.
        public var sources: [String]
        /// `--arch x86_64|aarch64`: the machine of a host built from pastes.
        public var architecture: String?

        /// Creates a host input.
        public init(_ sources: [String] = [], architecture: String? = nil) {
            self.sources = sources
            self.architecture = architecture
        }
    }

    /// `match`'s own options.
    public struct MatchOptions: Equatable, Sendable {
        /// `--host` and `--arch`.
        public var host: HostInput
        /// `--drivers DIR`; nil means `Drivers` in the current folder, which may be absent.
        public var drivers: String?
        /// `--python X.Y`.
        public var python: String?
        /// `--torch VERSION`.
        public var torch: String?
        /// `--catalog FILE`; nil uses the catalog built in.
        public var catalog: String?
        /// `--pip-index-url URL`.
        public var pipIndexURL: String?
        /// `--cann VERSION`: the CANN an Ascend image carries (`8.1.RC1`).
        public var cann: String?

        /// Creates match options.
        public init(
            host: HostInput = HostInput(),
            drivers: String? = nil,
            python: String? = nil,
            torch: String? = nil,
            catalog: String? = nil,
            pipIndexURL: String? = nil
        ) {
            self.host = host
            self.drivers = drivers
            self.python = python
            self.torch = torch
            self.catalog = catalog
            self.pipIndexURL = pipIndexURL
        }
    }

    /// `dockerfile`'s own options.
    public struct DockerfileOptions: Equatable, Sendable {
        /// The plan's inputs, as for `match`.
        public var match: MatchOptions
        /// `--base IMAGE`.
        public var base: String?
        /// `-o FILE`; nil prints to standard output.
        public var output: String?
        /// `--force`: replace an existing `-o` file.
        public var force: Bool

        /// Creates dockerfile options.
        public init(
            match: MatchOptions = MatchOptions(),
            base: String? = nil,
            output: String? = nil,
            force: Bool = false
        ) {
            self.match = match
            self.base = base
            self.output = output
            self.force = force
        }
    }

    /// `check`'s own options.
    public struct CheckOptions: Equatable, Sendable {
        /// The Dockerfile to read (`-` for standard input).
        public var dockerfile: String
        /// `--host` and `--arch`.
        public var host: HostInput
        /// `--context DIR`; nil means the Dockerfile's folder.
        public var context: String?
        /// `--catalog FILE`.
        public var catalog: String?
        /// `--cuda-images FILE`; nil uses the table built in.
        public var cudaImages: String? = nil
        /// `--gpu-brands FILE`; nil uses the table built in.
        public var gpuBrands: String? = nil
        /// `--build-arg NAME=VALUE` and `--build-arg NAME`, in order (a later one of the same
        /// name wins, as in `docker build`).
        public var buildArguments: [BuildArgument] = []

        /// Creates check options.
        public init(
            dockerfile: String,
            host: HostInput = HostInput(),
            context: String? = nil,
            catalog: String? = nil,
            cudaImages: String? = nil,
            gpuBrands: String? = nil,
            buildArguments: [BuildArgument] = []
        ) {
            self.dockerfile = dockerfile
            self.host = host
            self.context = context
            self.catalog = catalog
            self.cudaImages = cudaImages
            self.gpuBrands = gpuBrands
            self.buildArguments = buildArguments
        }
    }

    /// One `--build-arg`: `NAME=VALUE`, or `NAME` alone, whose value `docker build` takes from
    /// its own environment (and which is not set when the environment lacks it).
    public struct BuildArgument: Equatable, Sendable {
        /// The `ARG` it sets.
        public var name: String
        /// The value; nil for `--build-arg NAME`, to be read from the environment.
        public var value: String?

        /// Creates a build argument.
        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }

        /// Reads `NAME=VALUE` or `NAME`; nil when NAME is not a name an `ARG` can be used by
        /// (letters, digits and `_`, not starting with a digit).
        ///
        /// - Parameter text: the flag's value.
        public init?(_ text: String) {
            let name: Substring
            if let equals = text.firstIndex(of: "=") {
                name = text[..<equals]
                value = String(text[text.index(after: equals)...])
            } else {
                name = text[...]
                value = nil
            }
            guard let first = name.utf8.first,
                first == 0x5F || (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first),
                name.utf8.allSatisfy({
                    $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                        || (0x61...0x7A).contains($0)
                })
            else { return nil }
            self.name = String(name)
        }

        /// The values `check` uses: the last of each name; `NAME` alone from `environment`, and
        /// left out when the environment lacks it, as `docker build` does.
        ///
        /// - Parameters:
        ///   - arguments: the flags in order.
        ///   - environment: looks a variable up.
        /// - Returns: the build arguments.
        public static func values(
            _ arguments: [BuildArgument],
            environment: (String) -> String?
        ) -> [String: String] {
            var result: [String: String] = [:]
            for argument in arguments {
                result[argument.name] = argument.value ?? environment(argument.name)
            }
            return result
        }
    }

    /// Every command, and every spelling of every flag it takes (`--format` included, where
    /// it applies), from ``CommandSpec/all``: the table help and completions are made from.
    static let commandFlags: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: CommandSpec.all.map { spec in
            (spec.name, Set(spec.flags.flatMap(\.names)))
        }
    )

    /// Parses arguments (without the program name).
    ///
    /// - Parameter arguments: `CommandLine.arguments.dropFirst()`.
    /// - Returns: the options.
    /// - Throws: ``UsageError`` naming the bad argument.
    public static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var command: String?
        return try parse(arguments, command: &command)
    }

    /// ``parse(_:)``, saying which command it had reached, for the usage a failure shows.
    ///
    /// - Parameters:
    ///   - arguments: `CommandLine.arguments.dropFirst()`.
    ///   - command: set to the command word read before returning or failing; nil when none
    ///     was (the line is `probe`'s, or failed before its command).
    /// - Returns: the options.
    /// - Throws: ``UsageError`` naming the bad argument.
    public static func parse(
        _ arguments: [String],
        command: inout String?
    ) throws(UsageError) -> Options {
        var args = arguments[...]
        var options = Options(command: .probe(replay: nil))
        var verb: String?
        defer { command = verb }
        var positional: [String] = []
        var replay: String?
        var force = false
        var match = MatchOptions()
        var base: String?
        var output: String?
        var outputFile: String?
        var devices = DeviceSelection.all
        var context: String?
        var cudaImages: String?
        var gpuBrands: String?
        var buildArguments: [BuildArgument] = []
        var seen: [String] = []

        var inline: String?
        func value(_ flag: String) throws(UsageError) -> String {
            if let given = inline {
                inline = nil
                return given
            }
            guard let next = args.popFirst() else { throw .missingValue(flag: flag) }
            return next
        }

        while let arg = args.popFirst() {
            var flag = arg
            inline = nil
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                flag = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if flag.hasPrefix("-"), flag != "-" { seen.append(flag) }
            switch flag {
            case "-h", "--help":
                // The command's own help: the verb before it, else the word right after it
                // (`gpuprobe --help match`); the rest of the line is not checked.
                let next = args.first.flatMap { commandFlags[$0] == nil ? nil : $0 }
                return Options(command: .help(command: verb ?? next))
            case "-V", "--version":
                return Options(command: .version)
            case "--format":
                let text = try value(flag)
                guard let format = Format(rawValue: text) else {
                    throw .badValue(flag: flag, value: text, expected: "json, text or nfd")
                }
                options.format = format
            case "--timeout":
                let text = try value(flag)
                guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                    throw .badValue(
                        flag: flag,
                        value: text,
                        expected: "seconds, more than 0 and at most 3600"
                    )
                }
                options.timeout = seconds
            case "--replay":
                replay = try value(flag)
            case "--root":
                options.root = try value(flag)
            case "--tool-path":
                options.toolPath = try value(flag).split(separator: ":").map(String.init)
            case "--sysfs":
                options.sysfsPath = try value(flag)
            case "--force":
                force = true
            case "--host":
                match.host.sources.append(try value(flag))
            case "--arch":
                let text = try value(flag)
                guard ["x86_64", "aarch64"].contains(text) else {
                    throw .badValue(flag: flag, value: text, expected: "x86_64 or aarch64")
                }
                match.host.architecture = text
            case "--drivers":
                match.drivers = try value(flag)
            case "--catalog":
                match.catalog = try value(flag)
            case "--python":
                let text = try value(flag)
                guard TorchRequest.isPythonVersion(text) else {
                    throw .badValue(flag: flag, value: text, expected: "a version such as 3.11")
                }
                match.python = text
            case "--torch":
                let text = try value(flag)
                guard TorchRequest.isTorchVersion(text) else {
                    throw .badValue(
                        flag: flag,
                        value: text,
                        expected: "a version such as 2.7.1 or 2.7"
                    )
                }
                match.torch = text
            case "--cann":
                let text = try value(flag)
                guard let version = TorchRequest.cannVersion(text) else {
                    throw .badValue(
                        flag: flag,
                        value: text,
                        expected: "a CANN version such as 8.1.RC1 or 9.0.0"
                    )
                }
                match.cann = version
            case "--pip-index-url":
                let text = try value(flag)
                guard TorchRequest.isSafeIndexURL(text) else {
                    throw .badValue(
                        flag: flag,
                        value: text,
                        expected: "an http(s) URL of letters, digits and ._~:/%+=@- "
                            + "({variant} is replaced by the variant, for example cu124)"
                    )
                }
                match.pipIndexURL = text
            case "--base":
                base = try value(flag)
            case "-o", "--output":
                output = try value(flag)
            case "--output-file":
                outputFile = try value(flag)
            case "--context":
                context = try value(flag)
            case "--cuda-images":
                cudaImages = try value(flag)
            case "--gpu-brands":
                gpuBrands = try value(flag)
            case "--build-arg":
                let text = try value(flag)
                guard let argument = BuildArgument(text) else {
                    throw .badValue(
                        flag: flag,
                        value: text,
                        expected: "NAME=VALUE or NAME, NAME of letters, digits and _"
                    )
                }
                buildArguments.append(argument)
            case "--devices":
                let text = try value(flag)
                guard let selection = DeviceSelection(text) else {
                    throw .badValue(
                        flag: flag,
                        value: text,
                        expected: "all, or indices such as 0 or 0,1"
                    )
                }
                devices = selection
            case "-":
                positional.append(arg)
            default:
                if arg.hasPrefix("-") { throw .unknownOption(flag) }
                if verb == nil, positional.isEmpty, commandFlags[arg] != nil {
                    verb = arg
                } else {
                    positional.append(arg)
                }
            }
            if inline != nil { throw .unexpectedValue(flag: flag) }
        }

        let command = verb ?? "probe"
        let allowed = commandFlags[command] ?? []
        if let flag = seen.first(where: { !allowed.contains($0) }) {
            throw .notApplicable(flag: flag, command: command)
        }
        if match.host.architecture != nil, match.host.sources.isEmpty {
            // A probe reads the machine from uname: --arch would contradict or repeat it.
            throw .notApplicable(flag: "--arch", command: "\(command) without --host")
        }
        if let format = options.format,
            CommandSpec.named(command)?.formats.contains(format.rawValue) != true
        {
            throw .notApplicable(flag: "--format \(format.rawValue)", command: command)
        }
        func noPositional() throws(UsageError) {
            if let first = positional.first { throw .unexpectedArgument(first) }
        }

        switch command {
        case "capture":
            guard positional.count == 1 else {
                throw positional.isEmpty
                    ? .missingArgument("the folder to write, as in `gpuprobe capture DIR`")
                    : .unexpectedArgument(positional[1])
            }
            options.command = .capture(directory: positional[0], force: force)
        case "parse":
            guard let first = positional.first else {
                throw .missingArgument("the tool, one of nvidia-smi, npu-smi, lspci")
            }
            guard let tool = ParseTool(rawValue: first) else {
                throw .badValue(
                    flag: "parse",
                    value: first,
                    expected: "nvidia-smi, npu-smi or lspci"
                )
            }
            guard positional.count <= 2 else { throw .unexpectedArgument(positional[2]) }
            options.command = .parse(tool: tool, input: positional.count == 2 ? positional[1] : "-")
        case "match":
            try noPositional()
            options.command = .match(match)
        case "help":
            guard positional.count <= 1 else { throw .unexpectedArgument(positional[1]) }
            if let first = positional.first, first != "man", commandFlags[first] == nil {
                throw .badValue(
                    flag: "help",
                    value: first,
                    expected: "a command ("
                        + CommandSpec.all.map(\.name).joined(separator: ", ") + ") or man"
                )
            }
            options.command =
                positional.first == "man" ? .manual : .help(command: positional.first)
        case "completions":
            guard let first = positional.first else {
                throw .missingArgument("the shell, one of bash, zsh, fish")
            }
            guard let shell = Shell(rawValue: first) else {
                throw .badValue(flag: "completions", value: first, expected: "bash, zsh or fish")
            }
            guard positional.count == 1 else { throw .unexpectedArgument(positional[1]) }
            options.command = .completions(shell)
        case "dockerfile":
            try noPositional()
            // `-o -` is standard output, as for every other file argument here.
            if output == "-" { output = nil }
            if force, output == nil {
                throw .notApplicable(flag: "--force", command: "dockerfile without -o")
            }
            options.command = .dockerfile(
                DockerfileOptions(match: match, base: base, output: output, force: force)
            )
        case "run-flags":
            try noPositional()
            options.command = .runFlags(host: match.host, devices: devices)
        case "stage-ascend":
            try noPositional()
            guard let context else {
                throw .missingArgument("--context DIR, the build context to copy into")
            }
            options.command = .stageAscend(context: context, force: force)
        case "check":
            guard positional.count == 1 else {
                throw positional.isEmpty
                    ? .missingArgument("the Dockerfile, as in `gpuprobe check Dockerfile`")
                    : .unexpectedArgument(positional[1])
            }
            options.command = .check(
                CheckOptions(
                    dockerfile: positional[0],
                    host: match.host,
                    context: context,
                    catalog: match.catalog,
                    cudaImages: cudaImages,
                    gpuBrands: gpuBrands,
                    buildArguments: buildArguments
                )
            )
        default:
            try noPositional()
            if outputFile != nil, options.format != .nfd {
                throw .notApplicable(flag: "--output-file", command: "probe without --format nfd")
            }
            if force, outputFile == nil || outputFile == "-" {
                throw .notApplicable(flag: "--force", command: "probe without --output-file")
            }
            options.command = .probe(
                replay: replay,
                outputFile: outputFile == "-" ? nil : outputFile,
                force: force
            )
        }
        return options
    }
}

/// A command line we cannot run; printed as `gpuprobe: error: <description>` with exit 64.
public enum UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option we do not know.
    case unknownOption(String)
    /// An option that needs a value came last.
    case missingValue(flag: String)
    /// An option's value is not acceptable.
    case badValue(flag: String, value: String, expected: String)
    /// `--flag=value` for a flag that takes no value.
    case unexpectedValue(flag: String)
    /// A required argument is missing.
    case missingArgument(String)
    /// An argument nobody asked for.
    case unexpectedArgument(String)
    /// An option that does not apply to this command.
    case notApplicable(flag: String, command: String)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .unknownOption(let option):
            "unknown option '\(option)'"
        case .missingValue(let flag):
            "\(flag) needs a value"
        case .badValue(let flag, let value, let expected):
            "'\(value)' is not valid for \(flag); expected \(expected)"
        case .unexpectedValue(let flag):
            "\(flag) takes no value"
        case .missingArgument(let what):
            "missing \(what)"
        case .unexpectedArgument(let argument):
            "unexpected argument '\(argument)'"
        case .notApplicable(let flag, let command):
            "\(flag) does not apply to '\(command)'"
        }
    }
}
