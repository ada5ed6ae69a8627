// swift-tools-version:6.2
import PackageDescription

// Layers (ARCHITECTURE.md §3), lowest first:
//   base    MeshCore, CRE2 (RE2 through a small C++ shim), CLibYAML (libyaml)
//   inputs  MeshConfig (Istio + Kubernetes models, decoding), MeshValidation
//   data    ProxyCore (pure), ProxyXDSClient, ProxyNIO, ProxyAgent, MeshProxy, MeshProxyCLI; EnvoyAgent
//   tools   MeshCLI (the `swiftmesh` executable), MeshProxyMain (`swiftmesh-proxy`), MeshLocal (`swiftmesh up`),
//           MeshBench (`swiftmesh-bench`)
// The proxy's own executable links no full Foundation (FoundationEssentials at most),
// so a sidecar maps neither libFoundation nor ICU: keep Foundation out of the data plane.
// The release sidecar links the Swift runtime statically and lays out its code in
// profile order (scripts/proxy-link-order.sh): the forwarding path's functions,
// runtime ones included, sit together, then start-up's, so the pages it keeps
// resident, and those start-up touches, are few. The order takes effect when every
// module is compiled with function sections (scripts/build-release.sh).
// lld for two more start-up savings: relative relocations packed (DT_RELR: 23 KiB
// instead of 2.8 MiB of .rela.dyn read at load), and no export of every symbol
// (the driver's --export-dynamic puts 70,000 symbols and their hash in the image).
// FoundationEssentials' archive needs its two helper archives named (a shared
// runtime finds them through its own dependencies).
let proxyReleaseLinkFlags = ["-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims", "-use-ld=lld",
                             "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                             "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/proxy-link-order.txt",
                             "-Xlinker", "--no-warn-symbol-ordering"]

