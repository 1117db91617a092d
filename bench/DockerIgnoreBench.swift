// `.dockerignore` matching on hostile inputs, compiled by bench/dockerignore.sh with
// `swiftc -O` over Sources/GPUProbe/Check/DockerIgnore.swift alone.
//
//   dockerignorebench    run every case, print one line each: the case, its sizes, the time
import Foundation

@main
struct DockerIgnoreBench {
    static func main() throws {
        func time(_ name: String, _ ignore: String, _ path: [String], runs: Int = 5) throws {
            let start = Date()
            let rules = try DockerIgnore(ignore)
            let compiled = Date().timeIntervalSince(start)
            var best = Double.infinity
            var result: String?
            for _ in 0..<runs {
                let t = Date()
                result = rules.excluding(path)
                best = min(best, Date().timeIntervalSince(t))
            }
            let bytes = ignore.utf8.count
            let chars = path.joined(separator: "/").utf8.count
            print(
                "\(name)\t\(bytes) B, \(rules.rules.count) rules\t\(path.count) parts, "
                    + "\(chars) B\tcompile \(ms(compiled))\tmatch \(ms(best))\t"
                    + (result.map { "excluded by \(String($0.prefix(24)))" } ?? "sent")
            )
        }
        let deep = Array(repeating: "a", count: 8_000)
        try time("issue: 8,000 parts, **/b", "**/b\n", deep)
        try time("8,000 parts, **/a/**/a/**/x", "**/a/**/a/**/x\n", deep)
        try time("80,000 parts, **/b", "**/b\n", Array(repeating: "a", count: 80_000))
        let longest = String(repeating: "**/", count: 21_844) + "zzz"
        try time("longest line of **/ (64 KiB), 2,000 parts", longest, deep.prefix(2_000) + ["zzz"])
        let mixed = (0..<10_922).map { _ in "a/**/" }.joined() + "z"
        try time("64 KiB of a/**/, 8,000 parts", mixed, deep)
        var distinct = ""
        var index = 0
        while distinct.utf8.count < (1 << 20) - 64 {
            distinct += "dir\(index)/**/*.tmp\(index)\n"
            index += 1
        }
        try time("1 MiB of distinct rules, a 4-part path", distinct, ["src", "app", "x", "main.py"])
        try time("1 MiB of distinct rules, 8,000 parts", distinct, deep)
        var alive = ""
        while alive.utf8.count < (1 << 20) - 64 { alive += "**/*.tmp\(alive.utf8.count)\n" }
        try time("1 MiB of **/ rules that never die, 1,000 parts", alive, Array(deep.prefix(1_000)))
    }

    static func ms(_ seconds: Double) -> String {
        String(format: "%.2f ms", seconds * 1000)
    }
}
