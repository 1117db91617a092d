/// Walks the instructions in order, keeping what the builder keeps (global and per-stage
/// `ARG`s, `ENV`, `WORKDIR`, `SHELL`, stage names) and recording the facts the judges need.
///
/// Expansion follows the builder: `FROM` sees only the `ARG`s before the first `FROM`; a
/// stage sees its own `ARG`s (a bare `ARG NAME` takes the global default) and `ENV`s, and
/// inherits `ENV`, `WORKDIR` and `SHELL` from a stage it is built `FROM`; `ENV` wins over
/// `ARG`; one `ENV` line expands all its values with the values from before it. `RUN` lines
/// are read as their shell reads them, with the same values in the environment.
enum DockerfileWalker {
    /// The environment variables that choose package indexes, recorded with each command.
    static let indexVariables: Set<String> = [
        "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "UV_INDEX_URL",
        "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_FIND_LINKS",
        "UV_TORCH_BACKEND",
    ]

    /// How deep `sh -c "bash -c '...'"` is followed.
    static let maximumNesting = 3

    /// The most simple commands kept for judging.
    ///
    /// Each is kept with its words and environment for the judges, about 180 bytes: 16 MiB of
    /// `RUN a && a && ...` (3.2 million commands) took 580 MB and 19 s. Real Dockerfiles run
    /// hundreds; the 10 MB ones `CheckReportTests` judges whole run 60,000.
    static let commandLimit = 200_000

    /// The arguments the builder sets from the platform (moby/buildkit
    /// `frontend/dockerfile/dockerfile2llb`).
    static let platformArguments = [
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS",
        "BUILDARCH", "BUILDVARIANT",
    ]

    /// The build arguments the builder takes without an `ARG` (moby/buildkit
    /// `frontend/dockerfile/dockerfile2llb`, the proxy variables of the Dockerfile reference's
    /// "Predefined ARGs").
    static let predefinedArguments: Set<String> = [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ]

    /// Reads the facts.
    ///
    /// - Parameters:
    ///   - parsed: the parsed Dockerfile.
    ///   - machine: the host's `uname -m`, for `TARGETARCH` and friends; nil when unknown.
    ///   - buildArguments: `--build-arg NAME=VALUE` values: each replaces the default of every
    ///     `ARG NAME`, as `docker build` does; one that no `ARG` declares changes nothing.
    /// - Returns: the facts, with notes about what could not be resolved.
    static func read(
        _ parsed: DockerfileParser.Parsed,
        machine: String?,
        buildArguments: [String: String] = [:]
    ) -> BuildFacts {
        var walk = Walk(escape: parsed.escape, machine: machine, buildArguments: buildArguments)
        for instruction in parsed.instructions {
            walk.visit(instruction)
        }
        walk.closeStage()
        let unused = buildArguments.keys.filter {
            !walk.facts.origins.declared.contains($0) && !predefinedArguments.contains($0)
        }
        let line = parsed.instructions.first?.line ?? 1
        for name in unused.sorted() {
            walk.facts.findings.append(
                Finding(
                    line: line,
                    severity: .note,
                    kind: .buildArgUnused,
                    message: "--build-arg \(name) changes nothing: no ARG \(name) in this "
                        + "Dockerfile declares it (docker build warns that it was not consumed)",
                    fix: "declare ARG \(name) where the value is used, or drop the --build-arg"
                )
            )
        }
        return walk.facts
    }
}

private struct Walk {
    let escape: UInt8
    let budget = ExpansionBudget()
    /// The platform arguments the builder predefines (`TARGETARCH`...).
    let platform: [String: String]
    /// `--build-arg` values.
    let buildArguments: [String: String]
    /// The names the current stage's `ARG`s declare.
    var stageArguments: Set<String> = []
    var facts = BuildFacts()
    var globalArgs: [String: String] = [:]
    var stage: Int?
    /// `ARG`s and `ENV`s of the current stage, `ENV` winning.
    var variables: Variables = [:]
    var environment: [String: String] = [:]
    var environmentLines: [String: Int] = [:]
    /// `ENV` keys whose value holds an unknown part (`PATH=/x:$PATH`): they expand to the
    /// known part and are reported as unresolved (see ``Variables``).
    var uncertain: Set<String> = []
    var uncertainByStage: [Int: Set<String>] = [:]
    var shell = ["/bin/sh", "-c"]
    var workdir = "/"
    var shells: [Int: [String]] = [:]
    /// `AS` names to stage indexes (a later stage of the same name wins, as in the builder).
    var stageNames: [String: Int] = [:]
    var workdirs: [Int: String] = [:]
    /// `FROM <stage>` copies the parent's `ENV`; a file with thousands of stages each
    /// inheriting thousands of variables would make that quadratic, so it is bounded.
    var inheritanceLeft = 1 << 20

