import ProxyCore

/// A tcp_proxy chain as one worker serves it: its config and its access logs
/// bound to this worker's sinks.
struct TCPChainRuntime {
    let config: TCPProxyConfig
    let accessLogs: [AccessLogRuntime]

    func makeHandler(worker: WorkerRuntime, telemetryScope: Int32, connection: ConnectionFacts) -> TCPProxyHandler {
        TCPProxyHandler(worker: worker, config: config, telemetryScope: telemetryScope, connection: connection, accessLogs: accessLogs)
    }
}
