import Foundation

@testable import GPUProbe

/// NVIDIA's real supported-gpus.json lists (`Fixtures/supported-gpus/`, eight releases from
/// 450.248.02 to 555.58.02), and installers in NVIDIA's `.run` layout that carry them.
///
/// Each list goes into the payload unchanged (only the fixture's gzip is undone), as
/// `NVIDIA-Linux-x86_64-<version>/supported-gpus/supported-gpus.json`, the place NVIDIA's
/// installers keep it.
enum RealListInstallers {
    /// The fixture of `version`'s list, relative to `Fixtures/`.
    static func fixture(_ version: String) -> String {
        "supported-gpus/supported-gpus-\(version).json.gz"
    }

    /// The versions whose list is a fixture, in name order.
    static let versions: [String] = Fixtures.captured(in: "supported-gpus").map { path in
        String(path.dropFirst("supported-gpus/supported-gpus-".count).dropLast(".json.gz".count))
    }

    /// The list's JSON text, as NVIDIA's installer of `version` carries it.
    static func text(_ version: String) throws -> String {
        try FakeInstallers.output(["gzip", "-dc", Fixtures.url(fixture(version)).path])
    }

    /// An installer spec for `version` carrying its real list.
    static func spec(
        _ version: String,
        _ compression: FakeInstallers.Compression
    ) throws -> FakeInstallers.Spec {
        var spec = FakeInstallers.Spec()
        spec.version = version
        spec.compression = compression
        spec.supportedGPUs = try text(version)
        return spec
    }

    /// Every list, embedded in a gzip and an xz installer and read back by
    /// ``DriverInstallerReader``: built once per test run, as building takes a while.
    struct ReadBack: Sendable {
        /// `installers[version][compression]`.
        var installers: [String: [FakeInstallers.Compression: DriverInstaller]] = [:]
        /// Why building failed, when it did.
        var failure: String?

        /// The installer for `version`, or nil (the test then fails on ``failure``).
        func installer(
            _ version: String,
            _ compression: FakeInstallers.Compression
        ) -> DriverInstaller? {
            installers[version]?[compression]
        }
    }

    /// Built on first use; Swift runs a static initializer once, whatever runs in parallel.
    static let readBack: ReadBack = {
        var result = ReadBack()
        do {
            let work = try FakeInstallers()
            defer { work.remove() }
            for version in versions {
                for compression in FakeInstallers.Compression.allCases {
                    // One folder per compression, so each keeps NVIDIA's file name.
                    let folder = work.directory.appendingPathComponent("\(compression)")
                    try FileManager.default.createDirectory(
                        at: folder,
                        withIntermediateDirectories: true
                    )
                    let path = try work.build(try spec(version, compression), in: folder)
                    result.installers[version, default: [:]][compression] =
                        DriverInstallerReader.read(path: path)
                }
            }
        } catch {
            result.failure = "\(error)"
        }
        return result
    }()
}
