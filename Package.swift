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
        .testTarget(
            name: "GPUProbeTests",
            dependencies: ["GPUProbe"],
            exclude: ["Support/nvidia-makeself-header.sh", "Support/cann-makeself-header.sh"]
        ),
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
