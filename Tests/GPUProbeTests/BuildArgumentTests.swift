import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Build-time values: `--build-arg` used wherever an `ARG` is, shell conditions on known values,
/// the host's platform arguments, and notes that say what a value with no known value needs.
@Suite struct BuildArgumentTests {
    static func facts(
        _ text: String,
        machine: String? = "x86_64",
        _ arguments: [String: String] = [:]
    ) throws -> BuildFacts {
        DockerfileWalker.read(
            try DockerfileParser.parse(text),
            machine: machine,
            buildArguments: arguments
        )
    }

    static func words(_ facts: BuildFacts) -> [String] {
        facts.commands.map { $0.words.map(\.text).joined(separator: " ") }
    }

    // MARK: The command line

    @Test func buildArgumentsAreRepeatableAndKeptInOrder() throws {
        let check = try #require(
            try Commands.parse([
                "check", "Dockerfile", "--build-arg", "A=1", "--build-arg=B", "--build-arg",
                "A=x=y z", "--build-arg", "EMPTY=",
            ]) as? CheckCommand
        )
        #expect(
            check.buildArguments == [
                BuildArgument(name: "A", value: "1"),
                BuildArgument(name: "B", value: nil),
                BuildArgument(name: "A", value: "x=y z"),
                BuildArgument(name: "EMPTY", value: ""),
            ]
        )
        // The last of a name wins; NAME alone comes from the environment, absent when unset.
        let values = BuildArgument.values(
            check.buildArguments + [BuildArgument(name: "UNSET", value: nil)]
        ) { ["B": "from-env"][$0] }
        #expect(values == ["A": "x=y z", "B": "from-env", "EMPTY": ""])
    }

    @Test(arguments: ["=x", "", "1A=x", "A-B=1", "A B", "ä=1"])
    func aMalformedBuildArgumentIsAUsageError(text: String) {
        #expect(
            throws: UsageError.badValue(
                flag: "--build-arg",
                value: text,
                expected: "NAME=VALUE or NAME, NAME of letters, digits and _"
            )
        ) {
            try Commands.parse(["check", "Dockerfile", "--build-arg", text])
        }
        #expect(
            throws: UsageError.notApplicable(
                flag: "--build-arg",
                command: "match",
                takenBy: ["check"]
            )
        ) {
            try Commands.parse(["match", "--build-arg", "A=1"])
        }
    }

    // MARK: Where a build argument is used

    @Test func aBuildArgumentReplacesTheDefaultOfEveryArgThatDeclaresIt() throws {
        let facts = try Self.facts(
            """
            ARG CUDA=12.2.2
            FROM nvidia/cuda:${CUDA}-base-ubuntu22.04
            ARG CUDA
            ARG TORCH=2.4.0
            ARG BARE
            RUN echo $CUDA $TORCH $BARE
            FROM ubuntu:22.04
            RUN echo "$CUDA"
            """,
            ["CUDA": "12.4.1", "TORCH": "2.5.1", "BARE": "given"]
        )
        guard case .image(let image) = facts.stages[0].base else {
            Issue.record("base not read")
            return
        }
        #expect(image.text == "nvidia/cuda:12.4.1-base-ubuntu22.04")
        // Not declared in the second stage: the builder gives it no value there.
        #expect(Self.words(facts) == ["echo 12.4.1 2.5.1 given", "echo "])
        #expect(facts.findings.isEmpty, "\(facts.findings)")
    }

    @Test func anUndeclaredBuildArgumentIsANoteAndAProxyIsPredefined() throws {
        let report = try TestHosts.check(
            "FROM ubuntu:22.04\nARG USED\nRUN echo $USED\n",
            try DockerfileCheckerTests.Host.guide.report(),
            buildArguments: ["USED": "1", "UNUSED": "2", "HTTP_PROXY": "http://proxy:3128"]
        )
        #expect(report.summary == ["1:note:build-arg-unused"])
        #expect(
            report.findings.first?.message.contains("--build-arg UNUSED changes nothing") == true
        )
        #expect(report.compatible)
    }

    @Test func platformArgumentsComeFromTheHostsArchitecture() throws {
        let script = """
            FROM ubuntu:22.04
            ARG TARGETARCH
            RUN case "$TARGETARCH" in \\
                  amd64) ./NVIDIA-Linux-x86_64-550.54.14.run --silent ;; \\
                  arm64) ./NVIDIA-Linux-aarch64-550.54.14.run --silent ;; \\
                esac
            RUN if [ "$TARGETPLATFORM" = "linux/arm64" ]; then echo arm; fi
            """
        func run(_ facts: BuildFacts) -> [String] {
            Self.words(facts).filter { $0.hasPrefix("./") }
        }
        #expect(run(try Self.facts(script)) == ["./NVIDIA-Linux-x86_64-550.54.14.run --silent"])
        // The host's platform, not a --build-arg, decides.
        #expect(
            run(try Self.facts(script, machine: "aarch64", ["TARGETARCH": "amd64"]))
                == ["./NVIDIA-Linux-aarch64-550.54.14.run --silent"]
        )
        // An unknown machine leaves both branches, each under its pattern. `TARGETPLATFORM` is
        // not declared in the stage, so it is unset there: `echo arm` never runs.
        let unknown = try Self.facts(script, machine: nil)
        #expect(
            unknown.commands.compactMap(\.condition) == [
                #""$TARGETARCH" matches amd64"#, #""$TARGETARCH" matches arm64"#,
            ]
        )
        #expect(!Self.words(unknown).contains("echo arm"))
    }

    // MARK: Conditions in RUN, end to end

    @Test func theBranchThatNeverRunsIsNotJudged() throws {
        let host = try DockerfileCheckerTests.Host.a100.report()
        let plain = try TestHosts.check(TestHosts.useCuda, host)
        #expect(plain.kind(.torchDriverTooOld).isEmpty, "\(plain.summary)")
        #expect(plain.summary == ["5:note:torch-ok"])
        #expect(plain.compatible)
        let cuda = try TestHosts.check(
            TestHosts.useCuda,
            host,
            buildArguments: ["USE_CUDA": "true"]
        )
        #expect(cuda.summary == ["5:error:torch-driver-too-old"])
        #expect(!cuda.compatible)
    }

    @Test func aConditionOnAnUndeclaredVariableLowersTheFinding() throws {
        let report = try TestHosts.check(
            TestHosts.useCuda.replacingOccurrences(of: "ARG USE_CUDA=false\n", with: ""),
            try DockerfileCheckerTests.Host.a100.report()
        )
        let finding = try #require(report.kind(.torchDriverTooOld).first)
        #expect(finding.severity == .warning)
        #expect(finding.line == 4)
        #expect(
            finding.message.hasSuffix(
                #"(only when [ "$USE_CUDA" = "true" ] holds; its value is not known here)"#
            )
        )
        #expect(report.compatible)
    }

    @Test(arguments: DockerfileCheckerTests.conditionScenarios)
    func reportsTheLoweredFinding(_ scenario: DockerfileCheckerTests.Scenario) throws {
        try DockerfileCheckerTests().reportsTheFinding(scenario)
        let report = try DockerfileCheckerTests.check(scenario)
        #expect(report.compatible)
    }

    // MARK: Values with no known value

    @Test func anArgWithoutADefaultNamesTheBuildArgumentItNeeds() throws {
        let report = try TestHosts.check(
            """
            ARG BASE_TAG
            FROM nvidia/cuda:${BASE_TAG}
            RUN echo $PY_VERSION
            """,
            try DockerfileCheckerTests.Host.guide.report()
        )
        let note = try #require(report.kind(.unresolvedVariable).first)
        #expect(note.line == 2)
        #expect(
            note.message
                == "$BASE_TAG has no value known here (ARG BASE_TAG has no default and no "
                + "--build-arg BASE_TAG=... was given), so the base image 'nvidia/cuda:' was "
                + "judged without it"
        )
        #expect(
            note.fix
                == "pass --build-arg BASE_TAG=VALUE to gpuprobe check, the value docker build "
                + "will get"
        )
        // With the value, nothing is left unresolved.
        let given = try TestHosts.check(
            "ARG BASE_TAG\nFROM nvidia/cuda:${BASE_TAG}\n",
            try DockerfileCheckerTests.Host.guide.report(),
            buildArguments: ["BASE_TAG": "12.2.2-base-ubuntu22.04"]
        )
        #expect(given.kind(.unresolvedVariable).isEmpty)
    }

    @Test func aVariableOnlyTheBaseImageSetsIsSaidSo() throws {
        let origins = try Self.facts("FROM python:3.11\nENV PATH=/opt/venv/bin:$PATH\n").origins
        let base = try #require(
            Finding.unresolved(line: 3, names: ["PY"], what: "the command", origins: origins)
        )
        #expect(base.message.contains("nothing in this Dockerfile sets $PY: the base image may"))
        #expect(base.fix?.contains("ENV PY=...") == true)
        let partial = try #require(
            Finding.unresolved(line: 3, names: ["PATH"], what: "the command", origins: origins)
        )
        #expect(partial.message.contains("$PATH extends the base image's value"))
        let substitution = try #require(
            Finding.unresolved(line: 3, names: ["$(uname -r)"], what: "x", origins: origins)
        )
        #expect(substitution.message.hasPrefix("$(uname -r) has no value known here (the output"))
    }

    /// `RUN ${PY} -m pip install ...` with `PY` from the base image is kept, its program word
    /// unresolved, for the pip judge.
    @Test func aCommandWhoseProgramIsUnknownIsKept() throws {
        let facts = try Self.facts(
            "FROM python:3.11\nRUN ${PY} -m pip install torch==2.4.0 && $PIP install x\n"
        )
        #expect(facts.commands.count == 2)
        #expect(
            facts.commands[0].words.map(\.text) == ["", "-m", "pip", "install", "torch==2.4.0"]
        )
        #expect(facts.commands[0].words[0].unresolved == ["PY"])
        #expect(facts.commands[1].words[0].unresolved == ["PIP"])
    }

    /// Quoted values with spaces and variables stay whole, in the builder's words and the
    /// shell's.
    @Test func quotedValuesAreNotCut() throws {
        let facts = try Self.facts(
            """
            FROM ubuntu
            ARG B=bee
            ARG P="/usr/local/a b"
            ENV A="/opt/x y/$B" C=${MISSING:-"/d e/f"} D=${B:+"x y"}
            ENV E "/opt/x y/$B" and more
            ENV F=/a\\ b/$B G='/s q/$B' H="/u v/$UNSET/lib"
            RUN echo "$A" "$C" "$D" "$E" "$F" "$G" "$P" "$H" ${NOPE:-"/w x"} ${B:+"y z"}
            """
        )
        let environment = facts.stages[0].environment
        #expect(environment["A"] == "/opt/x y/bee")
        #expect(environment["C"] == "/d e/f")
        #expect(environment["D"] == "x y")
        #expect(environment["E"] == "/opt/x y/bee and more")
        #expect(environment["F"] == "/a b/bee")
        #expect(environment["G"] == "/s q/$B")
        #expect(environment["H"] == "/u v//lib")
        #expect(
            facts.commands.first?.words.map(\.text) == [
                "echo", "/opt/x y/bee", "/d e/f", "x y", "/opt/x y/bee and more", "/a b/bee",
                "/s q/$B", "/usr/local/a b", "/u v//lib", "/w x", "y z",
            ]
        )
        #expect(facts.commands.first?.words[8].unresolved == ["H"])
    }

    /// A 5,000-line Dockerfile of conditions stays linear (a benchmark guard, not a timing).
    @Test func manyConditionsStayLinear() throws {
        var text = "FROM ubuntu:22.04\nARG A=1\n"
        for index in 0..<5_000 {
            text +=
                "RUN if [ \"$A\" = \"\(index % 3)\" ]; then echo \(index); elif [ -f /x ]; "
                + "then echo f; else case \"$B\" in a|b) echo c;; *) echo d;; esac; fi\n"
        }
        let facts = try Self.facts(text)
        let sure = facts.commands.filter { $0.words.first?.text == "echo" && $0.condition == nil }
        // `A` is 1: the first branch runs on every third line, the others' commands carry
        // their conditions.
        #expect(sure.count == 1_667)
        #expect(facts.commands.filter { $0.condition != nil }.count == 3_333 * 3)
    }
}

