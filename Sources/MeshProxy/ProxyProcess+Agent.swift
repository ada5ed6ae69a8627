import ProxyAgent
import SwiftProtobuf
import XDSAPI

extension ProxyProcess {
    /// The agent for this proxy's node: SPIFFE ID from the node's namespace and
    /// service account, CA at the xDS server unless told otherwise.
    package static func makeAgent(_ options: ProxyOptions, node: Envoy_Config_Core_V3_Node, xds: (host: String, port: Int)?) throws -> CertificateAgent? {
        guard let agent = options.agent else { return nil }
        let metadata = node.metadata.fields
        let domainNamespace = node.id.split(separator: "~").dropFirst(2).first?.split(separator: ".").dropFirst().first.map(String.init)
        guard let namespace = agent.namespace ?? metadata["NAMESPACE"]?.text ?? domainNamespace, !namespace.isEmpty else {
            throw AgentError("the certificate agent needs the workload's namespace: node metadata NAMESPACE or --namespace")
        }
        let account = agent.serviceAccount ?? metadata["SERVICE_ACCOUNT"]?.text ?? "default"
        guard let host = agent.caHost ?? xds?.host, let port = agent.caPort ?? xds?.port else {
            throw AgentError("the certificate agent needs a CA address: --ca-address, or an xDS server to use as the CA")
        }
        let roots = try agent.caRootPath.map { path in
            do { return try FileReader.read(path) } catch {
                throw AgentError("--ca-root: \(error)")
            }
        }
        var configuration = CertificateAgent.Configuration(
            identity: "spiffe://\(agent.trustDomain)/ns/\(namespace)/sa/\(account)",
            ca: CAClient(host: host, port: port, trustedRootsPEM: roots, tokenPath: agent.tokenPath))
        configuration.validitySeconds = agent.validitySeconds
        configuration.rootsPath = agent.caRootPath
        configuration.keyType = agent.rsaKey ? WorkloadCSR.KeyType.rsa2048 : .ecdsaP256
        return CertificateAgent(configuration: configuration, log: agentLog)
    }

    /// Agent and SDS messages go to Envoy's `secret` logger.
    package static let agentLog: AgentLog = { level, message in
        ProxyLog.write(.secret, level == .warning ? .warning : .info, message)
    }

    static func controlPlaneRoots(_ options: ProxyOptions) throws -> String? {
        try options.agent?.caRootPath.map { path in
            do { return try FileReader.read(path) } catch {
                throw AgentError("--ca-root: \(error)")
            }
        }
    }
}

extension Google_Protobuf_Value {
    fileprivate var text: String? {
        if case .stringValue(let text)? = kind { return text }
        return nil
    }
}
