import ProxyCore
import XDSAPI

/// What ADSSession (state of the world) and DeltaADSSession have in common: the
/// stream loop that feeds either one is written once (`ADSClient.serve`).
protocol ADSStreamSession {
    associatedtype Request: Sendable
    associatedtype Response

    var machine: XDSClientStateMachine { get }
    var store: ADSResourceStore { get }

    init(machine: XDSClientStateMachine, store: ADSResourceStore, node: Envoy_Config_Core_V3_Node, stats: XDSUpdateStats?)
    mutating func start() -> [Request]
    mutating func handle(_ response: Response, log: (String) -> Void) -> ([Request], ProxyConfig?)
}

extension ADSSession: ADSStreamSession {
    init(machine: XDSClientStateMachine, store: ADSResourceStore, node: Envoy_Config_Core_V3_Node, stats: XDSUpdateStats?) {
        self.init(machine: machine, store: store, node: node, stats: stats, reported: [])
    }
}

extension DeltaADSSession: ADSStreamSession {
    init(machine: XDSClientStateMachine, store: ADSResourceStore, node: Envoy_Config_Core_V3_Node, stats: XDSUpdateStats?) {
        self.init(machine: machine, store: store, node: node, stats: stats, reported: [])
    }
}

extension ADSClient {
    /// One stream's loop: start the session, hand each response to it, keep what it
    /// accepted in `progress` (it outlives the stream), apply complete configs and
    /// send what it asks for.
    func serve<Session: ADSStreamSession>(
        _: Session.Type, responses: some AsyncSequence<Session.Response, any Error>,
        requests: AsyncStream<Session.Request>.Continuation, progress: Progress,
        apply: @Sendable (ProxyConfig) async -> Void, log: @Sendable (String) -> Void
    ) async throws {
        let (machine, store) = progress.state.withLock { $0 }
        var session = Session(machine: machine, store: store, node: node, stats: stats)
        session.start().forEach { requests.yield($0) }
        for try await message in responses {
            let (outgoing, config) = session.handle(message, log: log)
            progress.state.withLock { $0 = (session.machine, session.store) }
            if let config {
                await apply(config)
                accepted?(session.store, config.version)
            }
            outgoing.forEach { requests.yield($0) }
        }
        requests.finish()
    }
}
