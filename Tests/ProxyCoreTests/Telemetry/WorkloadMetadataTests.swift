import ProxyCore
import Testing

/// Label derivation: the proxy's own node metadata, and peers' through Istio's
/// metadata exchange (base64 of a deterministic google.protobuf.Struct).
@Suite struct WorkloadMetadataTests {
    @Test func nodeMetadataFillsIstioDefaults() {
        let local = WorkloadMetadata(nodeMetadata: ["NAMESPACE": "shop", "WORKLOAD_NAME": "shop-v1", "CLUSTER_ID": "east"],
                                     labels: ["app": "shop", "version": "v1"], nodeID: "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local")
        #expect(local.name == "shop-v1")
        #expect(local.namespace == "shop")
        #expect(local.workloadName == "shop-v1")
        #expect(local.clusterID == "east")
        #expect(local.canonicalService == "shop")
        #expect(local.canonicalRevision == "v1")

        // Only the node id: name and namespace from it, canonical labels defaulted as Istio's injector does.
        let bare = WorkloadMetadata(nodeMetadata: [:], labels: [:], nodeID: "router~127.0.0.1~ingress-7f.istio-system~istio-system.svc.cluster.local")
        #expect(bare.name == "ingress-7f")
        #expect(bare.namespace == "istio-system")
        #expect(bare.canonicalService == "ingress-7f")
        #expect(bare.canonicalRevision == "latest")
        #expect(bare.clusterID == "Kubernetes")
        let labelled = WorkloadMetadata(nodeMetadata: [:], labels: ["app": "a", WorkloadMetadata.canonicalNameLabel: "canon"])
        #expect(labelled.canonicalService == "canon")
    }

    @Test func exchangeHeaderRoundTrips() {
        let local = WorkloadMetadata(name: "catalog-v2-abc", namespace: "shop", workloadName: "catalog-v2", clusterID: "Kubernetes",
                                     app: "catalog", version: "v2", canonicalService: "catalog", canonicalRevision: "v2")
        let header = local.exchangeHeaderValue
        let decoded = header.withUnsafeBytes { WorkloadMetadata(exchangeHeaderValue: $0) }
        #expect(decoded == local)
        // Deterministic: the same bytes every time (peers cache by id, Istio compares values).
        #expect(header == local.exchangeHeaderValue)
    }

    @Test func decodesTheStructIstioSends() {
        // Built field by field as Istio's convertWorkloadMetadataToStruct does, with
        // extra kinds of values the decoder must skip (a number, a list).
        let fields: [String: ProtobufStructCodec.Value] = [
            "NAME": .string("reviews-v1-5b"), "NAMESPACE": .string("default"), "WORKLOAD_NAME": .string("reviews-v1"),
            "CLUSTER_ID": .string("Kubernetes"), "OWNER": .string("kubernetes://apis/apps/v1/namespaces/default/deployments/reviews-v1"),
            "LABELS": .structValue(["app": .string("reviews"), "version": .string("v1"),
                                    "service.istio.io/canonical-name": .string("reviews"),
                                    "service.istio.io/canonical-revision": .string("v1")]),
        ]
        var bytes = ProtobufStructCodec.encode(fields)
        // An extra entry {"PORT": number_value 9080.0}: field 1 { key=1 "PORT", value=2 { 2: fixed64 } }.
        let number: [UInt8] = [0x11] + withUnsafeBytes(of: Double(9080).bitPattern.littleEndian, Array.init)
        let entry: [UInt8] = [0x0A, 4] + Array("PORT".utf8) + [0x12, UInt8(number.count)] + number
        bytes += [0x0A, UInt8(entry.count)] + entry
        let header = Base64Bytes.encode(bytes)
        let peer = try! #require(header.dropLast(header.last == UInt8(ascii: "=") ? 1 : 0).withUnsafeBytes { WorkloadMetadata(exchangeHeaderValue: $0) })
        #expect(peer.workloadName == "reviews-v1")
        #expect(peer.namespace == "default")
        #expect(peer.app == "reviews")
        #expect(peer.version == "v1")
        #expect(peer.canonicalService == "reviews")
        #expect(peer.name == "reviews-v1-5b")
        #expect(Array("not base64!".utf8).withUnsafeBytes { WorkloadMetadata(exchangeHeaderValue: $0) } == nil)
    }

    @Test func base64MatchesTheStandardAlphabet() {
        #expect(String(decoding: Base64Bytes.encode(Array("Ma".utf8)), as: UTF8.self) == "TWE=")
        #expect(String(decoding: Base64Bytes.encode(Array("Man".utf8)), as: UTF8.self) == "TWFu")
        #expect(String(decoding: Base64Bytes.encode(Array("M".utf8)), as: UTF8.self) == "TQ==")
        #expect(Array("TWE".utf8).withUnsafeBytes { Base64Bytes.decode($0) } == Array("Ma".utf8))
    }

    @Test func serviceFromClusterNames() {
        let service = IstioService(outboundClusterName: "outbound|9080|v1|catalog.shop.svc.cluster.local")
        #expect(service == IstioService(host: "catalog.shop.svc.cluster.local", name: "catalog", namespace: "shop"))
        #expect(IstioService(outboundClusterName: "inbound|19080||") == nil)
        #expect(IstioService(outboundClusterName: "PassthroughCluster") == nil)
        #expect(IstioService(host: "api.example.com").name == "api.example.com")
        #expect(ClusterConfig(name: "outbound|80||httpbin.default.svc.cluster.local", discovery: .eds(serviceName: "")).istioService?.name == "httpbin")
    }
}
