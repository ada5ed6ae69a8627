import MeshConfig

/// IST0118 (Service port names), IST0134 (ServiceEntry addresses for TCP ports),
/// IST0101 for AuthorizationPolicy namespaces.
enum ServiceAnalyzer {
    static let protocolPrefixes: Set<String> = ["tcp", "udp", "grpc", "grpc-web", "http", "http_proxy", "http2", "https", "tls", "mongo", "redis", "mysql"]

    static func run(_ context: AnalysisContext, into messages: inout [AnalysisMessage]) {
        for (object, service) in context.kubeServices {
            let labels = object.metadata.labels ?? [:]
            if labels["istio"] != nil || labels["release"] == "istio" { continue }
            for port in service.spec?.ports ?? [] where port.protocol != "UDP" {
                let name = port.appProtocol ?? port.name ?? ""
                if name.lowercased().hasPrefix("grpc-web") { continue }
                let prefix = name.split(separator: "-", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                if protocolPrefixes.contains(prefix) { continue }
                let target: String
                switch port.targetPort {
                case .int(let value)?: target = String(value)
                case .string(let value)?: target = value
                case nil: target = "0"
                }
                messages.append(AnalysisMessage(.portNameNotUnderNamingConvention, origin: object,
                    "Port name \(port.name ?? "") (port: \(port.port ?? 0), targetPort: \(target)) doesn't follow the naming convention of Istio port."))
            }
        }
        for object in context.objects(of: .serviceEntry) {
            guard case .serviceEntry(let entry) = object.spec, (entry.addresses ?? []).isEmpty else { continue }
            for port in entry.ports ?? [] where (port.protocol ?? "").isEmpty || port.protocol?.uppercased() == "TCP" {
                messages.append(AnalysisMessage(.serviceEntryAddressesRequired, origin: object, "ServiceEntry addresses are required for this protocol."))
            }
        }
        for object in context.objects(of: .authorizationPolicy) {
            guard case .authorizationPolicy(let policy) = object.spec else { continue }
            for rule in policy.rules ?? [] {
                for from in rule.from ?? [] {
                    for namespace in (from.source?.namespaces ?? []) + (from.source?.notNamespaces ?? []) where !matchesAny(namespace, context.namespaces) {
                        messages.append(AnalysisMessage(.referencedResourceNotFound, origin: object, "Referenced namespace not found: \"\(namespace)\""))
                    }
                }
            }
        }
    }

    /// `*`, `prefix*`, `*suffix` or an exact (case-insensitive) name.
    static func matchesAny(_ pattern: String, _ namespaces: Set<String>) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix("*") { return namespaces.contains { $0.hasPrefix(pattern.dropLast()) } }
        if pattern.hasPrefix("*") { return namespaces.contains { $0.hasSuffix(pattern.dropFirst()) } }
        return namespaces.contains { $0.lowercased() == pattern.lowercased() }
    }
}
