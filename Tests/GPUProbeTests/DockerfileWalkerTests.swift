import Testing

@testable import GPUProbe
@testable import TestSupport

/// What the builder keeps from instruction to instruction: `ARG` and `ENV` scopes, stage
/// inheritance, `WORKDIR`, `SHELL`, and the shell each `RUN` command runs in.
@Suite struct DockerfileWalkerTests {
    static func facts(_ text: String, machine: String? = "x86_64") throws -> BuildFacts {
        DockerfileWalker.read(try DockerfileParser.parse(text), machine: machine)
    }

    static func words(_ facts: BuildFacts) -> [[String]] {
        facts.commands.map { $0.words.map(\.text) }
    }

    @Test func globalArgsReachFromLinesOnlyUnlessRedeclared() throws {
        let facts = try Self.facts(
            """
            ARG CUDA=12.2.2
            ARG FLAVOUR=base
            FROM nvidia/cuda:${CUDA}-${FLAVOUR}-ubuntu22.04
            RUN echo cuda=$CUDA
            ARG CUDA
            RUN echo cuda=$CUDA
            """
        )
        guard case .image(let image) = facts.stages[0].base else {
            Issue.record("base not read")
            return
        }
        #expect(image.text == "nvidia/cuda:12.2.2-base-ubuntu22.04")
        #expect(Self.words(facts) == [["echo", "cuda="], ["echo", "cuda=12.2.2"]])
        #expect(facts.commands[0].words[1].unresolved == ["CUDA"])
    }

