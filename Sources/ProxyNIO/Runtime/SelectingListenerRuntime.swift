import NIOCore
import NIOSSL
import ProxyCore

/// A listener that chooses a filter chain per connection, on one worker: its
/// config (matches, inspection settings) and each chain's live runtime, the
/// default chain last, with each chain's TLS termination as of the secrets in
/// force. Event-loop confined.
final class SelectingListenerRuntime {
    enum ChainRuntime {
        case http(ListenerRuntime)
        case tcp(TCPChainRuntime)
    }

    let config: ListenerConfig
    /// `config.filterChains` in order, then the default chain when there is one.
    let chains: [ChainRuntime]
    /// Per chain (same order): its TLS termination, nil for plain text.
    let tls: [DownstreamTLSRuntime?]
    /// The listener's telemetry scope slot (its TCP chains count there).
    let telemetryScope: Int32
    /// What each connection's listener filters start from (copied per connection).
    let inspector: ConnectionInspector
    /// The listener's own logs (`config.accessLogs`) on this worker's sinks.
    let accessLogs: [AccessLogRuntime]

    init(config: ListenerConfig, chains: [ChainRuntime], tls: [DownstreamTLSRuntime?] = [], telemetryScope: Int32 = 0,
         accessLogs: [AccessLogRuntime] = []) {
        self.accessLogs = accessLogs
        self.config = config
        self.chains = chains
        self.tls = tls.isEmpty ? Array(repeating: nil, count: chains.count) : tls
        self.telemetryScope = telemetryScope
        self.inspector = ConnectionInspector(listener: config)
    }

    /// Puts the handlers that serve a connection on chain `index` after `handler`:
    /// the chain's handler, or for a TLS chain the TLS server handler and the
    /// handshake step that installs the chain's handler once the peer is known.
    func install(chain index: Int, worker: WorkerRuntime, facts: ConnectionFacts, pipeline: ChannelPipeline.SynchronousOperations,
                 after handler: any ChannelHandler) throws {
        guard let tls = tls[index] else {
            try pipeline.addHandler(makeHandler(chain: index, worker: worker, facts: facts), position: .after(handler))
            return
        }
        guard let context = tls.context else { throw TLSMaterialError(description: tls.failure ?? "no TLS context") }
        let server = NIOSSLServerHandler(context: context)
        let chain = chains[index]
        let scope = telemetryScope
        var clientCertDetails: ClientCertDetails?
        if case .http(let runtime) = chain, runtime.http.forwardClientCert.writesElement { clientCertDetails = runtime.http.clientCertDetails }
        let handshake = DownstreamTLSHandshakeHandler(tls: server, runtime: tls, facts: facts, clientCertDetails: clientCertDetails) { pipeline, channel, facts in
            switch chain {
            case .http(let runtime): try runtime.installAfterHandshake(pipeline, channel: channel, worker: worker, connection: facts)
            case .tcp(let tcp): try pipeline.addHandler(tcp.makeHandler(worker: worker, telemetryScope: scope, connection: facts))
            }
        }
        try pipeline.addHandler(server, position: .after(handler))
        try pipeline.addHandler(handshake, position: .after(server))
    }

    /// The handler that serves a plain-text connection on chain `index`.
    func makeHandler(chain index: Int, worker: WorkerRuntime, facts: ConnectionFacts = ConnectionFacts()) -> any ChannelHandler {
        switch chains[index] {
        case .http(let runtime): return runtime.makeConnectionHandler(worker: worker, connection: facts)
        case .tcp(let tcp): return tcp.makeHandler(worker: worker, telemetryScope: telemetryScope, connection: facts)
        }
    }
}
