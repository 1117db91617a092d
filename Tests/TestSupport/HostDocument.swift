import Foundation
import Testing

@testable import GPUProbe

/// A fixture bundle's host report with one value replaced by raw JSON text, for tests of
/// documents that break the host schema.
enum HostDocument {
    /// `bundle`'s expected.json with the value at `path` (`nvidia.gpus[0].index`) replaced by
    /// `raw`, JSON text written as it is (`-1`, `1e9223372036854775807`, `"550.54.14$(id)"`).
    static func replacing(_ path: String, with raw: String, in bundle: String) throws -> Data {
        let url = Fixtures.url("hosts/\(bundle)/expected.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let marker = "@@gpuprobe-test-value@@"
        let changed = try set(object, steps(path)[...], to: marker)
        let text = try #require(
            String(data: try JSONSerialization.data(withJSONObject: changed), encoding: .utf8)
        )
        try #require(text.components(separatedBy: "\"\(marker)\"").count == 2, "\(path)")
        return Data(text.replacingOccurrences(of: "\"\(marker)\"", with: raw).utf8)
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    private static func steps(_ path: String) -> [Step] {
        var result: [Step] = []
        for part in path.split(separator: ".") {
            let pieces = part.split(separator: "[")
            result.append(.key(String(pieces[0])))
            for index in pieces.dropFirst() { result.append(.index(Int(index.dropLast()) ?? -1)) }
        }
        return result
    }

    private static func set(_ value: Any, _ steps: ArraySlice<Step>, to new: Any) throws -> Any {
        guard let step = steps.first else { return new }
        switch step {
        case .key(let key):
            var object = try #require(value as? [String: Any], "no object at \(key)")
            try #require(object.keys.contains(key), "no key \(key)")
            object[key] = try set(object[key] as Any, steps.dropFirst(), to: new)
            return object
        case .index(let index):
            var array = try #require(value as? [Any], "no list at [\(index)]")
            try #require(array.indices.contains(index), "no element \(index)")
            array[index] = try set(array[index], steps.dropFirst(), to: new)
            return array
        }
    }
}
