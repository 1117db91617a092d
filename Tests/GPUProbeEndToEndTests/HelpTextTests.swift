import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Each command's `--help`, read as a user reads it: the flags it lists must be exactly the ones
/// the parser takes for that command, and every example must be a command line that parses.
@Suite struct HelpTextTests {
    static let commands = CommandSpec.all.map(\.name)

    /// The lines of a help section, from its title to the next blank line.
    static func section(_ title: String, of help: String) -> [Substring] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: Substring(title)) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
    }

    /// The flags the Options section lists, each with whether a value follows it:
    /// `  -o, --output FILE   Write...` gives `-o` and `--output`, both taking a value.
    static func listedFlags(_ help: String) -> [String: Bool] {
        var flags: [String: Bool] = [:]
        for line in section("Options:", of: help) where line.hasPrefix("  -") {
            let words = line.split(separator: " ")
            var names: [String] = []
            var index = 0
            while index < words.count, words[index].hasPrefix("-") {
                let word = words[index]
                names.append(String(word.hasSuffix(",") ? word.dropLast() : word))
                index += 1
                if !word.hasSuffix(",") { break }
            }
            // The placeholder sits one space after the names; the description after two.
            let afterNames = line.dropFirst(2 + names.joined(separator: ", ").count)
            let takesValue = afterNames.hasPrefix(" ") && !afterNames.hasPrefix("  ")
            for name in names { flags[name] = takesValue }
        }
        return flags
    }

    /// Every flag any command's help lists, with whether it takes a value.
    static let everyFlag: [String: Bool] = commands.reduce(into: [:]) { all, command in
        all.merge(listedFlags(HelpText.command(command))) { first, _ in first }
    }

    /// The shortest command line of each command, to add one flag to.
    static let minimal: [String: [String]] = [
        "probe": ["probe"], "capture": ["capture", "out"], "parse": ["parse", "lspci"],
        "match": ["match"], "dockerfile": ["dockerfile"], "run-flags": ["run-flags"],
        "stage-ascend": ["stage-ascend", "--context", "ctx"], "check": ["check", "Dockerfile"],
        "completions": ["completions", "bash"], "help": ["help"],
    ]

    /// A value each flag accepts, where "x" would not do.
    static let values = [
        "--timeout": "5", "--python": "3.11", "--torch": "2.7", "--devices": "0",
        "--cann": "8.1.RC1",
        "--pip-index-url": "https://mirror.example/whl/{variant}", "--format": "json",
        "--arch": "aarch64",
    ]

    /// Flags that only parse together with another (the parser says so with its own error).
    static let prerequisites: [String: [String: [String]]] = [
        "probe": [
            "--output-file": ["--format", "nfd"],
            "--force": ["--format", "nfd", "--output-file", "f"],
        ],
        "match": ["--arch": ["--host", "h"]],
        "dockerfile": ["--force": ["-o", "f"], "--arch": ["--host", "h"]],
        "check": ["--arch": ["--host", "h"]],
    ]

    @Test func everyCommandHasAMinimalLineThatParses() throws {
        #expect(Set(Self.minimal.keys) == Set(Self.commands))
        for args in Self.minimal.values { _ = try Commands.parse(args) }
    }

    @Test(arguments: commands)
    func helpListsExactlyTheFlagsTheParserTakes(command: String) throws {
        let listed = Self.listedFlags(HelpText.command(command))
        #expect(!listed.isEmpty)
        for (flag, takesValue) in Self.everyFlag.sorted(by: { $0.key < $1.key }) {
            var args = try #require(Self.minimal[command])
            args += Self.prerequisites[command]?[flag] ?? []
            args.append(flag)
            if takesValue { args.append(Self.values[flag] ?? "x") }
            let accepted: Bool
            do {
                let parsed = try Commands.parse(args)
                if ["-h", "--help"].contains(flag) {
                    #expect(sameCommand(parsed, HelpCommand(command)))
                }
                if ["-V", "--version"].contains(flag) { #expect(parsed is VersionCommand) }
                accepted = true
            } catch {
                switch error {
                case .unknownOption(let name) where name == flag:
                    accepted = false
                case .notApplicable(let name, let verb, _) where name == flag && verb == command:
                    accepted = false
                default:
                    throw error
                }
            }
            #expect(accepted == (listed[flag] != nil), "\(args)")
            if let listedValue = listed[flag] {
                #expect(listedValue == takesValue, "\(command) \(flag): a value in one help only")
            }
        }
    }

    /// Each `gpuprobe ...` in an example line, as the shell would split it (examples use no
    /// quotes): from the word `gpuprobe` to a pipe, a redirection or the end.
    static func invocations(_ line: Substring) -> [[String]] {
        var found: [[String]] = []
        var current: [String]?
        for word in line.split(separator: " ").map(String.init) {
            if ["|", ">", ">>", "<", "&&", ";"].contains(word) {
                if let current { found.append(current) }
                current = nil
            } else if current != nil {
                current?.append(word)
            } else if word == "gpuprobe" {
                current = []
            }
        }
        if let current { found.append(current) }
        return found
    }

    /// The verb a parsed command line runs.
    static func verb(_ command: any Command) -> String {
        type(of: command).about.name
    }

    @Test(arguments: commands)
    func everyExampleParsesAndOneRunsTheCommand(command: String) throws {
        let examples = Self.section("Examples:", of: HelpText.command(command))
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
        #expect(!examples.isEmpty)
        var verbs: Set<String> = []
        for line in examples {
            #expect(!line.contains("\"") && !line.contains("'") && !line.contains("$("), "\(line)")
            let invocations = Self.invocations(line)
            #expect(!invocations.isEmpty, "\(line)")
            for args in invocations {
                verbs.insert(Self.verb(try Commands.parse(args)))
            }
        }
        #expect(verbs.contains(command))
    }

    @Test(arguments: commands)
    func helpFitsOneHundredColumns(command: String) {
        for line in HelpText.command(command).split(separator: "\n") {
            #expect(line.count <= 100, "\(line)")
        }
    }

    @Test func helpTakesEveryCommandName() {
        #expect(CommandSpec.named("help")?.arguments == [.choice(Self.commands + ["man"])])
    }

    @Test func theFullHelpPointsToEachCommandsHelp() {
        #expect(HelpText.full.contains("help [COMMAND|man]"))
        #expect(HelpText.full.contains("`gpuprobe COMMAND --help`"))
        // Every command but help has a usage line (probe's verb is optional: `[probe]`).
        for command in Self.commands where command != "help" {
            let line =
                HelpText.usage.contains("gpuprobe \(command) ")
                || HelpText.usage.contains("gpuprobe [\(command)] ")
            #expect(line, "\(command)")
        }
    }

    static func run(_ arguments: [String]) -> MatchCommandTests.Result {
        CommandRun.gpuprobe(arguments, environment: nil, timeout: 30)
    }

    @Test(arguments: commands)
    func theBinaryPrintsEachCommandsHelpBothWays(command: String) {
        for args in [[command, "--help"], ["help", command], [command, "-h"]] {
            let result = Self.run(args)
            #expect(result.status == 0, "\(args)")
            #expect(result.stdout == HelpText.command(command), "\(args)")
            #expect(result.stderr.isEmpty, "\(args)")
        }
    }

    /// `--version` after a command prints the tool's one version, exit 0: there is nothing
    /// command-specific to report, and refusing it would only make the user retype.
    @Test(arguments: commands)
    func versionAfterACommandPrintsTheVersion(command: String) {
        let result = Self.run([command, "--version"])
        #expect(result.status == 0)
        #expect(
            result.stdout
                == "gpuprobe \(GPUProbeVersion.current) (schema \(HostReport.currentSchema))\n"
        )
        #expect(result.stderr.isEmpty)
    }

    /// A usage error shows the synopsis of the command it was made in, not all eleven.
    @Test(arguments: commands.filter { $0 != "help" })
    func aUsageErrorShowsItsCommandsSynopsis(command: String) {
        let result = Self.run([command, "--no-such-option"])
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "gpuprobe: error: unknown option '--no-such-option'")
        #expect(
            lines.dropFirst().first?.hasPrefix("usage: gpuprobe \(command) ") == true
                || lines.dropFirst().first?.hasPrefix("usage: gpuprobe [\(command)] ") == true,
            "\(lines)"
        )
        #expect(lines.last == "See 'gpuprobe \(command) --help' for more information.")
        #expect(lines.count == 2 + (CommandSpec.named(command)?.synopsis.count ?? 0), "\(lines)")
        #expect(result.stdout.isEmpty)
    }

    /// The command is the one the line names, wherever the error is.
    ///
    /// The parser finds the verb before it reads flags by the verb's table. A flag's value that
    /// happens to be a command name is not it.
    @Test func aUsageErrorShowsTheCommandTheParserWasIn() {
        let whole = HelpText.usage + "\nSee 'gpuprobe --help' for more information.\n"
        #expect(ExitStatusTests.usage(after: ["--no-such-option"]) == whole)
        #expect(
            ExitStatusTests.usage(after: ["--no-such-option", "match"])
                .hasPrefix("usage: gpuprobe match ")
        )
        #expect(ExitStatusTests.usage(after: ["help", "--no-such-option"]) == whole)
        #expect(
            ExitStatusTests.usage(after: ["--replay", "match", "check", "--bogus"])
                .hasPrefix("usage: gpuprobe check ")
        )
        #expect(
            ExitStatusTests.usage(after: ["--host", "x.json", "match", "-z"])
                .hasPrefix("usage: gpuprobe match ")
        )
    }
}
