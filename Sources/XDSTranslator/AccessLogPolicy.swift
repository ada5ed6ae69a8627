import MeshConfig
import MeshSnapshot

/// Whether a proxy's HTTP connection managers log, from Istio's Telemetry API:
/// the most specific Telemetry with `accessLogging` wins (a workload selector in
/// the proxy's namespace, else the namespace's selector-less one, else the root
/// namespace's); `disabled` turns logging off, a provider turns it on, and `match.mode`
/// limits it to the client (outbound) or server (inbound) side. With no
/// Telemetry, the mesh default (`TranslatorOptions.accessLog`) applies.
struct AccessLogPolicy: Equatable {
    var client: Bool
    var server: Bool

    /// The providers the built-in `envoy` text logger stands for.
    static let builtInProviders: Set<String> = ["envoy", "stdout"]

    static func resolve(proxy: ProxyNode, snapshot: MeshSnapshot, meshDefault: Bool) -> AccessLogPolicy {
        let withLogging = snapshot.telemetries.filter { $0.spec.accessLogging != nil }
        let local = withLogging.filter { $0.namespace == proxy.namespace }
        let chosen = local.first { telemetry in
            let labels = telemetry.spec.selector?.matchLabels ?? [:]
            return !labels.isEmpty && proxy.matches(labels)
        } ?? local.first { ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
            ?? withLogging.first { $0.namespace == snapshot.rootNamespace && ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
        guard let rules = chosen?.spec.accessLogging else { return AccessLogPolicy(client: meshDefault, server: meshDefault) }
        var policy = AccessLogPolicy(client: false, server: false)
        for rule in rules {
            let providers = (rule.providers ?? []).compactMap(\.name)
            // No provider named: Istio's default provider (the envoy text log).
            let logs = rule.disabled != true && (providers.isEmpty || providers.contains { builtInProviders.contains($0) })
            switch rule.match?.mode {
            case .client?: policy.client = logs
            case .server?: policy.server = logs
            default:
                policy.client = logs
                policy.server = logs
            }
        }
        return policy
    }
}
