import ArgumentParser
import MeshProxyCLI

/// `swiftmesh-proxy`: the sidecar executable. The same options as `swiftmesh
/// proxy`, which execs this file when it sits beside it; built from the data
/// plane's modules only, so it maps no full Foundation and no control plane.
@main
struct SwiftMeshProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftmesh-proxy",
        abstract: ProxyArguments.abstract,
        discussion: ProxyArguments.discussion
    )

    @OptionGroup var arguments: ProxyArguments

    func run() async throws {
        let options = try arguments.proxyOptions()
        guard options.dataPlane == .swift else {
            throw ValidationError("--data-plane envoy runs through `swiftmesh proxy` (the Envoy agent is not part of this executable)")
        }
        try await arguments.runSwiftDataPlane(options)
    }
}
