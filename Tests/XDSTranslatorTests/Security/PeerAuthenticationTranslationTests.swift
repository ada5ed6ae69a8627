import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct PeerAuthenticationTranslationTests {
    typealias Fixture = SecurityFixture

    func modes(_ yaml: String, labels: [String: String] = ["app": "reviews"]) throws -> PeerAuthenticationPolicy {
        PeerAuthenticationPolicy(namespace: "default", labels: labels, snapshot: try Fixture.snapshot(yaml))
    }

    @Test func noPolicyIsPermissive() throws {
        #expect(try modes("") == PeerAuthenticationPolicy(mode: .permissive))
    }

    @Test func levelsOverrideFromMeshToWorkload() throws {
        let mesh = Fixture.peerAuthentication("default", namespace: "istio-system", mode: "STRICT")
        #expect(try modes(mesh).mode == .strict)
        let namespace = Fixture.peerAuthentication("ns", mode: "PERMISSIVE")
        #expect(try modes(mesh + "\n---\n" + namespace).mode == .permissive)
        let workload = Fixture.peerAuthentication("reviews", selector: "app: reviews", mode: "DISABLE")
        #expect(try modes(mesh + "\n---\n" + namespace + "\n---\n" + workload).mode == .disable)
        // The workload policy selects other labels only.
        #expect(try modes(mesh + "\n---\n" + workload, labels: ["app": "ratings"]).mode == .strict)
    }

    @Test func unsetInheritsAtEveryLevel() throws {
        let mesh = Fixture.peerAuthentication("default", namespace: "istio-system", mode: "STRICT")
        let namespace = Fixture.peerAuthentication("ns", mode: "UNSET")
        let workload = Fixture.peerAuthentication("reviews", selector: "app: reviews", mode: "UNSET", ports: "\"9090\": {mode: DISABLE}, \"9080\": {mode: UNSET}")
        let policy = try modes([mesh, namespace, workload].joined(separator: "\n---\n"))
        #expect(policy.mode == .strict)
        #expect(policy.mode(port: 9080) == .strict)
        #expect(policy.mode(port: 9090) == .disable)
    }

    @Test func policiesInOtherNamespacesDoNotApply() throws {
        #expect(try modes(Fixture.peerAuthentication("other", namespace: "shop", mode: "STRICT")).mode == .permissive)
    }

    @Test func strictListenerAcceptsOnlyMutualTLS() throws {
        let resources = try Fixture.translate(Fixture.peerAuthentication("ns", mode: "STRICT"))
        let listener = try resources.listener("10.0.0.11_9080")
        #expect(listener.listenerFilters.map(\.name) == ["envoy.filters.listener.tls_inspector"])
        #expect(listener.filterChains.count == 1)
        let chain = try #require(listener.filterChains.first)
        #expect(chain.filterChainMatch.transportProtocol == "tls")
        #expect(chain.filterChainMatch.applicationProtocols.isEmpty)
        let tls = try Unpack.downstreamTLS(chain)
        #expect(tls.requireClientCertificate.value == true)
        #expect(tls.commonTlsContext.alpnProtocols == ["h2", "http/1.1"])
        #expect(tls.commonTlsContext.tlsCertificateSdsSecretConfigs.map(\.name) == ["default"])
        let sds = tls.commonTlsContext.tlsCertificateSdsSecretConfigs[0].sdsConfig.apiConfigSource
        #expect(sds.apiType == .grpc && sds.transportApiVersion == .v3)
        #expect(sds.grpcServices.first?.envoyGrpc.clusterName == "sds-grpc")
        #expect(tls.commonTlsContext.combinedValidationContext.validationContextSdsSecretConfig.name == "ROOTCA")
        // The TCP port is STRICT as well.
        let tcp = try resources.listener("10.0.0.11_9090")
        #expect(tcp.filterChains.map(\.filterChainMatch.transportProtocol) == ["tls"])
        #expect(tcp.filterChains.first?.filters.last?.name == "envoy.filters.network.tcp_proxy")
    }

    @Test func permissiveHasMutualTLSAndPlaintextSideBySide() throws {
        let resources = try Fixture.translate("")
        let chains = try resources.listener("10.0.0.11_9080").filterChains
        #expect(chains.map(\.filterChainMatch.transportProtocol) == ["tls", "raw_buffer"])
        #expect(chains[0].filterChainMatch.applicationProtocols == ["istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"])
        #expect(chains[0].hasTransportSocket && !chains[1].hasTransportSocket)
        #expect(Set(chains.map(\.name)).count == 2)
    }

    @Test func disableKeepsOnePlaintextChain() throws {
        let resources = try Fixture.translate(Fixture.peerAuthentication("reviews", selector: "app: reviews", mode: "DISABLE"))
        let listener = try resources.listener("10.0.0.11_9080")
        #expect(listener.filterChains.count == 1)
        #expect(!listener.filterChains[0].hasTransportSocket && !listener.filterChains[0].hasFilterChainMatch)
        #expect(listener.listenerFilters.isEmpty)
    }

    @Test func portLevelModeAppliesToItsPortOnly() throws {
        let resources = try Fixture.translate(Fixture.peerAuthentication("reviews", selector: "app: reviews", mode: "STRICT", ports: "\"9090\": {mode: PERMISSIVE}"))
        #expect(try resources.listener("10.0.0.11_9080").filterChains.map(\.filterChainMatch.transportProtocol) == ["tls"])
        #expect(try resources.listener("10.0.0.11_9090").filterChains.map(\.filterChainMatch.transportProtocol) == ["tls", "raw_buffer"])
    }

    @Test func withoutWorkloadCertificatesEverythingStaysPlaintext() throws {
        var options = TranslatorOptions()
        options.security.mutualTLS = false
        let resources = try Fixture.translate(Fixture.peerAuthentication("ns", mode: "STRICT"), options: options)
        let listener = try resources.listener("10.0.0.11_9080")
        #expect(listener.filterChains.count == 1 && !listener.filterChains[0].hasTransportSocket)
        let cluster = try resources.cluster("outbound|9080||reviews.default.svc.cluster.local")
        #expect(cluster.transportSocketMatches.isEmpty && !cluster.hasTransportSocket)
    }

    @Test func virtualInboundChainsPerPortAndMode() throws {
        let proxy = TranslatorFixture.sidecar("10.0.0.12", name: "reviews-v2", labels: ["app": "reviews", "version": "v2", "captured": "yes"])
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: captured, namespace: default}
        spec:
          workloadSelector: {labels: {captured: "yes"}}
          ingress:
          - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 127.0.0.1:8080}
          - {port: {number: 9090, protocol: TCP, name: tcp}, defaultEndpoint: 127.0.0.1:8090}
        ---

        """ + Fixture.peerAuthentication("captured", selector: "captured: \"yes\"", mode: "PERMISSIVE", ports: "\"9090\": {mode: STRICT}")
        let listener = try Fixture.translate(yaml, proxy: proxy).listener("virtualInbound")
        #expect(listener.listenerFilters.map(\.name) == ["envoy.filters.listener.tls_inspector"])
        let matches = listener.filterChains.map { ($0.filterChainMatch.destinationPort.value, $0.filterChainMatch.transportProtocol) }
        #expect(matches.map(\.0) == [9080, 9080, 9090])
        #expect(matches.map(\.1) == ["tls", "raw_buffer", "tls"])
    }
}
