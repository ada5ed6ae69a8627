import MeshConfig
import MeshSnapshot
import XDSAPI

/// Which access logs a proxy's HTTP connection managers and tcp_proxies write, from Istio's
/// Telemetry API: the most specific Telemetry with `accessLogging` wins (a workload
/// selector in the proxy's namespace, else the namespace's selector-less one, else
/// the root namespace's); per rule, `disabled` turns logging off, `providers` (or
/// MeshConfig `defaultProviders.accessLogging`) name the loggers, `filter.expression`
/// becomes Envoy's CEL filter, and `match.mode` limits it to the client (outbound)
/// or server (inbound) side. With no Telemetry: MeshConfig's default providers, then
/// `accessLogFile` / `accessLogEncoding` / `accessLogFormat`, then the translator's
/// option (stdout, Istio's text format).
struct AccessLogPolicy: Equatable {
    var client: [Envoy_Config_Accesslog_V3_AccessLog]
    var server: [Envoy_Config_Accesslog_V3_AccessLog]
    /// MeshConfig `disableEnvoyListenerLog`: no listener-level logs.
    var listenerLogDisabled = false

    /// The listener-level logs of each side (ListenerAccessLog).
    var listenerClient: [Envoy_Config_Accesslog_V3_AccessLog] { listenerLogDisabled ? [] : ListenerAccessLog.logs(client) }
    var listenerServer: [Envoy_Config_Accesslog_V3_AccessLog] { listenerLogDisabled ? [] : ListenerAccessLog.logs(server) }

    /// The built-in provider: Istio's text format on stdout.
    static let builtInProviders: Set<String> = ["envoy", "stdout"]

    init(client: [Envoy_Config_Accesslog_V3_AccessLog], server: [Envoy_Config_Accesslog_V3_AccessLog]) {
        self.client = client
        self.server = server
    }

    /// Both sides the same: Istio's default log, or none.
    init(meshDefault: Bool) {
        let logs = meshDefault ? [AccessLogBuilder.stdout()] : []
        self.init(client: logs, server: logs)
    }

    static func resolve(proxy: ProxyNode, snapshot: MeshSnapshot, meshDefault: Bool) -> AccessLogPolicy {
        var policy = resolveSides(proxy: proxy, snapshot: snapshot, meshDefault: meshDefault)
        policy.listenerLogDisabled = snapshot.meshConfig.disableEnvoyListenerLog == true
        return policy
    }

    private static func resolveSides(proxy: ProxyNode, snapshot: MeshSnapshot, meshDefault: Bool) -> AccessLogPolicy {
        let mesh = snapshot.meshConfig
        let withLogging = snapshot.telemetries.filter { $0.spec.accessLogging != nil }
        let local = withLogging.filter { $0.namespace == proxy.namespace }
        let chosen = local.first { telemetry in
            let labels = telemetry.spec.selector?.matchLabels ?? [:]
            return !labels.isEmpty && proxy.matches(labels)
        } ?? local.first { ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
            ?? withLogging.first { $0.namespace == snapshot.rootNamespace && ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
        guard let rules = chosen?.spec.accessLogging else {
            if let defaults = mesh.defaultProviders?.accessLogging, !defaults.isEmpty {
                let logs = defaults.flatMap { Self.logs(provider: $0, mesh: mesh, filter: nil) }
                return AccessLogPolicy(client: logs, server: logs)
            }
            if let file = mesh.accessLogFile {
                let logs = file.isEmpty ? [] : [AccessLogBuilder.meshFile(file, mesh: mesh)]
                return AccessLogPolicy(client: logs, server: logs)
            }
            return AccessLogPolicy(meshDefault: meshDefault)
        }
        var policy = AccessLogPolicy(client: [], server: [])
        for rule in rules {
            var logs: [Envoy_Config_Accesslog_V3_AccessLog] = []
            if rule.disabled != true {
                var names = (rule.providers ?? []).compactMap(\.name)
                if names.isEmpty { names = mesh.defaultProviders?.accessLogging ?? [] }
                if names.isEmpty { names = ["envoy"] }
                let expression = rule.filter?.expression.flatMap { $0.isEmpty ? nil : $0 }
                logs = names.flatMap { self.logs(provider: $0, mesh: mesh, filter: expression) }
            }
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

    /// The loggers one provider name stands for: the built-in one, an
    /// `envoyFileAccessLog` extension provider, or nothing for providers of other
    /// kinds (OpenTelemetry / HTTP / TCP access-log services are not exported).
    static func logs(provider name: String, mesh: IstioMeshConfig, filter: String?) -> [Envoy_Config_Accesslog_V3_AccessLog] {
        var log: Envoy_Config_Accesslog_V3_AccessLog
        if builtInProviders.contains(name) {
            log = AccessLogBuilder.stdout()
        } else if let file = mesh.provider(named: name)?.envoyFileAccessLog {
            log = AccessLogBuilder.file(path: file.path ?? "/dev/stdout", text: file.logFormat?.text, labels: file.logFormat?.labels)
        } else {
            return []
        }
        if let filter { log.filter = AccessLogBuilder.celFilter(filter) }
        return [log]
    }
}
