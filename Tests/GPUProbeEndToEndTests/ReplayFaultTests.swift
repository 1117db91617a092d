import Foundation
import Testing

@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `probe --replay` on bundles that `capture` did not write.
///
/// A bundle is read back on another machine and may have been edited, truncated or built to
/// mislead. Each is one error line and exit 2, never a hang, a read of gigabytes or a file
/// from outside the bundle.
@Suite struct ReplayFaultTests {
    struct Fault: CustomTestStringConvertible, Sendable {
        let name: String
        /// Changes a copy of a real bundle.
        let damage: @Sendable (URL) throws -> Void
        let error: String
        var testDescription: String { name }
    }

    /// Rewrites the manifest's JSON object.
    static func editManifest(_ bundle: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let url = bundle.appendingPathComponent("manifest.json")
        var manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        )
        edit(&manifest)
        try JSONSerialization.data(withJSONObject: manifest).write(to: url)
    }

    static let faults: [Fault] = [
        Fault(
            name: "a file path leading out of the bundle",
            damage: { bundle in
                try editManifest(bundle) { manifest in
                    var files = manifest["files"] as? [String: String] ?? [:]
                    files["/../../../../../../etc/passwd"] = "present"
                    manifest["files"] = files
                }
            },
            error: "file '/../../../../../../etc/passwd' is not a plain absolute path"
        ),
        Fault(
            name: "a tool name leading out of the bundle",
            damage: { bundle in
                try editManifest(bundle) { manifest in
                    var tools = manifest["tools"] as? [String: Any] ?? [:]
                    tools["../../x"] = ["arguments": [String](), "result": "exited", "status": 0]
                    manifest["tools"] = tools
                }
            },
            error: "tool '../../x' is not a plain file name"
        ),
        Fault(
            name: "a FIFO in place of a tool's output",
            damage: { bundle in
                let path = bundle.appendingPathComponent("tools/nvidia-smi.stdout").path
                try FileManager.default.removeItem(atPath: path)
                #expect(mkfifo(path, 0o644) == 0)
            },
            error: "tools/nvidia-smi.stdout' is a FIFO, not a regular file, which no capture writes"
        ),
        Fault(
            name: "a tool's output larger than a capture keeps",
            damage: { bundle in
                let path = bundle.appendingPathComponent("tools/nvidia-smi.stdout").path
                #expect(truncate(path, 17 << 20) == 0)
            },
            error: "tools/nvidia-smi.stdout' is larger than 16 MiB, which no capture writes"
        ),
        Fault(
            name: "a huge manifest",
            damage: { bundle in
                let path = bundle.appendingPathComponent("manifest.json").path
                #expect(truncate(path, 2 << 20) == 0)
            },
            error: "manifest.json' is larger than 1 MiB, which no capture writes"
        ),
        Fault(
            name: "a manifest that is not JSON",
            damage: { bundle in
                let url = bundle.appendingPathComponent("manifest.json")
                try Data("{\n  \"format\": 1,\n}\n".utf8).write(to: url)
            },
            error: "manifest.json' is not a valid capture manifest (not valid JSON (line 3, "
                + "column 1: expected a key in quotes)); capture the host again"
        ),
        Fault(
            name: "a manifest without uname",
            damage: { bundle in
                try editManifest(bundle) { manifest in manifest["uname"] = nil }
            },
            error: "manifest.json' is not a valid capture manifest (key 'uname' is missing at "
                + "the top level); capture the host again"
        ),
        Fault(
            name: "a folder in place of pci/config.txt",
            damage: { bundle in
                let path = bundle.appendingPathComponent("pci/config.txt")
                try FileManager.default.removeItem(at: path)
                try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            },
            error: "pci/config.txt' is a directory, not a regular file, which no capture writes"
        ),
    ]

    @Test(arguments: faults)
    func aDamagedBundleIsOneErrorAndExitTwo(_ fault: Fault) throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = folder.appendingPathComponent("bundle")
        // A real bundle with tools and PCI config space, copied so the damage stays local.
        try FileManager.default.copyItem(
            at: Fixtures.url("hosts/debian12-vm-no-gpu"),
            to: bundle
        )
        // Fixtures are read-only; the copy must not be, for tests run as a user.
        for case let relative as String in FileManager.default.enumerator(atPath: bundle.path)! {
            chmod(bundle.path + "/" + relative, 0o755)
        }
        let tools = bundle.appendingPathComponent("tools/nvidia-smi.stdout")
        if !FileManager.default.fileExists(atPath: tools.path) {
            try Data().write(to: tools)
        }
        try fault.damage(bundle)
        let result = MatchCommandTests.run(
            ["probe", "--replay", bundle.path],
            cache: folder,
            in: folder
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("gpuprobe: error: '") == true)
        #expect(result.stderr.contains(fault.error), "\(result.stderr)")
    }
}
