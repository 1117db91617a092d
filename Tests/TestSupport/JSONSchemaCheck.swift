import Foundation
import Testing

@testable import GPUProbe

/// Validates documents against `Schemas/` with check-jsonschema (PyPI, pinned in the Makefile,
/// installed by `make test-deps` into .build/tools).
///
/// The tests' only validator: it implements all of draft 2020-12, so a keyword a schema uses
/// (`if`/`then`, `contains`, formats) is never silently skipped, as it was by the keyword
/// subset the tests used to carry. Each call starts Python (about half a second), so a test
/// passes every document it has in one call.
enum JSONSchemaCheck {
    /// `<repo>/Schemas`.
    static let folder = Fixtures.root.deletingLastPathComponent()
        .appendingPathComponent("Schemas")

    /// `CHECK_JSONSCHEMA`, else the venv `make test-deps` makes.
    static let executable: String? = {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["CHECK_JSONSCHEMA"],
            Fixtures.root.deletingLastPathComponent()
                .appendingPathComponent(".build/tools/bin/check-jsonschema").path,
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Why a check could not be made (as opposed to a document that fails it).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Checks each document against `Schemas/<schema>`.
    ///
    /// - Parameters:
    ///   - documents: name → JSON bytes; names only label the problems.
    ///   - schema: the schema's file name, for example `host-v1.schema.json`.
    /// - Returns: every name, each with its problems as `path: message` (empty when valid).
    /// - Throws: when check-jsonschema is missing or fails as a program (a broken schema).
    static func validate(
        _ documents: [String: Data],
        against schema: String
    ) throws -> [String: [String]] {
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // Numbered files: document names may hold slashes and spaces.
        var names: [String: String] = [:]
        for (index, (name, json)) in documents.sorted(by: { $0.key < $1.key }).enumerated() {
            let path = work.appendingPathComponent("\(index).json").path
            try json.write(to: URL(fileURLWithPath: path))
            names[path] = name
        }
        let output = try run(
            ["--output-format", "json", "--schemafile", folder.appendingPathComponent(schema).path]
                + names.keys.sorted()
        )
        var problems = documents.mapValues { _ in [String]() }
        for error in output["errors"] as? [[String: Any]] ?? [] {
            let name = names[error["filename"] as? String ?? ""] ?? "?"
            problems[name, default: []].append(describe(error))
        }
        for error in output["parse_errors"] as? [[String: Any]] ?? [] {
            let name = names[error["filename"] as? String ?? ""] ?? "?"
            problems[name, default: []].append("not JSON: \(error["message"] as? String ?? "?")")
        }
        return problems
    }

    /// One document's problems as `path: message`; empty when it is valid.
    static func problems(in json: Data, against schema: String) throws -> [String] {
        try validate(["document": json], against: schema)["document"] ?? []
    }

    /// The problems of `files` (schemas) under the metaschema each one names in `$schema`.
    static func metaschemaProblems(_ files: [URL]) throws -> [String] {
        let output = try run(["--output-format", "json", "--check-metaschema"] + files.map(\.path))
        let errors =
            (output["errors"] as? [[String: Any]] ?? [])
            + (output["parse_errors"] as? [[String: Any]] ?? [])
        return errors.map { "\($0["filename"] as? String ?? "?"): \(describe($0))" }
    }

    /// `path: message`; for a `oneOf` that nothing matched, whose message quotes the whole
    /// value, the closest failure inside it instead.
    private static func describe(_ error: [String: Any]) -> String {
        let best = error["best_deep_match"] as? [String: Any] ?? error
        return "\(best["path"] as? String ?? "?"): \(best["message"] as? String ?? "?")"
    }

    /// Runs check-jsonschema and decodes its JSON report; exit 0 is valid, 1 invalid.
    private static func run(_ arguments: [String]) throws -> [String: Any] {
        guard let executable else {
            throw Failure(
                description: "check-jsonschema is not installed: run `make test-deps` "
                    + "(PyPI check-jsonschema into .build/tools)"
            )
        }
        let run = ToolRunner.run(executable, arguments, timeout: 120)
        let stderr = String(decoding: run.stderr, as: UTF8.self)
        // A schema that cannot be loaded also exits 1, with nothing on stdout: so the report
        // must parse and its status agree with the exit status.
        guard case .exited(let status) = run.outcome, status == 0 || status == 1,
            let report = try? JSONSerialization.jsonObject(with: Data(run.stdout))
                as? [String: Any],
            report["status"] as? String == (status == 0 ? "ok" : "fail")
        else {
            throw Failure(description: "check-jsonschema failed (\(run.outcome)): \(stderr)")
        }
        return report
    }
}
