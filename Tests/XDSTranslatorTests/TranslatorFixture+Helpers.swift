import MeshConfig
import MeshSnapshot
import MeshValidation
import SwiftProtobuf
import Testing
import XDSAPI
@testable import XDSTranslator

/// Helpers for the field-by-field translator tests: building snapshots without
/// crashing the test process on invalid YAML, proxies, and finders for resources.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

extension TranslatorFixture {
    /// Like `resources(_:proxy:)` but throws (instead of trapping) when the YAML does not
    /// validate, so one bad fixture fails one test. `base: false` leaves out `meshServices`.
    static func translate(_ yaml: String, proxy: ProxyNode = productpage, base: Bool = true) throws -> ProxyResources {
        let text = base ? meshServices + "\n---\n" + yaml : yaml
        let (reports, failure) = ConfigValidator().validate(source: "fixture.yaml", bytes: Array(text.utf8))
        if let failure { throw FixtureError(description: "\(failure)") }
        for report in reports where report.hasErrors {
            throw FixtureError(description: report.errors.map { report.formatted($0) }.joined(separator: "; "))
        }
        let snapshot = MeshSnapshot(version: 1, objects: reports.compactMap(\.object))
        return XDSTranslator().resources(for: proxy, in: snapshot)
    }

    static func sidecar(_ ip: String = "10.0.0.5", name: String = "client", namespace: String = "default",
                        labels: [String: String] = ["app": "client"], locality: String? = nil) -> ProxyNode {
        try! ProxyNode(nodeID: "sidecar~\(ip)~\(name).\(namespace)~\(namespace).svc.cluster.local",
                       metadata: ["NAMESPACE": namespace], labels: labels, locality: locality)
    }

    static func gateway(labels: [String: String] = ["istio": "ingressgateway"], namespace: String = "istio-system") -> ProxyNode {
        try! ProxyNode(nodeID: "router~10.0.0.2~gw.\(namespace)~\(namespace).svc.cluster.local",
                       metadata: ["NAMESPACE": namespace], labels: labels)
    }

    /// A `VirtualService` for `reviews` in `default` with the given `http:` list (indented by two).
    static func reviewsVS(_ http: String, extra: String = "") -> String {
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: default}\nspec:\n  hosts: [reviews]\n"
            + extra + "  http:\n" + http
    }

    /// A `DestinationRule` for `ratings` in `default` with the given spec lines (indented by two).
    static func ratingsDR(_ spec: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ratings, namespace: default}\nspec:\n  host: ratings\n" + spec
    }
}

extension ProxyResources {
    func cluster(_ name: String) throws -> Envoy_Config_Cluster_V3_Cluster {
        try #require(clusters.first { $0.name == name }, "no cluster \(name) in \(clusters.map(\.name))")
    }

    func listener(_ name: String) throws -> Envoy_Config_Listener_V3_Listener {
        try #require(listeners.first { $0.name == name }, "no listener \(name) in \(listeners.map(\.name))")
    }

    func routeConfig(_ name: String) throws -> Envoy_Config_Route_V3_RouteConfiguration {
        try #require(routes.first { $0.name == name }, "no route configuration \(name) in \(routes.map(\.name))")
    }

    func assignment(_ cluster: String) throws -> Envoy_Config_Endpoint_V3_ClusterLoadAssignment {
        try #require(endpoints.first { $0.clusterName == cluster }, "no endpoints for \(cluster)")
    }

    /// The virtual host named `name` (e.g. `reviews.default.svc.cluster.local:9080`) in route configuration `config`.
    func virtualHost(_ name: String, config: String = "9080") throws -> Envoy_Config_Route_V3_VirtualHost {
        let route = try routeConfig(config)
        return try #require(route.virtualHosts.first { $0.name == name }, "no virtual host \(name) in \(route.virtualHosts.map(\.name))")
    }

    /// The routes served for `host` (a domain) in route configuration `config`.
    func httpRoutes(_ host: String = "reviews", config: String = "9080") -> [Envoy_Config_Route_V3_Route] {
        routes.first { $0.name == config }?.virtualHosts.first { $0.domains.contains(host) }?.routes ?? []
    }