let package = Package(
    name: "SwiftMesh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftmesh", targets: ["MeshCLI"]),
        .executable(name: "swiftmesh-proxy", targets: ["MeshProxyMain"]),
        .executable(name: "swiftmesh-bench", targets: ["MeshBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        // No default traits: BinaryDelimitedStreams would link full Foundation into every xDS user.
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0", traits: []),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
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
        .target(name: "MeshRegistry", dependencies: ["MeshConfig", "MeshValidation"]),
        .target(name: "MeshSnapshot", dependencies: ["MeshConfig", "MeshRegistry"]),
        // -- xDS API (generated protobuf subset) --
        .target(name: "XDSAPI", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf")], exclude: ["Protos"]),
        .target(name: "XDSTranslator", dependencies: ["MeshSnapshot", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "XDSServer", dependencies: ["XDSAPI", .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"), .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // The mesh CA (istiod's CA role): pure signing, roots, caller tokens; file I/O only in CADirectory.
        .target(name: "MeshCA", dependencies: [.product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1")]),
        .target(name: "MeshControlPlane", dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"), "MeshRegistry", "MeshSnapshot", "XDSTranslator", "XDSServer", "XDSAPI", "MeshCA", .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"), .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // -- data plane: our proxy. Nothing here imports the control plane's modules. --
        .target(name: "ProxyCore", dependencies: ["MeshCore"]),
        // JWKS keys for jwt_authn (jwt-kit's JWK model, swift-crypto's signature checks); kept out of ProxyCore.
        .target(name: "ProxyJWT", dependencies: ["ProxyCore", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto")]),
        .target(name: "ProxyXDSClient", dependencies: ["ProxyCore", "ProxyJWT", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"), .product(name: "Logging", package: "swift-log")]),
        .target(name: "ProxyNIO", dependencies: ["ProxyCore", "MeshCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2"), .product(name: "NIOHPACK", package: "swift-nio-http2"), .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOTLS", package: "swift-nio"), .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1")]),
        // pilot-agent's role: workload key + CSR, CA client, renewal, SDS for stock Envoy.
        .target(name: "ProxyAgent", dependencies: ["MeshCore", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"), .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1")]),
        .target(name: "MeshProxy", dependencies: ["ProxyCore", "ProxyXDSClient", "ProxyNIO", "ProxyAgent", "MeshConfig", .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        // `swiftmesh proxy`'s options and in-process run, shared by both executables.
        .target(name: "MeshProxyCLI", dependencies: ["MeshProxy", "MeshCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The lean sidecar executable `swiftmesh proxy` hands over to.
        .executableTarget(name: "MeshProxyMain", dependencies: ["MeshProxyCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                         linkerSettings: [.unsafeFlags(proxyReleaseLinkFlags, .when(platforms: [.linux], configuration: .release))]),
        // pilot-agent's role for stock Envoy: SDS over a Unix socket, Envoy as a child (uses full Foundation).
        .target(name: "EnvoyAgent", dependencies: ["ProxyAgent", "MeshProxy", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")]),
        // -- tools: the local mesh (`swiftmesh up`) --
        .target(name: "MeshLocal", dependencies: ["MeshConfig"]),
        // -- demo workload --
        .target(name: "MeshDemoApp", dependencies: ["MeshCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2")]),
        .executableTarget(
            name: "MeshCLI",
            dependencies: ["MeshCore", "MeshConfig", "MeshValidation", "MeshDemoApp", "MeshCA", "MeshControlPlane", "MeshProxy", "MeshProxyCLI", "EnvoyAgent", "MeshLocal", "MeshRegistry", "MeshSnapshot", "XDSTranslator", "XDSAPI", .product(name: "Logging", package: "swift-log"), .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "MeshBench", dependencies: ["MeshConfig", "MeshLocal", "MeshValidation", "MeshControlPlane", "XDSServer", "XDSAPI", .product(name: "Logging", package: "swift-log"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")]),
        .testTarget(name: "MeshCoreTests", dependencies: ["MeshCore"]),
        .testTarget(name: "MeshConfigTests", dependencies: ["MeshConfig"]),
        .testTarget(name: "MeshValidationTests", dependencies: ["MeshValidation", "MeshConfig"]),
        .testTarget(name: "MeshRegistryTests", dependencies: ["MeshRegistry"]),
        .testTarget(name: "MeshSnapshotTests", dependencies: ["MeshSnapshot"]),
        .testTarget(name: "XDSTranslatorTests", dependencies: ["XDSTranslator", "MeshValidation"], exclude: ["Golden"]),
        .testTarget(name: "XDSServerTests", dependencies: ["XDSServer"]),
        .testTarget(name: "MeshCATests", dependencies: ["MeshCA", .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1")]),
        // Starts real processes (control plane, stock Envoy, demo apps); needs the swiftmesh binary built.
        .testTarget(name: "MeshIntegrationTests", dependencies: ["MeshCLI", "MeshLocal", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "MeshLocalTests", dependencies: ["MeshLocal", "MeshValidation"]),
        .testTarget(name: "MeshCLITests", dependencies: ["MeshCLI"]),
        .testTarget(name: "MeshProxyCLITests", dependencies: ["MeshProxyCLI", "MeshProxy", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "MeshControlPlaneTests", dependencies: ["MeshControlPlane", "MeshRegistry", "MeshConfig", "XDSAPI", "MeshCA", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"), .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1")]),
        .testTarget(name: "XDSAPITests", dependencies: ["XDSAPI"]),
        .testTarget(name: "MeshDemoAppTests", dependencies: ["MeshDemoApp"]),
        .testTarget(name: "ProxyCoreTests", dependencies: ["ProxyCore"]),
        .testTarget(name: "ProxyAgentTests", dependencies: ["ProxyAgent", "EnvoyAgent", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")]),
        .testTarget(name: "EnvoyAgentTests", dependencies: ["EnvoyAgent", "ProxyAgent", "XDSAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")]),
        .testTarget(name: "ProxyJWTTests", dependencies: ["ProxyJWT", "ProxyCore", .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto")]),
        .testTarget(name: "ProxyXDSClientTests", dependencies: ["ProxyXDSClient", "XDSAPI"]),
        // Counts mallocs of the calling thread; only the allocation-guard tests link it.
        .target(name: "CProxyMallocCounter"),
        .testTarget(name: "ProxyNIOTests", dependencies: ["ProxyNIO", "ProxyCore", "CProxyMallocCounter", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2"), .product(name: "NIOHPACK", package: "swift-nio-http2"), .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOTLS", package: "swift-nio")]),
        .testTarget(name: "MeshProxyTests", dependencies: ["MeshProxy", .product(name: "NIOHTTP2", package: "swift-nio-http2"), .product(name: "NIOHPACK", package: "swift-nio-http2"), .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOTLS", package: "swift-nio")], exclude: ["Differential/Scripts"]),
    ],
    swiftLanguageModes: [.v6]
)
