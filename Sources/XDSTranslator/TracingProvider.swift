import MeshConfig
import MeshCore

/// An OpenTelemetry tracing provider ready for translation: from the mesh
/// config's `extensionProviders` (OTLP/HTTP only) or the options' default collector.
struct TracingProvider: Equatable {
    var name: String
    var service: String
    var port: Int
    var path: String
    var timeoutNanos: Int64?
    var headers: [(String, String)]
    var maxTagLength: Int?

    static func == (lhs: TracingProvider, rhs: TracingProvider) -> Bool {
        lhs.name == rhs.name && lhs.service == rhs.service && lhs.port == rhs.port && lhs.path == rhs.path
            && lhs.timeoutNanos == rhs.timeoutNanos && lhs.headers.elementsEqual(rhs.headers, by: ==) && lhs.maxTagLength == rhs.maxTagLength
    }

    /// nil for providers SwiftMesh cannot export to: other kinds, OTLP/gRPC
    /// (no `http`), or a provider without service and port.
    init?(_ provider: IstioMeshConfig.ExtensionProvider) {
        guard let otel = provider.opentelemetry, let http = otel.http, let service = otel.service, !service.isEmpty,
              let port = otel.port, (1...65535).contains(port) else { return nil }
        name = provider.name ?? ""
        self.service = service
        self.port = port
        path = http.path.map { $0.hasPrefix("/") ? $0 : "/" + $0 } ?? "/v1/traces"
        timeoutNanos = http.timeout.flatMap { try? GoDuration.parse($0) }
        headers = (http.headers ?? []).compactMap { header in header.name.map { ($0, header.value ?? "") } }
        maxTagLength = otel.maxTagLength
    }

    init(_ collector: TranslatorOptions.TracingCollector) {
        name = "swiftmesh-control-plane"
        service = collector.host
        port = collector.port
        path = collector.path
        headers = []
    }
}
