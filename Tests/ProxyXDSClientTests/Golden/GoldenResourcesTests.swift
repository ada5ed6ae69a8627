import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The control plane's own golden outputs (Tests/XDSTranslatorTests/Golden) fed to
/// the converter: what converts, and what is refused with which field.
@Suite struct GoldenResourcesTests {
    struct Resources {
        var listeners: [Envoy_Config_Listener_V3_Listener] = []
        var routes: [Envoy_Config_Route_V3_RouteConfiguration] = []
        var clusters: [Envoy_Config_Cluster_V3_Cluster] = []
        var endpoints: [Envoy_Config_Endpoint_V3_ClusterLoadAssignment] = []
    }

    static func load(_ name: String, directory: String = "XDSTranslatorTests/Golden") throws -> Resources {
        XDSAnyTypes.registerAll()
        let path = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let file = "/" + path + "/\(directory)/\(name).json"
        guard let handle = fopen(file, "rb") else { throw GoldenError.missing(file) }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while case let count = fread(&chunk, 1, chunk.count, handle), count > 0 { bytes += chunk[0..<count] }
        let document = try Google_Protobuf_Struct(jsonString: String(decoding: bytes, as: UTF8.self))
        var resources = Resources()
        func decode<M: SwiftProtobuf.Message>(_ key: String) throws -> [M] {
            try (document.fields[key]?.listValue.values ?? []).map { try M(jsonString: try $0.jsonString()) }
        }
        resources.listeners = try decode("listeners")
        resources.routes = try decode("routes")
        resources.clusters = try decode("clusters")
        resources.endpoints = try decode("endpoints")
        return resources
    }

    enum GoldenError: Error { case missing(String) }

    @Test func sidecarRoutesAndEndpointsConvert() throws {
        for name in ["shop-v1-sidecar", "catalog-v2-sidecar"] {
            let resources = try Self.load(name)
            var warnings = ConversionWarnings()
            for route in resources.routes {
                let table = try RouteConfigurationConverter.convert(route, warnings: &warnings)
                #expect(table.virtualHosts.last?.domains == ["*"], "\(name): \(route.name)")
            }
            for assignment in resources.endpoints {
                #expect(try !EndpointConverter.convert(assignment).groups.isEmpty, "\(name): \(assignment.clusterName)")
            }
            var normalised = 0
            for listener in resources.listeners {
                guard case .http(let http) = try ListenerConverter.convert(listener, warnings: &warnings).chain else { continue }
                // The translator's connection managers normalise paths as Istio's do; the proxy applies it.
                if http.pathNormalization.normalizePath && http.pathNormalization.mergeSlashes { normalised += 1 }
            }
            #expect(normalised > 0, "\(name)")
        }
    }

    /// Telemetry inputs: Istio's access-log format on every connection manager,
    /// and the `istio` services metadata on inbound clusters.
    @Test func accessLogsAndServiceMetadataAreRead() throws {
        let resources = try Self.load("catalog-v2-sidecar")
        var warnings = ConversionWarnings()
        for listener in resources.listeners {
            guard case .http(let http) = try ListenerConverter.convert(listener, warnings: &warnings).chain else { continue }
            #expect(http.accessLogs.map(\.path) == ["/dev/stdout"], "\(listener.name)")
            #expect(http.accessLogs.first?.format.segments.contains(.responseFlags) == true)
        }
        let inbound = try #require(resources.clusters.first { $0.name == "inbound|19080||" })
        let (config, _) = try ClusterConverter.convert(inbound, warnings: &warnings)
        #expect(config.istioService == IstioService(host: "catalog.shop.svc.cluster.local", name: "catalog", namespace: "shop"))
        let outbound = try #require(resources.clusters.first { $0.name.hasPrefix("outbound|9080|") && $0.name.hasSuffix("pricing.shop.svc.cluster.local") })
        #expect(try ClusterConverter.convert(outbound, warnings: &warnings).0.istioService?.name == "pricing")
        #expect(!warnings.messages.contains { $0.contains("access_log") }, "\(warnings.messages)")
    }

    @Test func gatewayListenerConvertsOrIsRefusedForAStatedReason() throws {
        var warnings = ConversionWarnings()
        for listener in try Self.load("ingress-gateway").listeners {
            do {
                _ = try ListenerConverter.convert(listener, warnings: &warnings)
            } catch {
                print("golden ingress-gateway: refused \(error)")
                #expect(error.reason.hasSuffix("is not supported by this proxy"))
            }
        }
    }

    @Test func everyGoldenClusterConvertsOrIsRefusedForAStatedReason() throws {
        for name in ["shop-v1-sidecar", "catalog-v2-sidecar", "ingress-gateway"] {
            var warnings = ConversionWarnings()
            for cluster in try Self.load(name).clusters {
                do {
                    _ = try ClusterConverter.convert(cluster, warnings: &warnings)
                } catch {
                    print("golden \(name): refused \(error)")
                    #expect(error.reason.hasSuffix("is not supported by this proxy"), "\(name): \(error)")
                }
            }
        }
    }
}
