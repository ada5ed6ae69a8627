import Foundation
import MeshRegistry
import XDSServer

extension ControlPlane {
    /// The management API (JSON over HTTP, described at `/api/v1/openapi.json`):
    /// config objects (list / get / apply / delete, stored as files in the config
    /// directory so nothing is lost on restart), services, proxies.
    func api(_ request: DebugHTTPServer.Request) async -> DebugHTTPServer.Response {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v1" else { return Self.json(404, ["error": "not found: \(request.path)"]) }
        let api = ConfigAPI(store: store, directory: options.configDirectory)
        switch (request.method, Array(parts.dropFirst(2))) {
        case ("GET", ["openapi.json"]):
            return DebugHTTPServer.Response(200, "application/json", ConfigAPIDocument.openAPI)
        case ("GET", ["services"]):
            return Self.json(200, ["items": registryz()])
        case ("GET", ["proxies"]):
            return Self.json(200, ["items": await syncz()])
        case ("GET", ["traces"]):
            return Self.json(200, tracesReport(limit: Int(request.query["limit"] ?? "") ?? 50))
        case ("GET", let path) where path.count == 2 && path[0] == "traces":
            guard let report = traceReport(path[1]) else { return Self.json(404, ["error": "no spans of trace \(path[1])"]) }
            return Self.json(200, report)
        case ("GET", ["topology"]):
            return Self.json(200, await topologyReport())
        case ("GET", ["vms"]):
            return respond(api.listVMs())
        case ("POST", ["vms"]):
            return await commit(api.registerVM(body: request.body))
        case ("DELETE", let path) where path.count == 3 && path[0] == "vms":
            return await commit(api.unregisterVM(namespace: path[1], name: path[2]))
        case ("GET", ["config"]):
            return respond(api.list(kind: request.query["kind"]))
        case ("GET", let path) where path.count == 4 && path[0] == "config":
            return respond(api.get(kind: path[1], namespace: path[2], name: path[3]))
        case ("PUT", let path) where path.count == 4 && path[0] == "config":
            let outcome = api.apply(kind: path[1], namespace: path[2], name: path[3], body: request.body, ifMatch: request.headers["if-match"])
            return await commit(outcome)
        case ("DELETE", let path) where path.count == 4 && path[0] == "config":
            let outcome = api.delete(kind: path[1], namespace: path[2], name: path[3], ifMatch: request.headers["if-match"])
            return await commit(outcome)
        default:
            return Self.json(request.method == "GET" ? 404 : 405, ["error": "no \(request.method) \(request.path)"])
        }
    }

    /// Carries out the file change (atomically: temp file, then rename), applies it
    /// at once and pushes, so the next request and the proxies see it.
    private func commit(_ outcome: ConfigAPI.Outcome) async -> DebugHTTPServer.Response {
        guard let change = outcome.change else { return respond(outcome) }
        do {
            switch change {
            case .write(let path, let text):
                let temporary = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".api-\(UUID().uuidString).tmp")
                try Data(text.utf8).write(to: temporary)
                guard rename(temporary.path, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            case .delete(let path):
                try FileManager.default.removeItem(atPath: path)
            }
        } catch {
            return Self.json(500, ["error": "could not store the change: \(error)"])
        }
        let changedAt = MonotonicClock.nanoseconds()
        if reload() { await xdsServer?.push(changedAt: changedAt) }
        return respond(outcome)
    }

    private func respond(_ outcome: ConfigAPI.Outcome) -> DebugHTTPServer.Response {
        var response = Self.json(outcome.status, outcome.body)
        if let version = outcome.resourceVersion { response.headers.append(("etag", "\"\(version)\"")) }
        return response
    }

    static func json(_ status: Int, _ body: Any) -> DebugHTTPServer.Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return DebugHTTPServer.Response(status, "application/json", String(decoding: data, as: UTF8.self) + "\n")
    }
}
