/// What a Dockerfile does, read once and judged afterwards: its stages, `COPY`/`ADD` lines
/// and every simple command its `RUN` lines execute.
struct BuildFacts: Sendable {
    /// The stages in order; the last one is the image.
    var stages: [StageFacts] = []
    /// Every `COPY` and `ADD`, in order.
    var copies: [CopyFact] = []
    /// Every simple command the `RUN` lines execute, nested `sh -c` scripts included, up to
    /// ``DockerfileWalker/commandLimit``.
    var commands: [CommandFact] = []
    /// The line of the first command past ``DockerfileWalker/commandLimit``, when there was one:
    /// the Dockerfile is then refused rather than judged in part.
    var commandsOverLimitAt: Int?
    /// What reading found (unresolved base images and the like).
    var findings: [Finding] = []
    /// Which names `ARG` and `ENV` declare, for notes on names with no known value.
    var origins = UnresolvedOrigins(known: true)

    /// The stage the image is built from (the last).
    var finalStage: StageFacts? { stages.last }

    /// The stages `stage` is built on, itself first, following `FROM <stage>`.
    func chain(from stage: Int) -> [StageFacts] {
        var result: [StageFacts] = []
        var current: Int? = stage
        while let index = current, stages.indices.contains(index) {
            result.append(stages[index])
            // `FROM <stage>` names an earlier stage, so the walk ends.
            if case .stage(let parent) = stages[index].base, parent < index {
                current = parent
            } else {
                current = nil
            }
        }
        return result
    }

    /// The stage `stage` ultimately starts from (itself unless built `FROM` another stage).
    func root(of stage: Int) -> Int {
        stages.indices.contains(stage) ? stages[stage].root : stage
    }

    /// The image `stage` ultimately starts from, when it is an image.
    func externalBase(of stage: Int) -> (stage: StageFacts, image: ImageReference)? {
        let root = root(of: stage)
        guard stages.indices.contains(root), case .image(let image) = stages[root].base else {
            return nil
        }
        return (stages[root], image)
    }
}

/// One `FROM` and what followed it.
struct StageFacts: Sendable {
    /// 0-based position.
    var index: Int
    /// The `AS` name, lower-cased.
    var name: String?
    /// The `FROM` line.
    var line: Int
    /// What it starts from.
    var base: Base
    /// The first stage of its `FROM <stage>` chain (itself when it starts from an image).
    var root: Int
    /// `ENV` values at the end of the stage (inherited ones included).
    var environment: [String: String] = [:]
    /// The line of the last `ENV` that set each key.
    var environmentLines: [String: Int] = [:]

    /// What a stage starts from.
    enum Base: Sendable {
        /// An image from a registry.
        case image(ImageReference)
        /// An earlier stage.
        case stage(Int)
        /// `scratch`.
        case scratch
        /// A name that could not be read (unresolved variables).
        case unknown(String)
    }

    /// `stage 2 (build)`, for messages.
    var label: String { name.map { "stage \(index) (\($0))" } ?? "stage \(index)" }
}

/// One `COPY` or `ADD`.
struct CopyFact: Sendable {
    /// The instruction's line.
    var line: Int
    /// The stage it is in.
    var stage: Int
    /// `COPY` or `ADD`.
    var keyword: String
    /// Sources as written after expansion; heredoc sources left out.
    var sources: [Expanded]
    /// The absolute destination, `WORKDIR` applied, without a trailing slash.
    var destination: String
    /// The destination is a folder (written with a trailing `/`, or several sources).
    var destinationIsFolder: Bool
    /// Unresolved variables in the destination.
    var destinationUnresolved: [String]
    /// False with `--from` (another stage or image) or for URLs: nothing read from the
    /// context.
    var fromContext: Bool

    /// Where a source lands in the image: the destination itself, or the source's file name
    /// inside it when the destination is (or may be) a folder.
    func imagePaths(of source: String) -> [String] {
        let name = source.split(separator: "/").last.map(String.init) ?? source
        let inside = destination == "/" ? "/" + name : destination + "/" + name
        return destinationIsFolder ? [inside] : [destination, inside]
    }
}

/// The shell a command runs in.
enum ShellKind: Hashable, Sendable {
    /// A POSIX `sh` (`/bin/sh -c`, the default): dash on Debian and Ubuntu.
    case posix(String)
    /// bash, zsh or ksh: `echo -e` interprets escapes.
    case bash(String)
    /// The exec form: no shell at all.
    case none
    /// Something else (`powershell`, `cmd`).
    case other(String)

    /// The kind of a shell program by its file name.
    init(program: String) {
        let name = program.split(separator: "/").last.map(String.init) ?? program
        switch name {
        case "sh", "dash", "ash", "posh": self = .posix(program)
        case "bash", "zsh", "ksh", "mksh", "ksh93": self = .bash(program)
        default: self = .other(program)
        }
    }
}

/// One simple command a `RUN` executes.
struct CommandFact: Sendable {
    /// The `RUN` line.
    var line: Int
    /// The stage.
    var stage: Int
    /// The shell that runs it.
    var shell: ShellKind
    /// The working directory when it runs (`WORKDIR`, then `cd` in the script).
    var directory: String
    /// Its words, with leading assignments, `sudo`, `env`, `exec`, `command`, `nohup`, `time`
    /// and `nice` removed.
    var words: [ScriptWord]
    /// Its redirections.
    var redirections: [Redirection]
    /// The package-index settings in the environment (`PIP_INDEX_URL`...) at this line.
    var environment: [String: String]
    /// The shell condition it runs under, when that condition's value is not known here.
    ///
    /// `[ "$USE_CUDA" = "true" ]`, for instance; nil when it always runs. Commands in a branch
    /// known not to run are not recorded at all.
    var condition: String? = nil
}

/// Where the names of a Dockerfile get their values, so a note on a name with no known value
/// can say what would give it one.
struct UnresolvedOrigins: Hashable, Sendable {
    /// Whether the names below were read (false: nothing is known about any name).
    var known = false
    /// Names an `ARG` or `ENV` declares somewhere.
    var declared: Set<String> = []
    /// Names an `ARG` declares with no default and no `--build-arg` value.
    var arguments: Set<String> = []
    /// Names an `ENV` sets from a value not known here (`PATH=/x:$PATH`).
    var partial: Set<String> = []

    /// The origins in effect while a Dockerfile's findings are made (see
    /// ``DockerfileChecker/check(dockerfile:path:report:catalog:context:buildArguments:)``):
    /// the judges' notes on unresolved names read it.
    @TaskLocal static var current = UnresolvedOrigins()
}