    init(escape: UInt8, machine: String?, buildArguments: [String: String]) {
        self.escape = escape
        self.buildArguments = buildArguments
        var platform: [String: String] = [:]
        let arch: String? =
            switch machine {
            case "x86_64": "amd64"
            case "aarch64", "arm64": "arm64"
            default: nil
            }
        if let arch {
            for prefix in ["TARGET", "BUILD"] {
                platform[prefix + "ARCH"] = arch
                platform[prefix + "OS"] = "linux"
                platform[prefix + "PLATFORM"] = "linux/" + arch
            }
        }
        self.platform = platform
        globalArgs = platform
    }

    mutating func process(_ word: String, _ values: [String: String]? = nil) -> Expanded {
        DockerWords.process(
            word,
            variables: values.map { Variables($0) } ?? variables,
            escape: escape,
            budget: budget
        )
    }

    mutating func note(_ line: Int, _ names: [String], _ what: String) {
        if let finding = Finding.unresolved(
            line: line,
            names: names,
            what: what,
            origins: facts.origins
        ) {
            facts.findings.append(finding)
        }
    }

    /// The `--build-arg` value for `name`; the platform arguments come from the host.
    func given(_ name: String) -> String? {
        platform[name] == nil ? buildArguments[name] : nil
    }

    mutating func visit(_ instruction: Instruction) {
        switch instruction.keyword {
        case "FROM": from(instruction)
        case "ARG": arg(instruction)
        case "ENV": env(instruction)
        case "WORKDIR":
            guard stage != nil else { return }
            let path = process(String(instruction.arguments))
            workdir = CommandWords.absolute(path.text, from: workdir)
        case "SHELL":
            if let form = instruction.execForm, !form.isEmpty { shell = form }
        case "COPY", "ADD": copy(instruction)
        case "RUN": run(instruction)
        default: break
        }
    }

    // MARK: Stages

    mutating func closeStage() {
        guard let stage else { return }
        facts.stages[stage].environment = environment
        facts.stages[stage].environmentLines = environmentLines
        uncertainByStage[stage] = uncertain
        shells[stage] = shell
        workdirs[stage] = workdir
    }

    mutating func from(_ instruction: Instruction) {
        closeStage()
        let words = DockerWords.fields(instruction.flagsAndRest.rest)
        let image = process(words.first ?? "", globalArgs)
        let name =
            words.count >= 3 && words[1].lowercased() == "as" ? words[2].lowercased() : nil
        let base: StageFacts.Base
        let lowered = image.text.lowercased()
        if !image.unresolved.isEmpty {
            note(instruction.line, image.unresolved, "the base image '\(image.text)'")
            base = .unknown(image.text)
        } else if let parent = stageNames[lowered] {
            base = .stage(parent)
        } else if lowered == "scratch" {
            base = .scratch
        } else if let reference = ImageReference(image.text) {
            base = .image(reference)
        } else {
            base = .unknown(image.text)
        }
        let index = facts.stages.count
        var root = index
        if case .stage(let parent) = base { root = facts.stages[parent].root }
        facts.stages.append(
            StageFacts(index: index, name: name, line: instruction.line, base: base, root: root)
        )
        if let name { stageNames[name] = index }
        stage = index
        environment = [:]
        environmentLines = [:]
        uncertain = []
        stageArguments = []
        shell = ["/bin/sh", "-c"]
        workdir = "/"
        if case .stage(let parent) = base {
            let inherited = facts.stages[parent].environment
            if inherited.count <= inheritanceLeft {
                inheritanceLeft -= inherited.count
                environment = inherited
                environmentLines = facts.stages[parent].environmentLines
                uncertain = uncertainByStage[parent] ?? []
            }
            shell = shells[parent] ?? shell
            workdir = workdirs[parent] ?? workdir
        }
        variables = Variables(environment, partial: uncertain)
    }

