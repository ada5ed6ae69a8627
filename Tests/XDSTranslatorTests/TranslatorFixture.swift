import MeshConfig
import MeshSnapshot
import MeshValidation
import Testing
import XDSAPI
@testable import XDSTranslator

/// Builds snapshots from YAML and finds resources in translator output.
enum TranslatorFixture {
    static let meshServices = """
    apiVersion: v1
    kind: Service
    metadata: {name: reviews, namespace: default}
    spec:
      selector: {app: reviews}
      ports: [{name: http, port: 9080, targetPort: 9080}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: reviews-v1, namespace: default, labels: {app: reviews, version: v1}}
    spec: {serviceAccountName: reviews}
    status: {podIP: 10.0.0.11}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: reviews-v2, namespace: default, labels: {app: reviews, version: v2}}
    spec: {serviceAccountName: reviews}
    status: {podIP: 10.0.0.12}
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
    metadata: {name: ratings-v1, namespace: default, labels: {app: ratings, version: v1}}
    status: {podIP: 10.0.0.21}
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: reviews, namespace: default}
    spec:
      host: reviews
      subsets:
      - {name: v1, labels: {version: v1}}
      - {name: v2, labels: {version: v2}}
    """

    static let productpage = try! ProxyNode(nodeID: "sidecar~10.0.0.5~productpage-v1.default~default.svc.cluster.local",
                                            metadata: ["NAMESPACE": "default"], labels: ["app": "productpage"])

    /// reviews-v1 on 10.0.0.11 with a Sidecar that binds its ingress (19080) and
    /// egress (9080) listeners to the workload address (captureMode NONE).
    static let reviews = try! ProxyNode(nodeID: "sidecar~10.0.0.11~reviews-v1.default~default.svc.cluster.local", labels: ["app": "reviews"])
    static func captureNoneSidecar(_ extraEgress: String = "") -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: reviews, namespace: default}
        spec:
          workloadSelector: {labels: {app: reviews}}
          ingress:
          - port: {number: 19080, protocol: HTTP, name: http}
            defaultEndpoint: 127.0.0.1:8080
            captureMode: NONE
          egress:
          - port: {number: 9080, protocol: HTTP, name: http}
            captureMode: NONE
            hosts: [./ratings.default.svc.cluster.local]
        """ + extraEgress
    }

    static func snapshot(_ yaml: String) -> MeshSnapshot {
        let (reports, failure) = ConfigValidator().validate(source: "fixture.yaml", bytes: Array((meshServices + "\n---\n" + yaml).utf8))
        precondition(failure == nil, "\(failure!)")
        for report in reports where report.hasErrors { preconditionFailure("\(report.errors.map { report.formatted($0) })") }
        return MeshSnapshot(version: 1, objects: reports.compactMap(\.object))
    }

    static func resources(_ yaml: String, proxy: ProxyNode = productpage) -> ProxyResources {
        XDSTranslator().resources(for: proxy, in: snapshot(yaml))
    }

    /// The routes of the virtual host for `host` in route configuration `name`.
    static func routes(_ resources: ProxyResources, config name: String = "9080", host: String) -> [Envoy_Config_Route_V3_Route] {
        resources.routes.first { $0.name == name }?.virtualHosts.first { $0.domains.contains(host) }?.routes ?? []
    }
}
