import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct MutualTLSClusterTests {
    typealias Fixture = SecurityFixture
    static let reviews = "outbound|9080||reviews.default.svc.cluster.local"

    func reviewsDR(_ trafficPolicy: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews.default.svc.cluster.local
          trafficPolicy: \(trafficPolicy)
          subsets: [{name: v1, labels: {version: v1}}]
        """
    }

    @Test func autoMutualTLSMatchesEndpointsWithASidecar() throws {
        let resources = try Fixture.translate("", proxy: Fixture.client)
        let cluster = try resources.cluster(Self.reviews)
        #expect(!cluster.hasTransportSocket)
        #expect(cluster.transportSocketMatches.map(\.name) == ["tlsMode-istio", "tlsMode-disabled"])
        #expect(cluster.transportSocketMatches[0].match.fields["tlsMode"]?.stringValue == "istio")
        #expect(cluster.transportSocketMatches[1].match.fields.isEmpty)
        #expect(cluster.transportSocketMatches[1].transportSocket.name == "envoy.transport_sockets.raw_buffer")
        let tls = try Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext(unpackingAny: cluster.transportSocketMatches[0].transportSocket.typedConfig)
        #expect(tls.sni == "outbound_.9080_._.reviews.default.svc.cluster.local")
        #expect(tls.commonTlsContext.alpnProtocols == ["istio-peer-exchange", "istio"])
        #expect(tls.commonTlsContext.tlsCertificateSdsSecretConfigs.map(\.name) == ["default"])
        let validation = tls.commonTlsContext.combinedValidationContext
        #expect(validation.validationContextSdsSecretConfig.name == "ROOTCA")
        #expect(validation.defaultValidationContext.matchTypedSubjectAltNames.map(\.matcher.exact)
                == ["spiffe://cluster.local/ns/default/sa/reviews", "spiffe://cluster.local/ns/default/sa/reviews-v2"])
        #expect(validation.defaultValidationContext.matchTypedSubjectAltNames.allSatisfy { $0.sanType == .uri })
        // Endpoints: WorkloadEntries have sidecars; the Pod without the injector's label has none.
        let metadata = try resources.assignment(Self.reviews).endpoints.flatMap(\.lbEndpoints).map { $0.metadata.filterMetadata["envoy.transport_socket_match"]?.fields["tlsMode"]?.stringValue }
        #expect(metadata == ["istio", "istio"])
        let ratings = try resources.assignment("outbound|9080||ratings.default.svc.cluster.local").endpoints.flatMap(\.lbEndpoints)
        #expect(ratings.allSatisfy { !$0.hasMetadata })
    }

    @Test func injectedPodsCarryTheirLabel() throws {
        let yaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: ratings-v2, namespace: default, labels: {app: ratings, security.istio.io/tlsMode: istio}}
        spec: {serviceAccountName: ratings}
        status: {podIP: 10.0.0.22}
        """
        let endpoints = try Fixture.translate(yaml, proxy: Fixture.client).assignment("outbound|9080||ratings.default.svc.cluster.local").endpoints.flatMap(\.lbEndpoints)
        #expect(endpoints.map { $0.hasMetadata } == [false, true])
    }

    @Test func istioMutualUsesTLSForEveryEndpoint() throws {
        let resources = try Fixture.translate(reviewsDR("{tls: {mode: ISTIO_MUTUAL}}"), proxy: Fixture.client)
        let plain = try Unpack.upstreamTLS(try resources.cluster(Self.reviews))
        #expect(plain.sni == "outbound_.9080_._.reviews.default.svc.cluster.local")
        let subset = try Unpack.upstreamTLS(try resources.cluster("outbound|9080|v1|reviews.default.svc.cluster.local"))
        #expect(subset.sni == "outbound_.9080_.v1_.reviews.default.svc.cluster.local")
        #expect(try resources.cluster(Self.reviews).transportSocketMatches.isEmpty)
    }

    @Test func istioMutualTakesTheRulesSNIAndSubjectAltNames() throws {
        let resources = try Fixture.translate(reviewsDR("{tls: {mode: ISTIO_MUTUAL, sni: reviews.example, subjectAltNames: [spiffe://cluster.local/ns/default/sa/other]}}"), proxy: Fixture.client)
        let tls = try Unpack.upstreamTLS(try resources.cluster(Self.reviews))
        #expect(tls.sni == "reviews.example")
        #expect(tls.commonTlsContext.combinedValidationContext.defaultValidationContext.matchTypedSubjectAltNames.map(\.matcher.exact) == ["spiffe://cluster.local/ns/default/sa/other"])
    }

    @Test func disableInTheRuleMeansPlaintext() throws {
        let cluster = try Fixture.translate(reviewsDR("{tls: {mode: DISABLE}}"), proxy: Fixture.client).cluster(Self.reviews)
        #expect(!cluster.hasTransportSocket && cluster.transportSocketMatches.isEmpty)
    }

    @Test func destinationNamespaceDisablingMutualTLSTurnsAutoMutualTLSOff() throws {
        let cluster = try Fixture.translate(Fixture.peerAuthentication("ns", mode: "DISABLE"), proxy: Fixture.client).cluster(Self.reviews)
        #expect(cluster.transportSocketMatches.isEmpty)
        // A workload-level policy makes the service's mode unknown: auto-mTLS stays.
        let mixed = Fixture.peerAuthentication("ns", mode: "DISABLE") + "\n---\n" + Fixture.peerAuthentication("w", selector: "version: v1", mode: "STRICT")
        #expect(try Fixture.translate(mixed, proxy: Fixture.client).cluster(Self.reviews).transportSocketMatches.count == 2)
    }

    @Test func meshConfigCanTurnAutoMutualTLSOffAndSetTheTrustDomain() throws {
        let meshConfig = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            trustDomain: example.org
            enableAutoMtls: false
        """
        let off = try Fixture.translate(meshConfig, proxy: Fixture.client)
        #expect(try off.cluster(Self.reviews).transportSocketMatches.isEmpty)
        #expect(try off.assignment(Self.reviews).endpoints.flatMap(\.lbEndpoints).allSatisfy { !$0.hasMetadata })
        let strict = try Fixture.translate(meshConfig + "\n---\n" + reviewsDR("{tls: {mode: ISTIO_MUTUAL}}"), proxy: Fixture.client)
        let sans = try Unpack.upstreamTLS(try strict.cluster(Self.reviews)).commonTlsContext.combinedValidationContext.defaultValidationContext.matchTypedSubjectAltNames
        #expect(sans.first?.matcher.exact == "spiffe://example.org/ns/default/sa/reviews")
        // The control plane's own trust domain (its CA's) wins over MeshConfig's.
        var options = TranslatorOptions()
        options.security.trustDomainOverride = "ca.example"
        let overridden = try Fixture.translate(meshConfig + "\n---\n" + reviewsDR("{tls: {mode: ISTIO_MUTUAL}}"), proxy: Fixture.client, options: options)
        let names = try Unpack.upstreamTLS(try overridden.cluster(Self.reviews)).commonTlsContext.combinedValidationContext.defaultValidationContext.matchTypedSubjectAltNames
        #expect(names.first?.matcher.exact == "spiffe://ca.example/ns/default/sa/reviews")
    }

    @Test func http2UpstreamsOfferH2() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: grpc, namespace: default}
        spec:
          hosts: [grpc.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{name: grpc, number: 7070, protocol: GRPC}]
          workloadSelector: {labels: {app: reviews}}
        """
        let cluster = try Fixture.translate(yaml, proxy: Fixture.client).cluster("outbound|7070||grpc.default.svc.cluster.local")
        let tls = try Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext(unpackingAny: cluster.transportSocketMatches[0].transportSocket.typedConfig)
        #expect(tls.commonTlsContext.alpnProtocols == ["istio-peer-exchange", "istio", "h2"])
    }

    @Test func externalServicesGetNoMeshTLS() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external, namespace: default}
        spec:
          hosts: [api.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{name: http, number: 80, protocol: HTTP}]
        """
        let cluster = try Fixture.translate(yaml, proxy: Fixture.client).cluster("outbound|80||api.example.com")
        #expect(cluster.transportSocketMatches.isEmpty && !cluster.hasTransportSocket)
    }
}