extension DockerfileCheckerTests {
    /// The build-argument kinds.
    static let buildValueScenarios: [Scenario] = [
        Scenario(
            kind: .buildArgUnused,
            severity: .note,
            line: 1,
            host: .guide,
            contains: "--build-arg CUDA_VERSION changes nothing: no ARG CUDA_VERSION",
            dockerfile: "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\n",
            buildArguments: ["CUDA_VERSION": "12.4.1"]
        )
    ]

    /// Findings from a command under a condition whose value is not known: one severity
    /// lower, naming the condition, in each judge that reads commands.
    static let conditionScenarios: [Scenario] = [
        Scenario(
            kind: .torchDriverTooOld,
            severity: .warning,
            line: 3,
            host: .a100,
            contains: "needs driver >= 580, host has 535.54.03 (only when "
                + #"[ "${CUDA_MAJOR}" -ge 13 ] holds; its value is not known here)"#,
            dockerfile: """
                FROM python:3.11
                ARG CUDA_MAJOR
                RUN [ "${CUDA_MAJOR}" -ge 13 ] && \\
                    pip install torch==2.11.0 --index-url https://download.pytorch.org/whl/cu130
                """
        ),
        Scenario(
            kind: .installerNewer,
            severity: .warning,
            line: 4,
            host: .guide,
            contains: #"(only when "$DRIVER" matches 550 holds; its value is not known here)"#,
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-550.135.run NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                ARG DRIVER
                RUN case "$DRIVER" in \\
                      550) sh /tmp/NVIDIA-Linux-x86_64-550.135.run --silent --no-kernel-module ;; \\
                      *) sh /tmp/NVIDIA-Linux-x86_64-535.171.04.run --silent --no-kernel-module ;; \\
                    esac
                """,
            context: installer
        ),
    ]
}
