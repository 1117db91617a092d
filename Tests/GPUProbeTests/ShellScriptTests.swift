import Testing

@testable import GPUProbe
@testable import TestSupport

/// RUN scripts split into simple commands as `/bin/sh` tokenizes them.
@Suite struct ShellScriptTests {
    static func words(_ script: String, _ variables: Variables = [:]) -> [[String]] {
        ShellScript.commands(script, variables: variables).map { $0.words.map(\.text) }
    }

    @Test func splitsOnOperatorsAndNewlines() {
        #expect(
            Self.words("a 1 && b 2 || c;d | e & f\ng (h) |& i")
                == [["a", "1"], ["b", "2"], ["c"], ["d"], ["e"], ["f"], ["g"], ["h"], ["i"]]
        )
    }

    @Test func quotesAndBackslashes() {
        #expect(
            Self.words(#"echo 'a && b' "c; $X" d\ e \"f\" "g\"h" 'i'"j"k"#, ["X": "x"])
                == [["echo", "a && b", "c; x", "d e", "\"f\"", "g\"h", "ijk"]]
        )
        #expect(Self.words("pip install \\\n  torch") == [["pip", "install", "torch"]])
        #expect(Self.words("printf $'a\\nb'") == [["printf", "a\nb"]])
    }

    @Test func expansionsUseTheBuildVariablesAndTheScriptsOwnAssignments() {
        let commands = Self.words(
            "V=2.4.0 && export IDX=https://x/cu124 && pip install torch==$V -i ${IDX}",
            [:]
        )
        #expect(commands.last == ["pip", "install", "torch==2.4.0", "-i", "https://x/cu124"])
        // Unquoted expansions split into fields; quoted ones do not.
        #expect(
            Self.words(#"pip install $PKGS "$PKGS""#, ["PKGS": "torch==2.4.0 torchvision"])
                == [["pip", "install", "torch==2.4.0", "torchvision", "torch==2.4.0 torchvision"]]
        )
    }

    @Test func unknownValuesAreNamedOnTheirWords() {
        let commands = ShellScript.commands(
            "pip install torch==$TORCH $(cat v.txt) `date` \"$1\"",
            variables: [:]
        )
        let words = commands[0].words
        #expect(words.map(\.text) == ["pip", "install", "torch==", "", "", ""])
        #expect(words[2].unresolved == ["TORCH"])
        #expect(words[3].unresolved == ["$(cat v.txt)"])
        #expect(words[4].unresolved == ["`date`"])
        #expect(words[5].unresolved == ["$1"])
    }

    @Test func redirectionsAndHeredocBodies() {
        let commands = ShellScript.commands(
            "echo -e 'x' > /etc/a.conf 2>&1 && cat <<-EOF >> /etc/b\n\tline $Y\n\tEOF\nnext",
            variables: ["Y": "y"]
        )
        #expect(commands.count == 3)
        #expect(
            commands[0].redirections == [
                Redirection(op: ">", target: "/etc/a.conf"), Redirection(op: ">&", target: "1"),
            ]
        )
        #expect(commands[1].redirections.map(\.op) == ["<<-", ">>"])
        #expect(commands[1].stdin == "line $Y\n")
        #expect(commands[2].words.map(\.text) == ["next"])
    }

    @Test func reservedWordsAndCommentsAreSkipped() {
        #expect(
            Self.words("if [ -f x ]; then pip install a; fi # pip install b\n{ c; }")
                == [["[", "-f", "x", "]"], ["pip", "install", "a"], ["c"]]
        )
        // Quoted, `if` is an ordinary word.
        #expect(Self.words("'if' x") == [["if", "x"]])
    }

    @Test func hostileInputEndsAtTheEndOfTheScript() {
        // Unclosed quotes and substitutions end at the end of the script.
        #expect(Self.words("echo 'never closed") == [["echo", "never closed"]])
        #expect(Self.words("echo $(never closed").first?.count == 2)
        let dollars = String(repeating: "$a", count: 200_000)
        #expect(Self.words("echo \(dollars) \"\(dollars)\"", ["a": "b"]).first?.count == 3)
        let braces = String(repeating: "${", count: 200_000)
        #expect(Self.words("echo \(braces)").first?.first == "echo")
    }
}
