import ProxyCore

/// An HTTP listener's live state on one worker: its settings, the route table
/// in force (swapped when RDS changes), its telemetry scope and access logs.
/// Event-loop confined.
final class ListenerRuntime {
    let name: String
    var http: HTTPConnectionConfig
    var routeTable: RouteTable?
    /// Slot of this listener's reporter + workload in the worker's TelemetryStore.
    var telemetryScope: Int32 = 0
    var reporter = TelemetryScope.Reporter.source
    var accessLogs: [AccessLogRuntime] = []
    /// The connection manager's tracing, its operation set from the listener's direction.
    var tracing: TracingConfig? {
        didSet { traces = tracing != nil }
    }
    /// `tracing != nil`, read per request without copying the config.
    private(set) var traces = false
    var spanExporter: SpanExporter?

    init(name: String, http: HTTPConnectionConfig, routeTable: RouteTable?) {
        self.name = name
        self.http = http
        self.routeTable = routeTable
    }
}