    /// The one route served for `host`.
    func firstRoute(_ host: String = "reviews", config: String = "9080") throws -> Envoy_Config_Route_V3_Route {
        try #require(httpRoutes(host, config: config).first, "no route for \(host) in \(config)")
    }

    var clusterNames: [String] { clusters.map(\.name) }
}

enum Unpack {
    static func hcm(_ filter: Envoy_Config_Listener_V3_Filter) throws -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager {
        try Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager(unpackingAny: filter.typedConfig)
    }

    static func tcpProxy(_ filter: Envoy_Config_Listener_V3_Filter) throws -> Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy {
        try Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy(unpackingAny: filter.typedConfig)
    }

    static func fault(_ route: Envoy_Config_Route_V3_Route) throws -> Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault {
        try Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault(unpackingAny: try #require(route.typedPerFilterConfig["envoy.filters.http.fault"]))
    }

    static func cors(_ route: Envoy_Config_Route_V3_Route) throws -> Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy {
        try Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy(unpackingAny: try #require(route.typedPerFilterConfig["envoy.filters.http.cors"]))
    }

    static func httpOptions(_ cluster: Envoy_Config_Cluster_V3_Cluster) throws -> Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions {
        let any = try #require(cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"],
                               "\(cluster.name) has no HttpProtocolOptions")
        return try Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions(unpackingAny: any)
    }

    /// The cluster's HttpProtocolOptions, or nil when it has none (records no issue).
    static func httpOptionsIfAny(_ cluster: Envoy_Config_Cluster_V3_Cluster) throws -> Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions? {
        guard let any = cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] else { return nil }
        return try Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions(unpackingAny: any)
    }

    static func upstreamTLS(_ cluster: Envoy_Config_Cluster_V3_Cluster) throws -> Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext {
        #expect(cluster.transportSocket.name == "envoy.transport_sockets.tls")
        return try Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext(unpackingAny: cluster.transportSocket.typedConfig)
    }

    static func downstreamTLS(_ chain: Envoy_Config_Listener_V3_FilterChain) throws -> Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext {
        #expect(chain.transportSocket.name == "envoy.transport_sockets.tls")
        return try Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext(unpackingAny: chain.transportSocket.typedConfig)
    }
}

/// A FractionalPercent as a percentage, whatever its denominator (Istio writes 100 % as
/// 100/HUNDRED and 25.5 % as 255000/MILLION; both mean the same to Envoy).
func percentValue(_ fraction: Envoy_Type_V3_FractionalPercent) -> Double {
    let denominator: Double = switch fraction.denominator {
    case .hundred: 100
    case .tenThousand: 10_000
    case .million: 1_000_000
    default: 100
    }
    return Double(fraction.numerator) * 100 / denominator
}

func seconds(_ duration: Google_Protobuf_Duration) -> Double {
    Double(duration.seconds) + Double(duration.nanos) / 1e9
}

extension Envoy_Config_Endpoint_V3_ClusterLoadAssignment {
    /// `address:port` of every endpoint, in order.
    var addresses: [String] {
        endpoints.flatMap(\.lbEndpoints).map { "\($0.endpoint.address.socketAddress.address):\($0.endpoint.address.socketAddress.portValue)" }
    }
}

extension Envoy_Config_Route_V3_RouteMatch {
    func header(_ name: String) -> Envoy_Config_Route_V3_HeaderMatcher? { headers.first { $0.name == name } }
}

extension Envoy_Config_Cluster_V3_Cluster {
    var usesLocalityWeights: Bool {
        if case .localityWeightedLbConfig? = commonLbConfig.localityConfigSpecifier { return true }
        return false
    }
}

extension Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions.ExplicitHttpConfig {
    var isHTTP2: Bool {
        if case .http2ProtocolOptions? = protocolConfig { return true }
        return false
    }

    var isHTTP1: Bool {
        if case .httpProtocolOptions? = protocolConfig { return true }
        return false
    }
}
