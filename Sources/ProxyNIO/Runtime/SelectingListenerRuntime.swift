import NIOCore
import ProxyCore

/// A listener that chooses a filter chain per connection, on one worker: its
/// config (matches, inspection settings) and each chain's live runtime, the
/// default chain last. Event-loop confined.
final class SelectingListenerRuntime {
    enum ChainRuntime {
        case http(ListenerRuntime)
        case tcp(TCPProxyConfig)
    }

    let config: ListenerConfig
    /// `config.filterChains` in order, then the default chain when there is one.
    let chains: [ChainRuntime]
    /// The listener's telemetry scope slot (its TCP chains count there).
    let telemetryScope: Int32

    init(config: ListenerConfig, chains: [ChainRuntime], telemetryScope: Int32 = 0) {
        self.config = config
        self.chains = chains
        self.telemetryScope = telemetryScope
    }

    /// The handler that serves a connection on chain `index`.
    func makeHandler(chain index: Int, worker: WorkerRuntime) -> any ChannelHandler {
        switch chains[index] {
        case .http(let runtime): return runtime.makeConnectionHandler(worker: worker)
        case .tcp(let tcp): return TCPProxyHandler(worker: worker, config: tcp, telemetryScope: telemetryScope)
        }
    }
}
