import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `.dockerignore` as moby/patternmatcher reads and matches it, and hostile files: a pattern
/// of tens of thousands of parts, a path of thousands, more rules than a real file has.
@Suite struct DockerIgnoreHardeningTests {
    static func excluded(_ ignore: String, _ path: String) throws -> String? {
        try DockerIgnore(ignore).excluding(BuildContext.components(path))
    }

    /// What patternmatcher decides (its regular expression, string, prefix and suffix forms),
    /// pattern by pattern; nil: the path is sent.
    @Test(arguments: [
        // `**` alone, leading, inner and trailing.
        (ignore: "**", path: "a/b/c", pattern: "**" as String?),
        (ignore: "a/**", path: "a/b", pattern: "a/**"),
        // A trailing `**` after `/` leaves the folder itself in (an empty folder is sent).
        (ignore: "a/**", path: "a", pattern: nil),
        (ignore: "a**", path: "abc/d", pattern: "a**"),
        (ignore: "**/b", path: "b", pattern: "**/b"),
        (ignore: "**/b", path: "x/y/b", pattern: "**/b"),
        (ignore: "**/b", path: "xb", pattern: nil),
        // A leading `**` without `/` is patternmatcher's suffix match: `xb` ends in `b`.
        (ignore: "**b", path: "xb", pattern: "**b"),
        (ignore: "**b", path: "y/xb", pattern: "**b"),
        // An inner `**` is `(.*/)?`, not `*`.
        (ignore: "a**b", path: "ab", pattern: "a**b"),
        (ignore: "a**b", path: "a/x/y/b", pattern: "a**b"),
        (ignore: "a**b", path: "axb", pattern: nil),
        (ignore: "a/**/b", path: "a/b", pattern: "a/**/b"),
        (ignore: "a/**/b", path: "a/x/y/b/c", pattern: "a/**/b"),
        (ignore: "**/*.tmp", path: "a/b/c.tmp", pattern: "**/*.tmp"),
        // `*` and `?` stay within a component.
        (ignore: "*.run", path: "sub/x.run", pattern: nil),
        (ignore: "a?c", path: "a/c", pattern: nil),
        (ignore: "*/x", path: "a/x/y", pattern: "*/x"),
        // Classes: `^` negates, `!` does not, and (as in the regular expression) `/` can match.
        (ignore: "[^x]", path: "a", pattern: "[^x]"),
        (ignore: "[^x]", path: "x", pattern: nil),
        (ignore: "[!x]", path: "a", pattern: nil),
        (ignore: "[!x]", path: "!", pattern: "[!x]"),
        (ignore: "a[^x]b", path: "a/b", pattern: "a[^x]b"),
        (ignore: "[a-c]x", path: "bx", pattern: "[a-c]x"),
        (ignore: "\\*", path: "*", pattern: "\\*"),
        // Cleaning: a leading `/`, `.`, `..` and trailing `/`.
        (ignore: "/build/", path: "build/out", pattern: "/build/"),
        (ignore: "./a/../b", path: "b", pattern: "./a/../b"),
        // `#` only as the first character is a comment; spaces are trimmed after that check.
        (ignore: "# a", path: "# a", pattern: nil),
        (ignore: " # a", path: "# a", pattern: "# a"),
        (ignore: "\u{FEFF}a", path: "a", pattern: "a"),
        // CRLF line ends; exceptions, the last match deciding.
        (ignore: "*.run\r\n!keep.run\r\n", path: "keep.run", pattern: nil),
        (ignore: "*.run\r\n!keep.run\r\n", path: "drop.run", pattern: "*.run"),
        (ignore: "a\n!a/b\n", path: "a/b/c", pattern: nil),
        (ignore: "a\n!a/b\na/b/c\n", path: "a/b/c/d", pattern: "a/b/c"),
    ])
    func matchesLikePatternmatcher(ignore: String, path: String, pattern: String?) throws {
        #expect(try Self.excluded(ignore, path) == pattern)
    }

