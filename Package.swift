// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gpuprobe",
    products: [
        .executable(name: "gpuprobe", targets: ["gpuprobe"]),
        .library(name: "GPUProbe", targets: ["GPUProbe"]),
    ],
    targets: [
        // MARK: C interop (leaf modules; only PCI/LibPCI.swift, Probing/ToolRunner.swift and
        // Drivers/PayloadDecoders.swift import them)
        .systemLibrary(
            name: "CLibPCI",
            pkgConfig: "libpci",
            providers: [.apt(["libpci-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLZMA",
            pkgConfig: "liblzma",
            providers: [.apt(["liblzma-dev"])]
        ),
        .target(name: "CShims", dependencies: ["CLibPCI"]),

        // MARK: Library: model, parsers, probes
        .target(name: "GPUProbe", dependencies: ["CLibPCI", "CShims", "CZlib", "CLZMA"]),

        // MARK: Executable
        .executableTarget(name: "gpuprobe", dependencies: ["GPUProbe"]),

        // MARK: Tests
        // Helpers both test targets use (fixtures, fake installers and hosts, the runner for
        // programs and the built gpuprobe). A plain target that only the test targets depend
        // on: `make dist` builds the gpuprobe product alone, so it never builds this.
        .target(
            name: "TestSupport",
            dependencies: ["GPUProbe"],
            path: "Tests/TestSupport",
            exclude: ["nvidia-makeself-header.sh", "cann-makeself-header.sh"]
        ),
        // Unit tests: they call the library.
        .testTarget(name: "GPUProbeTests", dependencies: ["GPUProbe", "TestSupport"]),
        // End-to-end tests: the built gpuprobe, buildah builds, hadolint, Ansible, shells,
        // groff, the live host's tools and the dist binary.
        .testTarget(name: "GPUProbeEndToEndTests", dependencies: ["GPUProbe", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets
where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
