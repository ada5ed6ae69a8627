import ProxyCore
import Synchronization

/// What the admin endpoint reports: readiness and the config in force.
public final class AdminState: Sendable {
    private struct Snapshot {
        var ready = false
        var config = ProxyConfig.empty
        var listenerAddresses: [String: String] = [:]
    }

    private let snapshot = Mutex(Snapshot())
    private let metricsSource = Mutex<(@Sendable () async throws -> String)?>(nil)

    /// Renders `/stats/prometheus` (set once the proxy server exists).
    public var metrics: (@Sendable () async throws -> String)? {
        get { metricsSource.withLock { $0 } }
        set { metricsSource.withLock { $0 = newValue } }
    }

    private let countersSource = Mutex<(@Sendable () async throws -> [String: UInt64])?>(nil)

    /// Envoy's `/stats` counters by name (set once the proxy server exists).
    public var counters: (@Sendable () async throws -> [String: UInt64])? {
        get { countersSource.withLock { $0 } }
        set { countersSource.withLock { $0 = newValue } }
    }

    private let certificatesSource = Mutex<(@Sendable () async -> String)?>(nil)

    /// Envoy's `/certs` JSON (set when the certificate agent runs).
    public var certificates: (@Sendable () async -> String)? {
        get { certificatesSource.withLock { $0 } }
        set { certificatesSource.withLock { $0 = newValue } }
    }

    private let quitHandler = Mutex<(@Sendable () -> Void)?>(nil)

    /// Called by `POST /quitquitquit`.
    public var onQuit: (@Sendable () -> Void)? {
        get { quitHandler.withLock { $0 } }
        set { quitHandler.withLock { $0 = newValue } }
    }

    func quit() { onQuit?() }

    var isReady: Bool { snapshot.withLock { $0.ready } }

    private let configDumpSource = Mutex<(@Sendable () throws -> String)?>(nil)

    /// Renders Envoy's `/config_dump` (set from the accepted xDS resources).
    public var configDump: (@Sendable () throws -> String)? {
        get { configDumpSource.withLock { $0 } }
        set { configDumpSource.withLock { $0 = newValue } }
    }

    public init() {}

    public func update(config: ProxyConfig, listenerAddresses: [String: String], ready: Bool) {
        snapshot.withLock {
            $0.config = config
            $0.listenerAddresses = listenerAddresses
            $0.ready = ready
        }
    }

    func answer(path: String) -> (Int, String) {
        let current = snapshot.withLock { $0 }
        switch path {
        case "/ready":
            return current.ready ? (200, "LIVE\n") : (503, "PRE_INITIALIZING\n")
        case "/listeners":
            let lines = current.config.listeners.map { "\($0.name)::\(current.listenerAddresses[$0.name] ?? "\($0.host):\($0.port)")" }
            return (200, lines.joined(separator: "\n") + "\n")
        case "/clusters":
            var lines: [String] = []
            for name in current.config.clusters.keys.sorted() {
                let cluster = current.config.clusters[name]!
                for endpoint in current.config.endpoints(of: cluster)?.groups.flatMap(\.endpoints) ?? [] {
                    lines.append("\(name)::\(endpoint.host):\(endpoint.port)::health_flags::\(endpoint.health.isRoutable ? "healthy" : "/failed_eds_health")")
                }
            }
            return (200, lines.joined(separator: "\n") + "\n")
        case "/config_dump":
            if let render = configDump {
                do { return (200, try render()) } catch { return (500, "config_dump: \(error)\n") }
            }
            let listeners = current.config.listeners.map { "\"\($0.name)\"" }.joined(separator: ",")
            let clusters = current.config.clusters.keys.sorted().map { "\"\($0)\"" }.joined(separator: ",")
            let routes = current.config.routeTables.keys.sorted().map { "\"\($0)\"" }.joined(separator: ",")
            return (200, "{\"version\":\"\(current.config.version)\",\"listeners\":[\(listeners)],\"routes\":[\(routes)],\"clusters\":[\(clusters)]}\n")
        default:
            return (404, "not found: \(path)\n")
        }
    }
}
