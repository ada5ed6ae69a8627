import MeshCore

extension IstioMeshConfig {
    /// A mesh config file that cannot be used, with where and what.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Decodes a MeshConfig YAML/JSON document; the `istio` ConfigMap form
    /// (`data.mesh` holding the YAML as text) is accepted as well.
    public static func decode(_ bytes: [UInt8], source: String) throws(ReadError) -> IstioMeshConfig {
        let parsed = DocumentParser.parse(bytes, source: source)
        if let failure = parsed.failure { throw ReadError(description: "\(failure)") }
        guard let root = parsed.documents.first?.root else { return IstioMeshConfig() }
        if root.entries?.first(where: { $0.key == "kind" })?.value.string == "ConfigMap" {
            let data = root.entries?.first { $0.key == "data" }?.value.entries
            guard let text = data?.first(where: { $0.key == "mesh" })?.value.string else {
                throw ReadError(description: "\(source): ConfigMap has no data.mesh")
            }
            return try decode(Array(text.utf8), source: "\(source) (data.mesh)")
        }
        let config: IstioMeshConfig
        do {
            config = try ConfigNodeDecoder().decode(IstioMeshConfig.self, from: root)
        } catch {
            throw ReadError(description: "\(source): \(error.description)")
        }
        try config.check(source: source)
        return config
    }

    private func check(source: String) throws(ReadError) {
        for (index, provider) in (extensionProviders ?? []).enumerated() {
            guard let otel = provider.opentelemetry else { continue }
            let path = "\(source): extensionProviders[\(index)].opentelemetry"
            if otel.service.isEmpty { throw ReadError(description: "\(path).service: must name the collector's host") }
            if !(1...65535).contains(otel.port) { throw ReadError(description: "\(path).port: \(otel.port) is not a port number") }
            if otel.http == nil {
                throw ReadError(description: "\(path): only OTLP/HTTP export is supported; set http: {path: /v1/traces}")
            }
            if let timeout = otel.http?.timeout, (try? GoDuration.parse(timeout)) == nil {
                throw ReadError(description: "\(path).http.timeout: \"\(timeout)\" is not a duration")
            }
        }
        let names = Set((extensionProviders ?? []).map(\.name))
        for name in defaultProviders?.tracing ?? [] where !names.contains(name) {
            throw ReadError(description: "\(source): defaultProviders.tracing names \"\(name)\", which is not in extensionProviders")
        }
    }
}
