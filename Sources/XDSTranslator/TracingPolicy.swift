import MeshConfig
import MeshSnapshot

/// A proxy's tracing per side, from Istio's Telemetry API and the mesh config:
/// Telemetry `tracing` at the root namespace, then the proxy's namespace, then a
/// workload selector, each overriding what it sets (Istio's merge); `match.mode`
/// limits an entry to the client (outbound, gateway) or server (inbound) side.
/// The provider is the last one named, else the mesh config's
/// `defaultProviders.tracing`, else the options' default collector; without
/// one there is no tracing.
struct TracingPolicy: Equatable {
    struct Side: Equatable {
        var provider: TracingProvider
        var samplingPercentage: Double
        var customTags: [String: CustomTag]
        var useRequestIDForTraceSampling: Bool
        var enableIstioTags: Bool
    }

    /// nil: that side does not trace.
    var client: Side?
    var server: Side?

    /// Istio's PILOT_TRACE_SAMPLING default when nothing sets a percentage.
    static let defaultSampling = 1.0

    private struct Accumulated {
        var providers: [String]?
        var sampling: Double?
        var disabled: Bool?
        var customTags: [String: CustomTag]?
        var useRequestID: Bool?
        var istioTags: Bool?

        mutating func apply(_ entry: Tracing) {
            if let names = entry.providers?.compactMap(\.name), !names.isEmpty { providers = names }
            if let value = entry.randomSamplingPercentage { sampling = value }
            if let value = entry.disableSpanReporting { disabled = value }
            if let tags = entry.customTags, !tags.isEmpty { customTags = (customTags ?? [:]).merging(tags) { $1 } }
            if let value = entry.useRequestIdForTraceSampling { useRequestID = value }
            if let value = entry.enableIstioTags { istioTags = value }
        }
    }

    static func resolve(proxy: ProxyNode, snapshot: MeshSnapshot, fallback: TranslatorOptions.TracingCollector?) -> TracingPolicy {
        let withTracing = snapshot.telemetries.filter { !($0.spec.tracing ?? []).isEmpty }
        let unselected = { (telemetry: Scoped<Telemetry>) in (telemetry.spec.selector?.matchLabels ?? [:]).isEmpty }
        var levels: [Scoped<Telemetry>] = []
        if let root = withTracing.first(where: { $0.namespace == snapshot.rootNamespace && unselected($0) }) { levels.append(root) }
        if proxy.namespace != snapshot.rootNamespace,
           let namespace = withTracing.first(where: { $0.namespace == proxy.namespace && unselected($0) }) { levels.append(namespace) }
        if let workload = withTracing.first(where: { $0.namespace == proxy.namespace && !unselected($0) && proxy.matches($0.spec.selector?.matchLabels ?? [:]) }) {
            levels.append(workload)
        }
        var client = Accumulated()
        var server = Accumulated()
        for level in levels {
            for entry in level.spec.tracing ?? [] {
                switch entry.match?.mode {
                case .client?: client.apply(entry)
                case .server?: server.apply(entry)
                default:
                    client.apply(entry)
                    server.apply(entry)
                }
            }
        }
        return TracingPolicy(client: side(client, mesh: snapshot.meshConfig, fallback: fallback),
                             server: side(server, mesh: snapshot.meshConfig, fallback: fallback))
    }

    private static func side(_ settings: Accumulated, mesh: IstioMeshConfig, fallback: TranslatorOptions.TracingCollector?) -> Side? {
        guard settings.disabled != true else { return nil }
        let provider: TracingProvider
        if let name = settings.providers?.first ?? mesh.defaultProviders?.tracing?.first {
            guard let declared = mesh.provider(named: name), let usable = TracingProvider(declared) else { return nil }
            provider = usable
        } else if let fallback {
            provider = TracingProvider(fallback)
        } else {
            return nil
        }
        return Side(provider: provider, samplingPercentage: min(max(settings.sampling ?? defaultSampling, 0), 100), customTags: settings.customTags ?? [:],
                    useRequestIDForTraceSampling: settings.useRequestID ?? true, enableIstioTags: settings.istioTags ?? true)
    }
}