    @Test func envWinsOverArgAndOneEnvLineExpandsWithTheValuesBeforeIt() throws {
        let facts = try Self.facts(
            """
            FROM ubuntu
            ARG V=arg
            ENV V=env
            ARG V=again
            ENV A=1
            ENV A=2 B=$A C="${MISSING:-fallback} x" D=${A:+set}
            ENV PATH /opt/conda/bin:$PATH
            RUN echo $V $A $B $C $D $PATH
            """
        )
        #expect(
            Self.words(facts) == [
                ["echo", "env", "2", "1", "fallback", "x", "set", "/opt/conda/bin:"]
            ]
        )
        // PATH's base-image part is unknown: it expands to the known part, reported as unknown.
        #expect(facts.commands[0].words.last?.unresolved == ["PATH"])
        #expect(facts.stages[0].environment["PATH"] == "/opt/conda/bin:")
        #expect(facts.stages[0].environmentLines["B"] == 6)
    }

    @Test func aStageBuiltFromAnotherInheritsEnvWorkdirAndShell() throws {
        let facts = try Self.facts(
            """
            FROM ubuntu:22.04 AS base
            ENV PIP_INDEX_URL=https://download.pytorch.org/whl/cu121
            WORKDIR /work
            SHELL ["/bin/bash", "-c"]
            ARG NOT_INHERITED=1
            FROM base AS app
            WORKDIR sub
            RUN pip install torch==2.4.0 $NOT_INHERITED
            """
        )
        guard case .stage(let parent) = facts.stages[1].base else {
            Issue.record("stage base not followed")
            return
        }
        #expect(parent == 0)
        #expect(facts.stages[1].name == "app")
        let command = try #require(facts.commands.first)
        #expect(command.directory == "/work/sub")
        #expect(command.shell == .bash("/bin/bash"))
        #expect(command.environment["PIP_INDEX_URL"] == "https://download.pytorch.org/whl/cu121")
        #expect(command.words.last?.unresolved == ["NOT_INHERITED"])
        #expect(facts.externalBase(of: 1)?.image.text == "ubuntu:22.04")
    }

    @Test func platformArgumentsComeFromTheHost() throws {
        let facts = try Self.facts(
            "FROM --platform=$BUILDPLATFORM ubuntu\nARG TARGETARCH\nRUN echo $TARGETARCH\n",
            machine: "aarch64"
        )
        #expect(Self.words(facts) == [["echo", "arm64"]])
    }

    @Test func runFormsAndTheirShells() throws {
        let facts = try Self.facts(
            #"""
            FROM ubuntu
            RUN ["/bin/bash", "-c", "pip install a && sh -c 'pip install b'"]
            RUN sudo -E env PIP_INDEX_URL=https://x/cu118 pip install c
            RUN <<EOF
            #!/usr/bin/env bash
            pip install d
            EOF
            RUN <<EOF bash -ex
            pip install e
            EOF
            RUN cd /opt && cd sub && pip install f
            """#
        )
        let shown = facts.commands.map { command in
            "\(command.line) \(command.shell) \(command.directory) "
                + command.words.map(\.text).joined(separator: " ")
        }
        #expect(
            shown == [
                #"2 none / /bin/bash -c pip install a && sh -c 'pip install b'"#,
                "2 bash(\"/bin/bash\") / pip install a",
                "2 bash(\"/bin/bash\") / sh -c pip install b",
                "2 posix(\"sh\") / pip install b",
                "3 posix(\"/bin/sh\") / pip install c",
                "4 bash(\"bash\") / pip install d",
                "8 posix(\"/bin/sh\") / bash -ex",
                "8 bash(\"bash\") / pip install e",
                "11 posix(\"/bin/sh\") /opt/sub pip install f",
            ]
        )
        #expect(facts.commands[4].environment["PIP_INDEX_URL"] == "https://x/cu118")
    }

    @Test func copyDestinationsAndSources() throws {
        let facts = try Self.facts(
            """
            FROM ubuntu
            WORKDIR /opt/app
            ARG RUNFILE=NVIDIA-Linux-x86_64-535.171.04.run
            COPY ${RUNFILE} ./
            COPY --from=build /out/a.run /tmp/x.run
            ADD https://example.com/NVIDIA-Linux-x86_64-1.2.run /tmp/
            COPY ["a b.run", "c.run", "dest/"]
            COPY <<EOF /etc/modprobe.d/blacklist-nouveau.conf
            blacklist nouveau
            EOF
            """
        )
        let copies = facts.copies
        #expect(copies.map(\.line) == [4, 5, 6, 7, 8])
        #expect(copies[0].sources.map(\.text) == ["NVIDIA-Linux-x86_64-535.171.04.run"])
        #expect(copies[0].destination == "/opt/app")
        #expect(
            copies[0].imagePaths(of: "NVIDIA-Linux-x86_64-535.171.04.run") == [
                "/opt/app/NVIDIA-Linux-x86_64-535.171.04.run"
            ]
        )
        #expect(!copies[1].fromContext)
        #expect(copies[1].imagePaths(of: "/out/a.run") == ["/tmp/x.run", "/tmp/x.run/a.run"])
        #expect(!copies[2].fromContext)
        #expect(copies[3].sources.map(\.text) == ["a b.run", "c.run"])
        #expect(copies[3].destination == "/opt/app/dest")
        #expect(copies[4].sources.isEmpty)
    }

    @Test(arguments: [(stages: 1_000, inherited: true), (stages: 3_000, inherited: false)])
    func manyStagesInheritingManyVariablesStayBounded(stages: Int, inherited: Bool) throws {
        // 400 ENV lines, then stages each built from the one before and adding one more.
        var text = "FROM ubuntu AS s0\n"
        for index in 0..<400 { text += "ENV V\(index)=\(index)\n" }
        for index in 1...stages { text += "FROM s\(index - 1) AS s\(index)\nENV W\(index)=1\n" }
        text += "RUN echo $V399 $W\(stages)\n"
        let facts = try Self.facts(text)
        #expect(facts.stages.count == stages + 1)
        let words = try #require(facts.commands.last?.words)
        // Past a million inherited entries the copying stops: the value is then unknown.
        #expect(words.map(\.text) == ["echo", inherited ? "399" : "", "1"])
        #expect(words[1].unresolved == (inherited ? [] : ["V399"]))
    }

    @Test func doublingExpansionsStopAtTheBudget() throws {
        var text = "FROM ubuntu\nENV A0=xxxxxxxxxxxxxxxx\n"
        for index in 1...40 { text += "ENV A\(index)=$A\(index - 1)$A\(index - 1)\n" }
        text += "RUN echo $A40\n"
        let facts = try Self.facts(text)
        let word = try #require(facts.commands.last?.words.last)
        // 16 << 40 bytes would not fit in memory; the value is left unresolved instead.
        #expect(word.text.utf8.count < 64 << 20)
        #expect(!word.unresolved.isEmpty)
    }
}
