import Foundation
import NIOCore
import NIOPosix
import ProxyCore
@testable import ProxyNIO

/// A mesh's worth of certificates for the TLS tests: root `ca` with a server
/// (spiffe://cluster.local/ns/default/sa/server, DNS svc.example.com) and a
/// client (.../sa/client) leaf; root `rogue` with a client leaf of the same name.
struct TLSTestMesh {
    static let serverSAN = "spiffe://cluster.local/ns/default/sa/server"
    static let clientSAN = "spiffe://cluster.local/ns/default/sa/client"

    let certificates: TestCertificates
    let root: String
    let rogueRoot: String
    let server: (certificate: String, key: String)
    let client: (certificate: String, key: String)
    let rogueClient: (certificate: String, key: String)

    init() throws {
        certificates = try TestCertificates()
        root = try certificates.root("ca")
        rogueRoot = try certificates.root("rogue")
        server = try certificates.leaf("server", issuer: "ca", sans: ["URI:\(Self.serverSAN)", "DNS:svc.example.com"])
        client = try certificates.leaf("client", issuer: "ca", sans: ["URI:\(Self.clientSAN)"])
        rogueClient = try certificates.leaf("rogue-client", issuer: "rogue", sans: ["URI:\(Self.clientSAN)"])
    }

    static func uriExact(_ value: String) -> SubjectAltNameMatcher {
        SubjectAltNameMatcher(kind: .uri, matcher: StringMatch(.exact(Array(value.utf8))))
    }

    /// EmbeddedProxy's config with its one listener terminating TLS as `tls` says
    /// (and logging the peer facts to `accessLog`, when given).
    static func config(upstreamPort: Int, tls: DownstreamTLSConfig, accessLog: String? = nil) throws -> ProxyConfig {
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstreamPort)])
        guard case .http(var http) = config.listeners[0].chain else { fatalError("EmbeddedProxy's listener is HTTP") }
        if let accessLog {
            http.accessLogs = [AccessLogConfig(path: accessLog, format: try AccessLogFormat(
                "%DOWNSTREAM_PEER_URI_SAN% %DOWNSTREAM_LOCAL_URI_SAN% %REQUESTED_SERVER_NAME% %RESPONSE_CODE%\n"))]
        }
        config.listeners = [ListenerConfig(name: "https", host: "127.0.0.1", port: 0, direction: .inbound,
                                           filterChains: [FilterChainConfig(chain: .http(http), tls: tls)])]
        return config
    }
}
