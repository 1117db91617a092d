import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// gpuprobe's JSON in the conventional layout: byte for byte what Python's
/// `json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False)` writes of it
/// (`jq -S .` writes the same), one newline after it, on the real outputs of every command
/// that prints JSON.
@Suite struct JSONLayoutTests {
    /// Runs one Python over every document and returns the names of those that differ from
    /// Python's layout of themselves, each with the first line that differs.
    ///
    /// `ensure_ascii=False`: gpuprobe writes non-ASCII text as UTF-8, never as `\u` escapes.
    static func notInPythonsLayout(_ documents: [String: Data]) throws -> [String: String] {
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var names: [String: String] = [:]
        for (index, (name, bytes)) in documents.sorted(by: { $0.key < $1.key }).enumerated() {
            let path = work.appendingPathComponent("\(index).json").path
            try bytes.write(to: URL(fileURLWithPath: path))
            names[path] = name
        }
        let script = """
            import json, sys
            differ = {}
            for path in sys.argv[1:]:
                text = open(path, encoding="utf-8").read()
                expected = json.dumps(
                    json.loads(text), indent=2, sort_keys=True, ensure_ascii=False
                ) + "\\n"
                if text != expected:
                    pairs = zip(text.split("\\n"), expected.split("\\n"))
                    first = next(((a, b) for a, b in pairs if a != b), ("(length)", ""))
                    differ[path] = "ours %r, Python's %r" % first
            print(json.dumps(differ))
            """
        let run = CommandRun.run(
            "/usr/bin/python3",
            ["-c", script] + names.keys.sorted(),
            environment: nil,
            timeout: 120
        )
        guard run.status == 0,
            let differ = try JSONSerialization.jsonObject(with: Data(run.stdoutBytes))
                as? [String: String]
        else {
            throw JSONSchemaCheck.Failure(
                description: "python3 failed (\(run.outcome as Any)): " + run.stderr
            )
        }
        return Dictionary(uniqueKeysWithValues: differ.map { (names[$0.key] ?? $0.key, $0.value) })
    }

    /// The files of a `Fixtures/` folder that are tool outputs (not their `.meta.json`).
    static func outputs(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Fixtures.url(folder).path)
            .filter { !$0.hasSuffix(".json") && !$0.hasSuffix(".md") }.sorted()
            .map { "\(folder)/\($0)" }
    }

    /// probe (every bundle replayed), match, run-flags and check on each bundle's report, and
    /// parse on every captured nvidia-smi, npu-smi and lspci output.
    @Test func everyJSONOutputIsInPythonsLayout() throws {
        let work = try SchemaTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let drivers = work.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        let dockerfile = Fixtures.url("dockerfiles/packaging-guide.Dockerfile").path
        var documents: [String: Data] = [:]
        func add(_ name: String, _ arguments: [String], statuses: Set<Int32> = [0]) {
            let run = SchemaTests.gpuprobe(arguments, work: work)
            #expect(run.status.map(statuses.contains) == true, "\(name): \(run.status as Any)")
            if run.status.map(statuses.contains) == true { documents[name] = run.stdout }
        }
        for bundle in Fixtures.hostBundles {
            let host = SchemaTests.expected(bundle).path
            add("probe \(bundle)", ["probe", "--replay", Fixtures.url("hosts/\(bundle)").path])
            add(
                "match \(bundle)",
                ["match", "--host", host, "--drivers", drivers.path],
                statuses: [0, 3]
            )
            add(
                "check \(bundle)",
                ["check", dockerfile, "--host", host, "--format", "json"],
                statuses: [0, 1]
            )
            let flags = SchemaTests.gpuprobe(
                ["run-flags", "--format", "json", "--host", host],
                work: work
            )
            if flags.status == 0 { documents["run-flags \(bundle)"] = flags.stdout }
        }
        for (tool, folder) in [
            ("nvidia-smi", "nvidia-smi"), ("npu-smi", "npu-smi"), ("lspci", "lspci"),
        ] {
            for file in try Self.outputs(in: folder) {
                let run = SchemaTests.gpuprobe(
                    ["parse", tool, Fixtures.url(file).path],
                    work: work
                )
                if run.status == 0 { documents["parse \(file)"] = run.stdout }
            }
        }
        #expect(documents.keys.filter { $0.hasPrefix("run-flags ") }.count >= 4)
        #expect(documents.keys.filter { $0.hasPrefix("parse ") }.count >= 70)
        #expect(try Self.notInPythonsLayout(documents) == [:])
    }

    /// What the real outputs may not show: empty and nested containers at every depth, key
    /// order with digits, case, `_` and non-ASCII, every control character, `/`, line
    /// separators and characters outside the BMP.
    @Test func edgesAreInPythonsLayout() throws {
        struct Edges: Encodable {
            var keys = ["ab": 1, "a_b": 2, "aB": 3, "a1": 4, "a10": 5, "a9": 6, "Zed": 7, "é": 8]
            var empty: [String: Int] = [:]
            var none: [Int] = []
            var nested: [[String: [[Int]]]] = [[:], ["x": []], ["y": [[], [1, 2]]]]
            var numbers: [Double] = [1, 0.1, 1e20, 1.5e-7, 2.5, 1e16, 100, 3e-5]
            var text =
                (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined()
                + "\u{2028}\u{2029}é🙂/"
            var flags = [true, false]
        }
        let bytes = try JSONCoding.encode(Edges(), layout: .pretty) + [0x0a]
        #expect(try Self.notInPythonsLayout(["edges": Data(bytes)]) == [:])
        let value = try JSONCoding.parse(bytes)
        #expect(try JSONCoding.parse(JSONCoding.encode(Edges(), layout: .compact)) == value)
    }
}
