import Testing

@testable import GPUProbe
@testable import TestSupport

/// The Dockerfile reader against BuildKit's rules: continuations, directives, heredocs, line
/// numbers and the errors that make `check` exit 2.
@Suite struct DockerfileParserTests {
    static func parse(_ text: String) throws -> DockerfileParser.Parsed {
        try DockerfileParser.parse(text)
    }

    static func error(_ text: String) -> DockerfileError? {
        do {
            _ = try DockerfileParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func continuationsJoinAndKeepTheFirstLine() throws {
        let parsed = try Self.parse(
            "FROM ubuntu:22.04\n\nRUN apt-get update && \\  \n    apt-get install -y \\\t\n    curl\nRUN true\n"
        )
        #expect(parsed.instructions.map(\.keyword) == ["FROM", "RUN", "RUN"])
        #expect(parsed.instructions.map(\.line) == [1, 3, 6])
        #expect(
            parsed.instructions[1].arguments
                == "apt-get update &&     apt-get install -y     curl"
        )
    }

    @Test func commentAndBlankLinesInsideAContinuationAreDropped() throws {
        let parsed = try Self.parse(
            "FROM debian\nRUN echo a \\\n# a comment\n\n   \n    && echo b\nRUN c\n"
        )
        #expect(parsed.instructions[1].arguments == "echo a     && echo b")
        #expect(parsed.instructions[2].line == 7)
    }

    @Test func escapeDirectiveChangesTheContinuationCharacter() throws {
        let parsed = try Self.parse(
            "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n  && echo done\n"
        )
        #expect(parsed.escape == UInt8(ascii: "`"))
        #expect(parsed.instructions[1].arguments == "dir C:\\   && echo done")
        #expect(parsed.instructions[1].line == 3)
    }

    @Test func directivesOnlyCountAtTheTop() throws {
        // After a plain comment the line is a comment, not a directive.
        let parsed = try Self.parse("# hello\n# escape=`\nFROM a\nRUN x \\\n y\n")
        #expect(parsed.escape == UInt8(ascii: "\\"))
        #expect(parsed.instructions[1].arguments == "x  y")
        // A directive may follow another one; names are case-insensitive.
        let both = try Self.parse("# syntax=docker/dockerfile:1\n#  ESCAPE = `\nFROM a\n")
        #expect(both.escape == UInt8(ascii: "`"))
    }

    @Test func badDirectivesAreErrors() {
        #expect(Self.error("# escape=x\nFROM a\n") == DockerfileError(.badEscape("x"), line: 1))
        #expect(
            Self.error("# escape=\\\n# escape=`\nFROM a\n")
                == DockerfileError(.repeatedDirective("escape"), line: 2)
        )
        let message = Self.error("# escape=x\nFROM a\n")?.description ?? ""
        #expect(message.hasPrefix("Dockerfile:1: the escape directive names 'x'"))
    }

