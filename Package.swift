// swift-tools-version:6.2
import PackageDescription

// Layers (ARCHITECTURE.md §3), lowest first:
//   base    MeshCore, CRE2 (RE2 through a small C++ shim), CLibYAML (libyaml)
//   inputs  MeshConfig (Istio + Kubernetes models, decoding), MeshValidation
//   tools   MeshCLI (the `swiftmesh` executable), MeshBench (`swiftmesh-bench`)
let package = Package(
    name: "SwiftMesh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftmesh", targets: ["MeshCLI"]),
        .executable(name: "swiftmesh-bench", targets: ["MeshBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "CRE2",
            cxxSettings: [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("stdc++")]
        ),
        .target(name: "MeshCore", dependencies: ["CRE2"]),
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "MeshConfig", dependencies: ["MeshCore", "CLibYAML"]),
        .target(name: "MeshValidation", dependencies: ["MeshCore", "MeshConfig"]),
        .executableTarget(
            name: "MeshCLI",
            dependencies: ["MeshConfig", "MeshValidation", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "MeshBench", dependencies: ["MeshConfig", "MeshValidation"]),
        .testTarget(name: "MeshCoreTests", dependencies: ["MeshCore"]),
        .testTarget(name: "MeshConfigTests", dependencies: ["MeshConfig"]),
        .testTarget(name: "MeshValidationTests", dependencies: ["MeshValidation", "MeshConfig"]),
        .testTarget(name: "MeshCLITests", dependencies: ["MeshCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
