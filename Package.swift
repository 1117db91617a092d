// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gpuprobe",
    products: [
        .executable(name: "gpuprobe", targets: ["gpuprobe"]),
        .library(name: "GPUProbe", targets: ["GPUProbe"]),
    ],
    targets: [
        // MARK: C interop (leaf modules; only PCI/LibPCI.swift and Probing/ToolRunner.swift import them)
        .systemLibrary(
            name: "CLibPCI",
            pkgConfig: "libpci",
            providers: [.apt(["libpci-dev"])]
        ),
        .target(name: "CShims", dependencies: ["CLibPCI"]),

        // MARK: Library: model, parsers, probes
        .target(name: "GPUProbe", dependencies: ["CLibPCI", "CShims"]),

        // MARK: Executable
        .executableTarget(name: "gpuprobe", dependencies: ["GPUProbe"]),

        // MARK: Tests
        .testTarget(name: "GPUProbeTests", dependencies: ["GPUProbe"]),
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
