import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// The translator's real output for SNI routing (sni-config.yaml: a PASSTHROUGH
/// gateway server, an HTTPS SIMPLE one, a mesh `tls` VirtualService), fed to the
/// converter and the ADS session. Regenerate with
/// `swiftmesh generate --config DIR --node router~10.0.0.5~gateway.default~default.svc.cluster.local
///   --metadata '{"NAMESPACE":"default","LABELS":{"istio":"ingressgateway"}}' > sni-gateway.json`
/// (and `sidecar~10.0.0.9~client.default~default.svc.cluster.local` with LABELS app=client for sni-sidecar.json),
/// DIR holding sni-config.yaml.
@Suite struct SNIGoldenTests {
    static let directory = "ProxyXDSClientTests/Golden"

    static func cluster(_ listener: ListenerConfig, sni: String) -> String? {
        let facts = ConnectionFacts(destinationAddress: IPAddress("10.0.0.5"), destinationPort: 443, sourceAddress: IPAddress("10.0.0.9"),
                                    sourcePort: 40000, serverName: sni, transportProtocol: "tls")
        guard case .tcp(let tcp)? = listener.chain(for: facts)?.config.chain, case .cluster(let name) = tcp.target else { return nil }
        return name
    }

    @Test func passthroughGatewayChainsSelectBySNI() throws {
        let resources = try GoldenResourcesTests.load("sni-gateway", directory: Self.directory)
        var warnings = ConversionWarnings()
        let passthrough = try ListenerConverter.convert(try #require(resources.listeners.first { $0.name == "0.0.0.0_443" }), warnings: &warnings)
        #expect(passthrough.needsTLSInspection)
        #expect(Self.cluster(passthrough, sni: "a.example.com") == "outbound|443||a.example.com")
        #expect(Self.cluster(passthrough, sni: "b.example.com") == "outbound|443||b.example.com")
        // No chain and no default: Envoy closes the connection.
        #expect(passthrough.chain(for: ConnectionFacts(serverName: "c.example.com", transportProtocol: "tls")) == nil)
    }

    @Test func sidecarTLSRoutesEndInThePassthroughChain() throws {
        let resources = try GoldenResourcesTests.load("sni-sidecar", directory: Self.directory)
        var warnings = ConversionWarnings()
        let outbound = try ListenerConverter.convert(try #require(resources.listeners.first { $0.name == "0.0.0.0_443" }), warnings: &warnings)
        #expect(outbound.filterChains.count == 3)
        #expect(Self.cluster(outbound, sni: "a.example.com") == "outbound|443||a.example.com")
        #expect(Self.cluster(outbound, sni: "elsewhere.org") == "PassthroughCluster")
        #expect(Self.cluster(outbound, sni: "") == "PassthroughCluster")
    }

    /// The HTTPS SIMPLE server's listener terminates TLS with the Gateway's files;
    /// both listeners are applied and ACKed.
    @Test func terminatingListenerIsAppliedBesideThePassthroughOne() throws {
        let resources = try GoldenResourcesTests.load("sni-gateway", directory: Self.directory)
        var node = Envoy_Config_Core_V3_Node()
        node.id = "router~10.0.0.5~gateway.default~default.svc.cluster.local"
        var session = ADSSession(machine: XDSClientStateMachine(mode: .stateOfTheWorld), store: ADSResourceStore(), node: node)
        _ = session.start()
        func response(_ typeURL: String, _ messages: [any SwiftProtobuf.Message]) -> Envoy_Service_Discovery_V3_DiscoveryResponse {
            var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
            response.typeURL = typeURL
            response.versionInfo = "1"
            response.nonce = typeURL
            response.resources = messages.map { try! Google_Protobuf_Any(message: $0) }
            return response
        }
        var log: [String] = []
        _ = session.handle(response(ProxyCore.XDSTypeURL.cluster, resources.clusters), log: { log.append($0) })
        _ = session.handle(response(ProxyCore.XDSTypeURL.endpoint, resources.endpoints), log: { log.append($0) })
        let (out, _) = session.handle(response(ProxyCore.XDSTypeURL.listener, resources.listeners), log: { log.append($0) })
        let ack = try #require(out.first { $0.typeURL == ProxyCore.XDSTypeURL.listener })
        #expect(!ack.hasErrorDetail)
        let (_, config) = session.handle(response(ProxyCore.XDSTypeURL.route, resources.routes), log: { log.append($0) })
        #expect(config?.listeners.map(\.name).contains("0.0.0.0_443") == true)
        let terminating = try #require(config?.listeners.first { $0.name == "0.0.0.0_8443" })
        let tls = try #require(terminating.filterChains[0].tls)
        #expect(tls.common.certificates == [TLSCertificatePair(chain: .file("/etc/certs/cert.pem"), privateKey: .file("/etc/certs/key.pem"))])
        #expect(tls.common.alpnProtocols == ["h2", "http/1.1"])
        #expect(!tls.requireClientCertificate)
    }
}
