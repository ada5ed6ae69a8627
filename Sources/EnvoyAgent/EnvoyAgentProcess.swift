import Foundation
import MeshProxy
import ProxyAgent
import SwiftProtobuf
import XDSAPI

/// `swiftmesh proxy --data-plane envoy`: pilot-agent's role for stock Envoy. The
/// agent gets the workload certificate, serves it over SDS on
/// `<run dir>/workload-spiffe-uds/socket`, rewrites the bootstrap (static
/// `sds-grpc` cluster, TLS to the control plane) and runs Envoy until cancelled.
public enum EnvoyAgentProcess {
    public static func run(_ options: ProxyOptions, started: @Sendable (_ envoyPID: Int32, _ bootstrap: String) -> Void) async throws {
        guard let bootstrapPath = options.bootstrapPath else { throw AgentError("--data-plane envoy needs -c BOOTSTRAP (the bootstrap Envoy starts from)") }
        guard let binary = options.envoyBinary else { throw AgentError("--data-plane envoy needs --envoy-binary (or ENVOY_BIN)") }
        // A YAML bootstrap is handed on as JSON: the agent edits JSON.
        let text = try BootstrapDocument.read(bootstrapPath).jsonText()
        // Only the node and the ADS address are read: the rest is Envoy's to check.
        let (nodeJSON, xds) = try EnvoyAgentBootstrap.inspect(Data(text.utf8))
        var bootstrap = ProxyBootstrap()
        if let nodeJSON {
            var decoding = JSONDecodingOptions()
            decoding.ignoreUnknownFields = true
            bootstrap.node = try Envoy_Config_Core_V3_Node(jsonUTF8Data: nodeJSON, options: decoding)
        }
        let node = try ProxyProcess.node(options, bootstrap: bootstrap)
        guard let agent = try ProxyProcess.makeAgent(options, node: node, xds: xds) else {
            throw AgentError("--data-plane envoy runs the certificate agent: give --token-file (and --ca-root for TLS to the control plane)")
        }
        let runDirectory = absolute(options.runDirectory ?? "swiftmesh-agent-\(getpid())")
        let socket = "\(runDirectory)/workload-spiffe-uds/socket"
        let sds = try SDSServer(socketPath: socket, agent: agent, log: ProxyProcess.agentLog)
        let rewritten = try EnvoyAgentBootstrap.rewrite(Data(text.utf8), sdsSocket: socket,
                                                        controlPlaneRootsPath: options.agent?.caRootPath.map(absolute))
        let envoyBootstrap = "\(runDirectory)/envoy-bootstrap.json"
        try rewritten.write(to: URL(fileURLWithPath: envoyBootstrap))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await agent.run(); try Task.checkCancellation() }
            tasks.addTask { try await sds.serve() }
            try await sds.listening()
            let envoy = try EnvoyChild(binary: binary, bootstrapPath: envoyBootstrap, arguments: options.envoyArguments)
            defer { envoy.stop() }
            started(envoy.pid, envoyBootstrap)
            tasks.addTask {
                // Envoy ending on its own ends the agent (as pilot-agent does).
                while !Task.isCancelled {
                    if let status = envoy.exitStatus { throw AgentError("Envoy (pid \(envoy.pid)) exited with status \(status)") }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            defer { sds.shutdown() }
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
