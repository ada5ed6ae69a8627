import MeshConfig
import MeshSnapshot
import MeshValidation
import Testing
import XDSAPI
@testable import XDSTranslator

/// A small mesh for security translation: `reviews` (two WorkloadEntries, so each
/// has a sidecar) and `ratings` (a Pod without the injector's tlsMode label, so no
/// sidecar), and a `reviews` server proxy listening with captureMode NONE on
/// 9080 (HTTP) and 9090 (TCP).
enum SecurityFixture {
    static let services = """
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: reviews, namespace: default}
    spec:
      hosts: [reviews.default.svc.cluster.local]
      location: MESH_INTERNAL
      resolution: STATIC
      ports: [{name: http, number: 9080, protocol: HTTP}, {name: tcp, number: 9090, protocol: TCP}]
      workloadSelector: {labels: {app: reviews}}
    ---
    apiVersion: networking.istio.io/v1
    kind: WorkloadEntry
    metadata: {name: reviews-v1, namespace: default}
    spec: {address: 10.0.0.11, labels: {app: reviews, version: v1}, serviceAccount: reviews}
    ---
    apiVersion: networking.istio.io/v1
    kind: WorkloadEntry
    metadata: {name: reviews-v2, namespace: default}
    spec: {address: 10.0.0.12, labels: {app: reviews, version: v2}, serviceAccount: reviews-v2}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: ratings, namespace: default}
    spec:
      selector: {app: ratings}
      ports: [{name: http, port: 9080}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: ratings-v1, namespace: default, labels: {app: ratings}}
    spec: {serviceAccountName: ratings}
    status: {podIP: 10.0.0.21}
    ---
    apiVersion: networking.istio.io/v1
    kind: Sidecar
    metadata: {name: reviews, namespace: default}
    spec:
      workloadSelector: {labels: {app: reviews}}
      ingress:
      - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 127.0.0.1:8080, captureMode: NONE}
      - {port: {number: 9090, protocol: TCP, name: tcp}, defaultEndpoint: 127.0.0.1:8090, captureMode: NONE}
    """

    static let reviewsProxy = TranslatorFixture.sidecar("10.0.0.11", name: "reviews-v1", labels: ["app": "reviews", "version": "v1"])
    static let client = TranslatorFixture.sidecar("10.0.0.5", name: "client", labels: ["app": "client"])

    static func snapshot(_ yaml: String) throws -> MeshSnapshot {
        let text = services + "\n---\n" + yaml
        let (reports, failure) = ConfigValidator().validate(source: "security.yaml", bytes: Array(text.utf8))
        if let failure { throw FixtureError(description: "\(failure)") }
        for report in reports where report.hasErrors {
            throw FixtureError(description: report.errors.map { report.formatted($0) }.joined(separator: "; "))
        }
        return MeshSnapshot(version: 1, objects: reports.compactMap(\.object))
    }

    static func translate(_ yaml: String, proxy: ProxyNode = reviewsProxy, options: TranslatorOptions = TranslatorOptions()) throws -> ProxyResources {
        XDSTranslator(options: options).resources(for: proxy, in: try snapshot(yaml))
    }

    static func peerAuthentication(_ name: String, namespace: String = "default", selector: String = "", mode: String, ports: String = "") -> String {
        """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
          \(selector.isEmpty ? "" : "selector: {matchLabels: {\(selector)}}")
          mtls: {mode: \(mode)}
          \(ports.isEmpty ? "" : "portLevelMtls: {\(ports)}")
        """
    }

    /// The inbound HTTP listener's connection manager (first chain).
    static func inboundHCM(_ resources: ProxyResources, port: Int = 9080) throws -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager {
        let listener = try resources.listener("10.0.0.11_\(port)")
        return try Unpack.hcm(try #require(listener.filterChains.first?.filters.first))
    }

    static func rbac(_ filter: Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter) throws -> Envoy_Extensions_Filters_Http_Rbac_V3_RBAC {
        try Envoy_Extensions_Filters_Http_Rbac_V3_RBAC(unpackingAny: filter.typedConfig)
    }
}
