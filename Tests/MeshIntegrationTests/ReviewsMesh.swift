import Foundation
import MeshLocal

/// A small mesh for routing tests: a `client` workload (a stock Envoy or swiftmesh sidecar, its egress
/// bound on the client's own address, captureMode NONE) and `reviews` versions as demo
/// apps registered with ServiceEntry + WorkloadEntry.
final class ReviewsMesh: @unchecked Sendable {
    let harness: MeshHarness
    let clientHost = 1
    private(set) var clientAdmin = 0

    struct App {
        var version: String
        var host: Int
        var extra: [String] = []
    }

    init(dataPlane: DataPlane = .envoy, apps: [App], routing: String?, extraConfig: String? = nil, trafficPolicy: String? = nil, delta: Bool = false, controlPlaneArguments: [String] = []) throws {
        harness = try MeshHarness()
        let client = harness.address(clientHost)
        let http = MeshYAML.Port(name: "http", number: 9080, protocol: "HTTP", targetPort: 18080)
        try harness.write("services.yaml", MeshYAML.documents(
            [MeshYAML.reviewsService(ports: [http])] + apps.map { MeshYAML.reviewsEntry($0.version, address: harness.address($0.host)) } + [
                """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: default}
                spec:
                  host: reviews.default.svc.cluster.local
                  \(trafficPolicy.map { "trafficPolicy: " + $0 } ?? "")
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}, {name: v3, labels: {version: v3}}]
                """,
                MeshYAML.sidecar("client", """
                  egress:
                \(MeshYAML.boundEgress(http, on: client))
                \(MeshYAML.boundEgress(MeshYAML.Port(name: "tcp", number: 9090, protocol: "TCP"), on: client))
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """),
            ]))
        if let routing { try harness.write("routing.yaml", routing) }
        if let extraConfig { try harness.write("extra.yaml", extraConfig) }
        for app in apps {
            try harness.startApp("reviews", version: app.version, host: app.host, extra: app.extra)
        }
        try harness.startControlPlane(extra: controlPlaneArguments)
        clientAdmin = try harness.startProxy(dataPlane, "client", nodeID: "sidecar~\(harness.address(clientHost))~client.default~default.svc.cluster.local",
                               labels: ["app": "client"], waitFor: ["\(harness.address(clientHost))_9080"], delta: delta)
        try harness.waitUntil("routes in force", timeout: 20) {
            (self.get()?.status ?? 0) != 0 && self.get()?.status != 404
        }
    }

    func stop() { harness.stopAll() }

    /// A counter from the client sidecar's admin `/stats` (Envoy's stat names).
    func stat(_ name: String) -> Int {
        let body = HTTPProbe.get("127.0.0.1", clientAdmin, path: "/stats?filter=" + name)?.body ?? ""
        for line in body.split(separator: "\n") where line.hasPrefix(name + ": ") {
            return Int(line.dropFirst(name.count + 2)) ?? 0
        }
        return 0
    }

    func get(_ path: String = "/", host: String = "reviews", headers: [String: String] = [:]) -> HTTPProbe.Response? {
        var all = headers
        all["Host"] = host
        return HTTPProbe.get(harness.address(clientHost), 9080, path: path, headers: all)
    }

    /// `x-served-by` counts over `count` requests.
    func servedBy(_ count: Int, headers: [String: String] = [:]) -> [String: Int] {
        var tally: [String: Int] = [:]
        for _ in 0..<count {
            let response = get(headers: headers)
            tally[response?.headers["x-served-by"] ?? "status-\(response?.status ?? 0)", default: 0] += 1
        }
        return tally
    }

    static func virtualService(_ http: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
        \(http)
        """
    }
}
