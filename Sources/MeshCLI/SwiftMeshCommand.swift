import ArgumentParser

@main
struct SwiftMeshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftmesh",
        abstract: "SwiftMesh: an Istio-compatible service mesh written in Swift.",
        discussion: """
        SwiftMesh reads Istio's configuration API unchanged (VirtualService, DestinationRule,
        Gateway, ServiceEntry, Sidecar, AuthorizationPolicy, ...) plus the Kubernetes objects
        that describe services and workloads.

        Start with:
          swiftmesh up                           run the example mesh on this machine
          swiftmesh validate -f examples/        check config the way istiod's webhook does
          swiftmesh analyze -f examples/         cross-object checks with Istio's IST codes
          swiftmesh control-plane --config examples/   serve xDS to Envoy (istiod's role)
          swiftmesh generate --config examples/ --node ID   what one proxy is sent
          swiftmesh ca rotate-root --ca-dir run/ca       rotate the mesh root with overlap
        """,
        subcommands: [UpCommand.self, ValidateCommand.self, AnalyzeCommand.self, ControlPlaneCommand.self, GenerateCommand.self, EnvoyBootstrapCommand.self, ProxyStatusCommand.self, ProxyConfigCommand.self, DemoAppCommand.self, ProxyCommand.self, CACommand.self]
    )
}
