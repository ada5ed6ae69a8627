import Foundation
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

    /// Sends the golden resources (listeners as given) through an ADS session:
    /// the LDS answer and the config once routes arrived.
    static func apply(_ resources: GoldenResourcesTests.Resources, listeners: [Envoy_Config_Listener_V3_Listener])
        -> (Envoy_Service_Discovery_V3_DiscoveryRequest?, ProxyConfig?) {
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
        let (out, _) = session.handle(response(ProxyCore.XDSTypeURL.listener, listeners), log: { log.append($0) })
        let (_, config) = session.handle(response(ProxyCore.XDSTypeURL.route, resources.routes), log: { log.append($0) })
        return (out.first { $0.typeURL == ProxyCore.XDSTypeURL.listener }, config)
    }

    /// The HTTPS SIMPLE server names certificate files that are not there: like
    /// Envoy, its listener alone is NACKed and the passthrough one is applied.
    @Test func terminatingListenerWithMissingFilesIsNackedAlone() throws {
        let resources = try GoldenResourcesTests.load("sni-gateway", directory: Self.directory)
        let (nack, config) = Self.apply(resources, listeners: resources.listeners)
        #expect(nack?.errorDetail.message == "Error adding/updating listener(s) 0.0.0.0_8443: filter_chains[0].transport_socket.typed_config"
            + ".common_tls_context.tls_certificates[0].certificate_chain.filename: Invalid path: /etc/certs/cert.pem\n")
        #expect(config?.listeners.map(\.name).contains("0.0.0.0_443") == true)
        #expect(config?.listeners.map(\.name).contains("0.0.0.0_8443") == false)
    }

    /// With the files in place the terminating listener is applied beside the
    /// passthrough one, its chain terminating TLS with them.
    @Test func terminatingListenerWithItsFilesIsApplied() throws {
        let resources = try GoldenResourcesTests.load("sni-gateway", directory: Self.directory)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sni-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let chain = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try "chain".write(toFile: chain, atomically: true, encoding: .utf8)
        try "key".write(toFile: key, atomically: true, encoding: .utf8)
        var listeners = resources.listeners
        for index in listeners.indices where listeners[index].name == "0.0.0.0_8443" {
            var context = try Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext(
                unpackingAny: listeners[index].filterChains[0].transportSocket.typedConfig)
            context.commonTlsContext.tlsCertificates[0].certificateChain.filename = chain
            context.commonTlsContext.tlsCertificates[0].privateKey.filename = key
            listeners[index].filterChains[0].transportSocket.typedConfig = try Google_Protobuf_Any(message: context)
        }
        let (ack, config) = Self.apply(resources, listeners: listeners)
        #expect(ack?.hasErrorDetail == false)
        #expect(config?.listeners.map(\.name).contains("0.0.0.0_443") == true)
        let terminating = try #require(config?.listeners.first { $0.name == "0.0.0.0_8443" })
        let tls = try #require(terminating.filterChains[0].tls)
        #expect(tls.common.certificates == [TLSCertificatePair(chain: .file(chain), privateKey: .file(key))])
        #expect(tls.common.alpnProtocols == ["h2", "http/1.1"])
        #expect(!tls.requireClientCertificate)
    }
}