    mutating func arg(_ instruction: Instruction) {
        for word in DockerWords.split(instruction.arguments, escape: escape) {
            let name: String
            var value: String?
            if let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                facts.origins.declared.insert(name)
                if let given = given(name) {
                    value = given
                } else {
                    let expanded = process(
                        String(word[word.index(after: equals)...]),
                        stage == nil ? globalArgs : nil
                    )
                    value = expanded.text
                    if !expanded.unresolved.isEmpty {
                        if stage != nil, environment[name] == nil {
                            variables.setPartial(name, expanded.text)
                        }
                        continue
                    }
                }
            } else {
                name = word
                facts.origins.declared.insert(name)
                value = given(name) ?? globalArgs[name] ?? platform[name]
                if value == nil { facts.origins.arguments.insert(name) }
            }
            if stage != nil { stageArguments.insert(name) }
            if stage == nil {
                globalArgs[name] = value
            } else if environment[name] == nil {
                variables[name] = value
            }
        }
    }

    mutating func env(_ instruction: Instruction) {
        guard stage != nil else { return }
        let words = DockerWords.split(instruction.arguments, escape: escape)
        guard let first = words.first else { return }
        var pairs: [(String, Expanded)] = []
        if !first.contains("=") {
            // Legacy `ENV KEY value with spaces`.
            let rest = instruction.arguments.drop { $0 != " " && $0 != "\t" }
                .drop { $0 == " " || $0 == "\t" }
            pairs.append((first, process(String(rest))))
        } else {
            for word in words {
                guard let equals = word.firstIndex(of: "=") else { continue }
                let key = process(String(word[..<equals])).text
                pairs.append((key, process(String(word[word.index(after: equals)...]))))
            }
        }
        for (key, value) in pairs {
            facts.origins.declared.insert(key)
            environment[key] = value.text
            environmentLines[key] = instruction.line
            if value.unresolved.isEmpty {
                variables[key] = value.text
                uncertain.remove(key)
            } else {
                variables.setPartial(key, value.text)
                uncertain.insert(key)
                facts.origins.partial.insert(key)
            }
        }
    }

    // MARK: COPY and ADD

    mutating func copy(_ instruction: Instruction) {
        guard let stage else { return }
        let (flags, rest) = instruction.flagsAndRest
        let words = JSONStringArray.parse(rest) ?? DockerWords.fields(rest)
        guard words.count >= 2, let last = words.last else { return }
        let heredocNames = Set(instruction.heredocs.map(\.name))
        var sources: [Expanded] = []
        var fromContext = !flags.contains { $0.name == "from" }
        for word in words.dropLast() {
            if word.hasPrefix("<<") {
                let name = word.dropFirst(2).drop { $0 == "-" }.filter { $0 != "\"" && $0 != "'" }
                if heredocNames.contains(name) { continue }
            }
            let expanded = process(word)
            let text = expanded.text.lowercased()
            if instruction.keyword == "ADD",
                text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("git@")
            {
                fromContext = false
            }
            sources.append(expanded)
        }
        let destination = process(last)
        facts.copies.append(
            CopyFact(
                line: instruction.line,
                stage: stage,
                keyword: instruction.keyword,
                sources: sources,
                destination: CommandWords.absolute(destination.text, from: workdir),
                destinationIsFolder: destination.text.hasSuffix("/") || sources.count > 1,
                destinationUnresolved: destination.unresolved,
                fromContext: fromContext
            )
        )
    }

    // MARK: RUN

    mutating func run(_ instruction: Instruction) {
        guard stage != nil else { return }
        let rest = instruction.flagsAndRest.rest
        // The platform arguments are in the global scope only: a stage that does not declare
        // them runs with them unset (the Dockerfile reference, "Automatic platform ARGs in the
        // global scope"), so `[ "$TARGETARCH" = arm64 ]` there is known false.
        let saved = variables
        defer { variables = saved }
        for name in DockerfileWalker.platformArguments
        where !stageArguments.contains(name) && environment[name] == nil {
            variables[name] = ""
        }
        let indexEnvironment = variables.values.filter {
            DockerfileWalker.indexVariables.contains($0.key)
        }
        var context = RunContext(line: instruction.line, environment: indexEnvironment)
        if let argv = JSONStringArray.parse(rest) {
            // The exec form runs no shell and expands nothing.
            add(argv.map { ScriptWord(text: $0, plain: true) }, [], nil, .none, &context, depth: 0)
            return
        }
        let shellKind = ShellKind(program: shell.first ?? "/bin/sh")
        if !instruction.heredocs.isEmpty,
            DockerfileParser.rawWords(Array(rest.utf8)[...], escape: escape)
                .allSatisfy({ $0.contains(0x3C) })
        {
            // `RUN <<EOF`: each body is a script; a shebang picks its interpreter.
            for heredoc in instruction.heredocs {
                var kind = shellKind
                if heredoc.content.hasPrefix("#!") {
                    let line = heredoc.content.prefix { $0 != "\n" }.dropFirst(2)
                    let words = line.split(separator: " ").map(String.init)
                    let program =
                        words.first.map(CommandWords.basename) == "env" && words.count > 1
                        ? words[1] : words.first ?? ""
                    kind = ShellKind(program: program)
                }
                script(heredoc.content, kind, &context, depth: 0)
            }
            return
        }
        // The shell gets the line and the heredoc bodies after it, as the builder passes them.
        var text = String(rest)
        for heredoc in instruction.heredocs {
            text += "\n" + heredoc.content + heredoc.name
        }
        script(text, shellKind, &context, depth: 0)
    }

    /// Per-`RUN` state: the directory `cd` moved to, and the condition of the command being
    /// added (with the one of the command whose `sh -c` script it is in).
    struct RunContext {
        var line: Int
        var environment: [String: String]
        var directory: String?
        var condition: String?
    }

    /// Both conditions, as one text.
    static func both(_ outer: String?, _ inner: String?) -> String? {
        guard let outer else { return inner }
        guard let inner else { return outer }
        return outer + " and " + inner
    }

    mutating func script(
        _ text: String,
        _ shell: ShellKind,
        _ context: inout RunContext,
        depth: Int
    ) {
        if case .other = shell { return }
        // Past the bound the Dockerfile is refused: taking the rest apart is wasted.
        guard facts.commandsOverLimitAt == nil else { return }
        var bash = false
        if case .bash = shell { bash = true }
        let commands = ShellScript.commands(
            text,
            variables: variables,
            budget: budget,
            bash: bash
        )
        let outer = context.condition
        for command in commands {
            // A nested script's commands run only when the command that runs it does.
            context.condition = Self.both(outer, command.condition)
            add(command.words, command.redirections, command.stdin, shell, &context, depth: depth)
        }
        context.condition = outer
    }

    mutating func add(
        _ rawWords: [ScriptWord],
        _ redirections: [Redirection],
        _ stdin: String?,
        _ shell: ShellKind,
        _ context: inout RunContext,
        depth: Int
    ) {
        guard let stage else { return }
        let (words, assignments) = CommandWords.effectiveWithAssignments(rawWords)
        guard let first = words.first else { return }
        var environment = context.environment
        for (name, value) in assignments where DockerfileWalker.indexVariables.contains(name) {
            environment[name] = value
        }
        let directory = context.directory ?? workdir
        let program = CommandWords.basename(first.text)
        if program == "cd" || program == "pushd" {
            let target = words.dropFirst().first { !$0.text.hasPrefix("-") }
            context.directory = CommandWords.absolute(target?.text ?? "/root", from: directory)
            return
        }
        guard facts.commands.count < DockerfileWalker.commandLimit else {
            if facts.commandsOverLimitAt == nil { facts.commandsOverLimitAt = context.line }
            return
        }
        facts.commands.append(
            CommandFact(
                line: context.line,
                stage: stage,
                shell: shell,
                directory: directory,
                words: words,
                redirections: redirections,
                environment: environment,
                condition: context.condition
            )
        )
        let kind = ShellKind(program: first.text)
        guard depth < DockerfileWalker.maximumNesting else { return }
        switch kind {
        case .posix, .bash:
            if let inline = CommandWords.inlineScript(words) {
                script(inline.text, kind, &context, depth: depth + 1)
            } else if let stdin, CommandWords.readsStandardInput(words) {
                script(stdin, kind, &context, depth: depth + 1)
            }
        default:
            break
        }
    }
}