    @Test func heredocsAreReadWithTheirLines() throws {
        let parsed = try Self.parse(
            """
            FROM debian
            RUN <<EOF
            echo one
            echo two
            EOF
            RUN <<-'END' cat > /x && cat <<"TWO" >> /x
            \t\tindented $HOME
            \tEND
            second
            TWO
            COPY <<EOF /etc/app.conf
            key=value
            EOF
            WORKDIR /
            """
        )
        let runs = parsed.instructions
        #expect(runs.map(\.line) == [1, 2, 6, 11, 14])
        #expect(
            runs[1].heredocs == [
                Heredoc(name: "EOF", content: "echo one\necho two\n", expands: true)
            ]
        )
        #expect(
            runs[2].heredocs == [
                Heredoc(name: "END", content: "indented $HOME\n", expands: false),
                Heredoc(name: "TWO", content: "second\n", expands: false),
            ]
        )
        #expect(runs[3].heredocs.first?.content == "key=value\n")
        #expect(runs[3].arguments == "<<EOF /etc/app.conf")
    }

    @Test func heredocsOnlyOpenOnRunCopyAdd() throws {
        let parsed = try Self.parse("FROM a\nLABEL x=\"<<EOF\"\nENV Y=1\n")
        #expect(parsed.instructions.count == 3)
        #expect(parsed.instructions[1].heredocs.isEmpty)
        let onbuild = try Self.parse("FROM a\nONBUILD RUN <<EOF\nRUN not an instruction\nEOF\n")
        #expect(onbuild.instructions.map(\.keyword) == ["FROM", "ONBUILD"])
        #expect(onbuild.instructions[1].heredocs.first?.content == "RUN not an instruction\n")
        // Not a whole word: `cat<<EOF` is no heredoc to the builder.
        #expect(try Self.parse("FROM a\nRUN cat<<EOF\nRUN b\n").instructions.count == 3)
    }

    @Test func unterminatedHeredocIsAnError() {
        let error = Self.error("FROM a\nRUN true\nRUN <<EOF\necho\nEOFX\n")
        #expect(error == DockerfileError(.unterminatedHeredoc("EOF"), line: 3))
        #expect(error?.description.contains("end it with a line that holds only EOF") == true)
    }

    @Test func execFormAndFlags() throws {
        let parsed = try Self.parse(
            #"""
            FROM a
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            RUN --mount=type=cache,target=/root/.cache ["pip", "install", "torch==2.4.0"]
            COPY --from=build --chmod=755 a b /dst/
            RUN ["broken", 
            """#
        )
        let instructions = parsed.instructions
        #expect(instructions[1].execForm == ["/bin/bash", "-o", "pipefail", "-c"])
        #expect(instructions[2].execForm == ["pip", "install", "torch==2.4.0"])
        #expect(
            instructions[2].flagsAndRest.flags == [
                InstructionFlag(name: "mount", value: "type=cache,target=/root/.cache")
            ]
        )
        let copy = instructions[3].flagsAndRest
        #expect(copy.flags.map(\.name) == ["from", "chmod"])
        #expect(copy.rest == "a b /dst/")
        #expect(instructions[4].execForm == nil)
    }

    @Test func jsonStringsDecodeEscapes() {
        #expect(
            JSONStringArray.parse(#"[ "a\"b", "\u00e9\n", "\ud83d\ude00" ]"#) == [
                "a\"b", "é\n", "😀",
            ]
        )
        #expect(JSONStringArray.parse("[]") == [])
        #expect(JSONStringArray.parse(#"["a",]"#) == nil)
        #expect(JSONStringArray.parse(#"["a"] x"#) == nil)
        #expect(JSONStringArray.parse(#"[1]"#) == nil)
    }

    @Test func crlfAndByteOrderMarkAreRead() throws {
        let parsed = try Self.parse("\u{FEFF}FROM a\r\nRUN x \\\r\n  y\r\n")
        #expect(parsed.instructions.map(\.keyword) == ["FROM", "RUN"])
        #expect(parsed.instructions[1].arguments == "x   y")
    }

    @Test func whatTheBuilderRefusesIsAnError() {
        #expect(
            Self.error("FROM a\nRUNN x\n") == DockerfileError(.unknownInstruction("RUNN"), line: 2)
        )
        #expect(
            Self.error("ARG X=1\nRUN x\nFROM a\n") == DockerfileError(.beforeFrom("RUN"), line: 2)
        )
        #expect(Self.error("# just a comment\n") == DockerfileError(.noFrom, line: 1))
        #expect(Self.error("") == DockerfileError(.noFrom, line: 1))
        #expect(Self.error("FROM a\nRUN \u{0}\n") == DockerfileError(.notText, line: 2))
        #expect(Self.error("FROM a\nRUN \u{FFFD}\n") == DockerfileError(.notUTF8, line: 2))
    }

    @Test func hostileSizesStayCorrect() throws {
        // 10 000 continuation lines make one instruction; the next keeps its line number.
        let continued =
            "FROM a\nRUN echo \\\n" + String(repeating: "  x \\\n", count: 10_000) + "  y\nRUN z\n"
        let parsed = try Self.parse(continued)
        #expect(parsed.instructions.count == 3)
        #expect(parsed.instructions[2].line == 10_004)
        // A line just under the 2 MiB an instruction may have; one over it is refused.
        let room = DockerfileParser.instructionByteLimit - 4
        let long = "FROM a\nRUN " + String(repeating: "a", count: room) + "\n"
        #expect(try Self.parse(long).instructions[1].arguments.utf8.count == room)
        let longer = "FROM a\nRUN " + String(repeating: "a", count: room + 1) + "\n"
        #expect(
            Self.error(longer)
                == DockerfileError(
                    .instructionTooLong(DockerfileParser.instructionByteLimit),
                    line: 2
                )
        )
        // Many heredoc openers on one line, each with its body.
        let openers = (0..<2_000).map { "<<E\($0)" }.joined(separator: " ")
        let bodies = (0..<2_000).map { "E\($0)" }.joined(separator: "\n")
        let many = try Self.parse("FROM a\nRUN cat \(openers)\n\(bodies)\n")
        #expect(many.instructions[1].heredocs.count == 2_000)
    }

    /// Up to the bound nothing changes: 199,999 instructions after the FROM are read.
    @Test func aDockerfileAtTheBoundIsRead() throws {
        let count = DockerfileParser.instructionLimit - 1
        let text = "FROM ubuntu:22.04\n" + String(repeating: "RUN a\n", count: count)
        #expect(try DockerfileParser.parse(text).instructions.count == count + 1)
    }
}
