import Foundation

/// Paths and loaders for the repository's top-level `Fixtures/` folder (read via #filePath,
/// so no resource bundle is needed) and for `../shared/samples/` beside the checkout.
enum Fixtures {
    /// `<repo>/Fixtures`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo
        .appendingPathComponent("Fixtures")

    /// `<repo>/../shared/samples`, present on developer machines and in CI.
    static let sharedSamples = root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/samples")

    /// The host bundles in `Fixtures/hosts/` (the folders with a `manifest.json`), sorted.
    static let hostBundles: [String] = {
        let dir = url("hosts").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/manifest.json") }
            .sorted()
    }()

    /// A new empty folder under the temporary folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The URL of a fixture, `relative` to `Fixtures/`.
    static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }

    /// The text of the README's section under `## heading`, up to the next `## `.
    static func readmeSection(_ heading: String) throws -> String {
        let readme = try String(
            contentsOf: root.deletingLastPathComponent().appendingPathComponent("README.md"),
            encoding: .utf8
        )
        return readme.components(separatedBy: "\n## \(heading)\n").dropFirst().first?
            .components(separatedBy: "\n## ").first ?? ""
    }

    /// A fixture's bytes decoded as UTF-8 (invalid bytes repaired, as a paste would be).
    static func text(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: url(relative)), as: UTF8.self)
    }

    /// The captured files in `Fixtures/<folder>` that have a `.meta.json`.
    ///
    /// Paths are relative to `Fixtures/`, sorted; used as `@Test(arguments:)`.
    static func captured(in folder: String) -> [String] {
        let dir = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".meta.json") }
            .map { folder + "/" + String($0.dropLast(".meta.json".count)) }
            .sorted()
    }

    /// The `.meta.json` of a captured file as a JSON object.
    static func meta(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(relative + ".meta.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// The `expected` object of a captured file's `.meta.json`.
    static func expected(_ relative: String) throws -> [String: Any] {
        try meta(relative)["expected"] as? [String: Any] ?? [:]
    }

    /// A host the fixtures lack, built from a real bundle's `expected.json`.
    ///
    /// The report is changed by `edit` and written to `folder/name`; returns that path.
    static func editedReport(
        _ bundle: String,
        to folder: URL,
        as name: String,
        _ edit: (inout [String: Any]) throws -> Void
    ) throws -> String {
        let data = try Data(contentsOf: url("hosts/\(bundle)/expected.json"))
        guard var report = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        try edit(&report)
        let path = folder.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: report).write(to: path)
        return path.path
    }
}
