import Foundation
import MeshRegistry
import MeshSnapshot
import SwiftProtobuf
import XDSAPI
import XDSServer
import XDSTranslator

extension ControlPlane {
    /// Answers the HTTP port: `/ready`, `/metrics`, `/debug/syncz`,
    /// `/debug/config_dump?proxyID=`, `/debug/registryz`, `/sd/prometheus`.
    func http(_ request: DebugHTTPServer.Request) async -> DebugHTTPServer.Response {
        if request.path.hasPrefix("/api/") { return await api(request) }
        if request.path == "/v1/traces" { return receiveTraces(request) }
        if request.path == "/ui" || request.path.hasPrefix("/ui/") { return ConsoleAssets.response(for: request.path) }
        let (status, type, body) = await debug(request.path, request.query)
        return DebugHTTPServer.Response(status, type, body)
    }

    func debug(_ path: String, _ query: [String: String]) async -> (status: Int, contentType: String, body: String) {
        switch path {
        case "/ready":
            return (200, "text/plain", "ok\n")
        case "/metrics":
            return (200, "text/plain; version=0.0.4", await metrics())
        case "/debug/syncz":
            return (200, "application/json", json(await syncz()))
        case "/debug/registryz":
            return (200, "application/json", json(registryz()))
        case "/sd/prometheus":
            return (200, "application/json", json(await prometheusTargets()))
        case "/debug/configz":
            return (200, "application/json", json(configErrors.mapValues { $0 }))
        case "/debug/config_dump":
            guard let id = query["proxyID"] else { return (400, "text/plain", "proxyID is required\n") }
            let statuses = await xdsServer?.status.snapshot() ?? []
            guard let status = statuses.first(where: { $0.nodeID == id || $0.nodeID.split(separator: "~").dropFirst(2).first.map(String.init) == id }) else {
                return (404, "text/plain", "no connected proxy \(id)\n")
            }
            do {
                let proxy = try NodeIdentity.proxy(from: status.node)
                return (200, "application/json", try XDSTranslator(options: options.translator).resources(for: proxy, in: snapshot).json())
            } catch {
                return (500, "text/plain", "\(error)\n")
            }
        default:
            return (404, "text/plain", "not found: \(path)\n")
        }
    }

    func prometheusTargets() async -> [[String: Any]] {
        let proxies = await xdsServer?.status.snapshot().map(\.node) ?? []
        return PrometheusTargets.groups(proxies: proxies, controlPlane: httpAddress)
    }

    func syncz() async -> [[String: Any]] {
        let statuses = await xdsServer?.status.snapshot() ?? []
        return statuses.map { status in
            var types: [String: Any] = [:]
            for (type, value) in status.types {
                types[TypeURL.shortName(type)] = ["state": value.state, "sent": value.sentVersion ?? "", "acked": value.ackedVersion ?? "", "error": value.nack ?? ""]
            }
            return ["proxy": status.nodeID, "cluster": status.cluster, "types": types]
        }
    }

    func registryz() -> [[String: Any]] {
        snapshot.registry.services.map { service in
            [
                "hostname": service.hostname, "namespace": service.namespace,
                "ports": service.ports.map { ["name": $0.name, "port": $0.number, "protocol": $0.proto.rawValue] },
                "endpoints": (snapshot.registry.endpoints[service.hostname] ?? []).map { "\($0.address):\($0.port)" },
            ]
        }
    }

    func metrics() async -> String {
        let statuses = await xdsServer?.status.snapshot() ?? []
        let pushes = await xdsServer?.status.pushesByType ?? [:]
        let nacks = await xdsServer?.status.nacksTotal ?? 0
        let pushTime = await xdsServer?.status.pushTime ?? [:]
        let convergence = await xdsServer?.status.convergence ?? LatencyHistogram()
        let (translations, nanoseconds) = await translationStats()
        var lines = [
            "# HELP pilot_xds Number of endpoints connected to this pilot using XDS.",
            "# TYPE pilot_xds gauge",
            "pilot_xds{version=\"swiftmesh\"} \(statuses.count)",
            "# HELP pilot_xds_pushes Pilot build and send errors for lds, rds, cds and eds.",
            "# TYPE pilot_xds_pushes counter",
        ]
        for (type, count) in pushes.sorted(by: { $0.key < $1.key }) {
            lines.append("pilot_xds_pushes{type=\"\(TypeURL.shortName(type).lowercased())\"} \(count)")
        }
        lines += ["# HELP pilot_xds_push_time Total time in seconds to push lds, rds, cds and eds.", "# TYPE pilot_xds_push_time histogram"]
        for (type, histogram) in pushTime.sorted(by: { $0.key < $1.key }) {
            lines += histogram.lines("pilot_xds_push_time", labels: "type=\"\(TypeURL.shortName(type).lowercased())\"")
        }
        lines += ["# HELP pilot_proxy_convergence_time Delay in seconds between config change and a proxy receiving all required configuration.",
                  "# TYPE pilot_proxy_convergence_time histogram"]
        lines += convergence.lines("pilot_proxy_convergence_time")
        lines += [
            "# HELP pilot_total_xds_rejects Total number of XDS responses from pilot rejected by proxy.",
            "# TYPE pilot_total_xds_rejects counter",
            "pilot_total_xds_rejects \(nacks)",
            "# HELP pilot_services Total services known to pilot.",
            "# TYPE pilot_services gauge",
            "pilot_services \(snapshot.registry.services.count)",
            "# HELP swiftmesh_config_rejected_files Config files whose latest version was rejected.",
            "# TYPE swiftmesh_config_rejected_files gauge",
            "swiftmesh_config_rejected_files \(configErrors.count)",
            "# HELP swiftmesh_translations_total Proxy translations computed.",
            "# TYPE swiftmesh_translations_total counter",
            "swiftmesh_translations_total \(translations)",
            "# HELP swiftmesh_translation_seconds_total Time spent translating.",
            "# TYPE swiftmesh_translation_seconds_total counter",
            "swiftmesh_translation_seconds_total \(Double(nanoseconds) / 1e9)",
        ]
        lines += certificateAuthority?.metricLines() ?? []
        return lines.joined(separator: "\n") + "\n"
    }

    func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]) else { return "null" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
