import Testing

@testable import GPUProbe
@testable import TestSupport

/// Shell conditions in RUN scripts: evaluated where the values are known, carried as text where
/// they are not, and commands in a branch known not to run left out.
@Suite struct ShellConditionTests {
    /// Each command as `words` or `words ? condition`; the tests themselves left out.
    static func run(_ script: String, _ variables: Variables = [:], bash: Bool = false) -> [String]
    {
        ShellScript.commands(script, variables: variables, bash: bash).filter {
            !ShellCondition.isTest($0.words)
        }.map { command in
            let words = command.words.map(\.text).joined(separator: " ")
            return command.condition.map { words + " ? " + $0 } ?? words
        }
    }

    static let choice = """
        if [ "$USE_CUDA" = "true" ]; then
            pip install torch --index-url https://download.pytorch.org/whl/cu128
        elif [ "$USE_CUDA" = "rocm" ]; then
            pip install torch --index-url https://download.pytorch.org/whl/rocm6.3
        else
            pip install torch --index-url https://download.pytorch.org/whl/cpu
        fi
        """

    @Test func ifElifElseWithAKnownValueKeepsOnlyTheBranchThatRuns() {
        #expect(
            Self.run(Self.choice, ["USE_CUDA": "false"]) == [
                "pip install torch --index-url https://download.pytorch.org/whl/cpu"
            ]
        )
        #expect(
            Self.run(Self.choice, ["USE_CUDA": "true"]) == [
                "pip install torch --index-url https://download.pytorch.org/whl/cu128"
            ]
        )
        #expect(
            Self.run(Self.choice, ["USE_CUDA": "rocm"]) == [
                "pip install torch --index-url https://download.pytorch.org/whl/rocm6.3"
            ]
        )
    }

    @Test func ifElifElseWithAnUnknownValueSaysWhichBranch() {
        #expect(
            Self.run(Self.choice) == [
                #"pip install torch --index-url https://download.pytorch.org/whl/cu128 ? [ "$USE_CUDA" = "true" ]"#,
                #"pip install torch --index-url https://download.pytorch.org/whl/rocm6.3 ? ! [ "$USE_CUDA" = "true" ] and [ "$USE_CUDA" = "rocm" ]"#,
                #"pip install torch --index-url https://download.pytorch.org/whl/cpu ? ! [ "$USE_CUDA" = "true" ] and ! [ "$USE_CUDA" = "rocm" ]"#,
            ]
        )
    }

    @Test(
        arguments: [
            // test, [ and [[ with the operators, on known values.
            ("[ \"$V\" = 12.4 ]", true), ("[ \"$V\" != 12.4 ]", false), ("test -n \"$V\"", true),
            ("test -z \"$V\"", false), ("[ -z \"$EMPTY\" ]", true), ("[ -n \"$EMPTY\" ]", false),
            ("[ -z $EMPTY ]", true), ("[ \"$N\" -eq 3 ]", true), ("[ \"$N\" -ne 3 ]", false),
            ("[ \"$N\" -lt 4 ]", true), ("[ \"$N\" -gt 4 ]", false), ("[ \"$N\" -le 3 ]", true),
            ("[ \"$N\" -ge 4 ]", false), ("[ ! \"$V\" = 12.4 ]", false),
            ("[ \"$V\" = 12.4 -a \"$N\" = 3 ]", true), ("[ \"$V\" = 1 -o \"$N\" = 3 ]", true),
            ("[[ $V == 12.* ]]", true), ("[[ $V == 11.* || $N -eq 3 ]]", true),
            ("[[ -z $EMPTY && ! $N = 4 ]]", true),
            ("[[ ( $N = 4 ) || $V = 12.4 ]]", true), ("true", true), ("false", false),
            // Strings that differ are unequal in every shell, `==` or not.
            ("[ \"$V\" == 11.8 ]", false),
            // A known false part decides `-a` whatever the other part.
            ("[ \"$N\" = 4 -a \"$UNKNOWN\" = x ]", false),
        ]
    )
    func knownConditions(condition: String, value: Bool) {
        let variables: Variables = ["V": "12.4", "N": "3", "EMPTY": ""]
        #expect(
            Self.run("\(condition) && echo yes", variables, bash: true)
                == (value ? ["echo yes"] : [])
        )
        #expect(
            Self.run("\(condition) || echo no", variables, bash: true) == (value ? [] : ["echo no"])
        )
        #expect(
            Self.run("if \(condition); then echo yes; else echo no; fi", variables, bash: true)
                == [value ? "echo yes" : "echo no"]
        )
    }

    @Test(
        arguments: [
            // The file system, unknown variables, command output, what shells do differently.
            "[ -f /usr/local/cuda/version.json ]", "[ \"$UNKNOWN\" = x ]",
            "[ \"$(uname -m)\" = x86_64 ]",
            "command -v nvidia-smi", "[ \"$V\" -lt 13.0 ]", "[[ $V =~ ^12 ]]",
            // A quoted pattern is literal, but a partly quoted one is not worked out.
            "[[ $V == \"12.*\" ]]",
            // `==` in `[` is an error in dash (`/bin/sh` on Debian and Ubuntu), true in bash.
            "[ \"$V\" == 12.4 ]",
            // `[[` is "not found" in dash.
            "[[ $V = 12.4 ]]", "[ \"$UNKNOWN\" = x -o \"$N\" = 4 ]",
        ]
    )
    func unknownConditionsAreCarriedAsWritten(condition: String) {
        let variables: Variables = ["V": "12.4", "N": "3"]
        let commands = Self.run("if \(condition); then echo yes; fi", variables)
        #expect(commands.last == "echo yes ? \(condition)")
    }

    @Test func andOrChainsAtTheCommandLevel() {
        let variables: Variables = ["ARCH": "amd64"]
        #expect(
            Self.run(#"[ "$ARCH" = amd64 ] && pip install a || pip install b"#, variables) == [
                "pip install a", "pip install b ? ! pip install a",
            ]
        )
        #expect(
            Self.run(#"[ "$ARCH" = arm64 ] && pip install a || pip install b"#, variables) == [
                "pip install b"
            ]
        )
        #expect(
            Self.run(#"[ "$X" = 1 ] && pip install a || pip install b"#) == [
                #"pip install a ? [ "$X" = 1 ]"#,
                #"pip install b ? ! [ "$X" = 1 ] || ([ "$X" = 1 ] and ! pip install a)"#,
            ]
        )
        // A command's failure fails the RUN, so what follows `&&` runs; `||` runs only on failure.
        #expect(
            Self.run("apt-get update && apt-get install -y x || echo failed; echo done")
                == [
                    "apt-get update", "apt-get install -y x",
                    "echo failed ? ! apt-get update || ! apt-get install -y x", "echo done",
                ]
        )
        #expect(
            Self.run(
                #"[ "$ARCH" = arm64 ] && { pip install a; pip install b; }; pip install c"#,
                variables
            )
                == ["pip install c"]
        )
        #expect(
            Self.run(#"[ "$ARCH" != arm64 ] || (pip install a)"#, variables) == []
        )
    }

    @Test func caseWithAKnownWordRunsTheFirstMatchingClause() {
        let script = """
            case "${TARGETARCH}" in
                amd64|x86_64) ARCH=x86_64 ;;
                arm64) ARCH=sbsa ;;
                *) echo "unsupported"; exit 1 ;;
            esac
            ./NVIDIA-Linux-${ARCH}-550.54.14.run --silent
            """
        #expect(
            Self.run(script, ["TARGETARCH": "amd64"])
                == ["ARCH=x86_64", "./NVIDIA-Linux-x86_64-550.54.14.run --silent"]
        )
        #expect(
            Self.run(script, ["TARGETARCH": "arm64"])
                == ["ARCH=sbsa", "./NVIDIA-Linux-sbsa-550.54.14.run --silent"]
        )
        #expect(
            Self.run(script, ["TARGETARCH": "ppc64le"])
                == ["echo unsupported", "exit 1", "./NVIDIA-Linux--550.54.14.run --silent"]
        )
        // A glob pattern, the last clause without `;;`, `(pattern)`.
        #expect(
            Self.run("case $V in\n (11.*) echo old;;\n 12.[0-4]*) echo mid\nesac", ["V": "12.4.1"])
                == ["echo mid"]
        )
    }

    @Test func caseWithAnUnknownWordSaysWhichPatterns() {
        let commands = ShellScript.commands(
            "case \"$CUDA\" in 12.*) pip install a ;; *) pip install b ;; esac; ./x.run",
            variables: [:]
        )
        #expect(
            commands.map(\.condition) == [
                #""$CUDA" matches 12.*"#, #""$CUDA" matches none of 12.*"#, nil,
            ]
        )
        // Assignments under an unknown condition leave the value unknown.
        let words = ShellScript.commands(
            "case \"$A\" in x) V=1 ;; esac; echo $V",
            variables: ["V": "0"]
        ).last?.words
        #expect(words?.last?.unresolved == ["V"])
    }

    @Test func nestedConditionsCombine() {
        let script = """
            if [ "$A" = 1 ]; then
              if [ "$B" = 2 ]; then pip install a; fi
              if [ "$C" = 3 ]; then pip install c; fi
            fi
            """
        #expect(
            Self.run(script, ["C": "3"]) == [
                #"pip install a ? [ "$A" = 1 ] and [ "$B" = 2 ]"#,
                #"pip install c ? [ "$A" = 1 ]"#,
            ]
        )
        #expect(Self.run(script, ["A": "0"]) == [])
    }

    @Test func assignmentsEarlierInTheScriptDecide() {
        #expect(
            Self.run(#"CUDA=cpu; if [ "$CUDA" = cpu ]; then pip install a; else pip install b; fi"#)
                == ["CUDA=cpu", "pip install a"]
        )
        // A value set in a branch that does not run does not count.
        #expect(
            Self.run(#"if false; then V=1; fi; if [ "$V" = 1 ]; then echo one; fi"#, ["V": "0"])
                == []
        )
    }

    @Test func loopsRunTheirBodiesAndForgetTheLoopVariable() {
        #expect(
            Self.run("for p in torch torchvision; do pip install $p; done", ["p": "x"])
                == ["pip install "]
        )
        #expect(
            ShellScript.commands("for p in a b; do pip install $p; done", variables: [:])
                .first?.words.last?.unresolved == ["p"]
        )
        #expect(Self.run("while read line; do echo $line; done") == ["read line", "echo "])
    }

    @Test func unknownConstructsAreNeverKnown() {
        // `if` on a command, `! cmd`, a malformed test: unknown, never dropped.
        #expect(
            Self.run("if pip show torch; then echo has; else echo not; fi") == [
                "pip show torch", "echo has ? pip show torch", "echo not ? ! pip show torch",
            ]
        )
        #expect(Self.run("[ a b c d ] && echo a") == ["echo a ? [ a b c d ]"])
        #expect(Self.run("if ! [ -d /x ]; then echo a; fi") == ["echo a ? ! [ -d /x ]"])
    }

    @Test func deepNestingKeepsEveryCommandWithABoundedCondition() {
        let depth = 5_000
        let script =
            String(repeating: "if [ \"$X\" = 1 ]; then ", count: depth)
            + "case $Y in (a) echo deep;; esac; "
            + String(repeating: "fi; ", count: depth) + "echo after"
        let commands = ShellScript.commands(script, variables: [:])
        #expect(commands.count == depth + 2)
        #expect(
            commands.suffix(2).map { $0.words.map(\.text) } == [
                ["echo", "deep"], ["echo", "after"],
            ]
        )
        #expect((commands.dropLast().last?.condition?.count ?? 0) < 400)
        #expect(commands.last?.condition == nil)
    }

    @Test func shellPatterns() {
        #expect(ShellPattern.matches("12.4.1", pattern: "12.*") == true)
        #expect(ShellPattern.matches("x86_64", pattern: "x86_6?") == true)
        #expect(ShellPattern.matches("arm64", pattern: "[!a]*") == false)
        #expect(ShellPattern.matches("b", pattern: "[a-c]") == true)
        #expect(ShellPattern.matches("a/b", pattern: "*") == true)
        #expect(ShellPattern.matches("1", pattern: "[[:digit:]]") == nil)
    }
}