    /// Lines the builder refuses stop the build there; `check` refuses them too, naming the
    /// line.
    @Test(arguments: [
        (ignore: "*.run\n[abc\n", line: 2, reason: "a '[' is not closed"),
        (ignore: "a\\", line: 1, reason: "it ends in '\\'"),
        (ignore: "ok\n\n!\n", line: 3, reason: "is '!' alone"),
        (ignore: "[z-a]\n", line: 1, reason: "a range runs backwards"),
        (ignore: "[]a]\n", line: 1, reason: "class is empty"),
    ])
    func malformedLinesAreRefusedByLine(ignore: String, line: Int, reason: String) {
        #expect {
            try DockerIgnore(ignore)
        } throws: { error in
            guard let problem = error as? DockerIgnore.Problem else { return false }
            return problem.line == line && problem.reason.contains(reason)
        }
    }

    /// The 165 KB line of `**/` parts that overflowed the stack: Go's line reader (64 KiB)
    /// refuses it, so the builder does; `check` says which line, exit 2.
    @Test func aLineOverTheBuildersLimitIsAnErrorNamingIt() throws {
        let root = try BuildContextTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let long = String(repeating: "**/", count: 55_000) + "x"
        try Data("*.tmp\n\(long)\n".utf8).write(to: root.appendingPathComponent(".dockerignore"))
        #expect(
            throws: IgnoreFileError(
                path: root.path + "/.dockerignore",
                reason: "line 2 is 165001 bytes long, over the 65535 bytes a line may have",
                fix: "correct or remove that line"
            )
        ) {
            try BuildContext(directory: root.path)
        }
        try Data("FROM ubuntu:22.04\n".utf8).write(to: root.appendingPathComponent("Dockerfile"))
        let result = InProcessRun.gpuprobe(
            ["check", root.appendingPathComponent("Dockerfile").path],
            cache: root
        )
        #expect(result.status == .error)
        #expect(
            result.messages.joined()
                == "gpuprobe: error: the build context's '\(root.path)/.dockerignore' line 2 is 165001 "
                + "bytes long, over the 65535 bytes a line may have; the builder cannot use it "
                + "either: correct or remove that line\n"
        )
    }

    /// The longest line the builder takes, all `**/` parts (21,845 of them, the recursion that
    /// overflowed), against a deep path: matched without recursion.
    @Test func theLongestLineOfDoubleStarsMatches() throws {
        let pattern = String(repeating: "**/", count: 21_844) + "zzz"
        #expect(pattern.utf8.count <= DockerIgnore.maximumLineBytes)
        let path = Array(repeating: "a", count: 2_000) + ["zzz"]
        let ignore = try DockerIgnore(pattern + "\n")
        #expect(ignore.excluding(path) == pattern)
        #expect(ignore.excluding(Array(repeating: "a", count: 2_000)) == nil)
    }

    /// Patterns of many distinct parts (no merging helps) against a path of 8,000 parts:
    /// every prefix of the path is a folder to check, in one pass.
    @Test func aPathOfEightThousandPartsAgainstStarRules() throws {
        let rules = (0..<200).map { "**/p\($0)/**/q\($0)" }.joined(separator: "\n")
        let ignore = try DockerIgnore(rules + "\n**/a/**/end\n")
        let path = Array(repeating: "a", count: 8_000)
        #expect(ignore.excluding(path) == nil)
        #expect(ignore.excluding(path + ["end"]) == "**/a/**/end")
        #expect(ignore.excluding(path + ["p7", "x", "q7", "f"]) == "**/p7/**/q7")
    }

    /// More rules than the 4,096 once read (the rest were dropped silently): the last one
    /// still decides.
    @Test func everyRuleCountsHoweverMany() throws {
        let filler = (0..<5_000).map { "folder\($0)/*.tmp" }.joined(separator: "\n")
        let ignore = try DockerIgnore(filler + "\n*.run\n")
        #expect(ignore.rules.count == 5_001)
        #expect(ignore.excluding(["driver.run"]) == "*.run")
        #expect(ignore.excluding(["folder4999", "x.tmp"]) == "folder4999/*.tmp")
    }

    /// Rules across word boundaries of the simulation: the rule that matches is found
    /// whatever its position.
    @Test(arguments: [1, 31, 32, 33, 63, 64, 65, 200])
    func theDecidingRuleIsFoundAtAnyPosition(count: Int) throws {
        var lines = (0..<count).map { "x\($0)" }
        lines.insert("**/ab?/*", at: count / 2)
        let ignore = try DockerIgnore(lines.joined(separator: "\n"))
        #expect(ignore.excluding(["q", "abc", "d", "e"]) == "**/ab?/*")
        #expect(ignore.excluding(["x\(count - 1)"]) == "x\(count - 1)")
        #expect(ignore.excluding(["q", "abc"]) == nil)
    }
}
