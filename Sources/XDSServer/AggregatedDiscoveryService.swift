#if canImport(Glibc)
import Glibc
#endif
import GRPCCore
import Synchronization
import XDSAPI

/// ADS over gRPC, state of the world and delta: per stream, requests and pushes are fed
/// to a state machine and its actions written out, in order, by one loop.
struct AggregatedDiscoveryService: Envoy_Service_Discovery_V3_AggregatedDiscoveryService.SimpleServiceProtocol {
    let provider: any XDSResourceProvider
    let hub: PushHub
    let status: ProxyStatusRegistry
    let streamIDs: StreamIDs
    let throttle: PushThrottle
    let changes: ChangeClock

    func streamAggregatedResources(
        request: RPCAsyncSequence<Envoy_Service_Discovery_V3_DiscoveryRequest, any Error>,
        response: RPCWriter<Envoy_Service_Discovery_V3_DiscoveryResponse>,
        context: ServerContext
    ) async throws {
        var machine = ADSStreamStateMachine()
        try await run(request, node: { $0.hasNode ? $0.node : nil }) { event, resources, id in
            let actions = switch event {
            case .request(let message): machine.received(message, resources: resources)
            case .push: machine.resourcesChanged(resources)
            }
            let steps: [StreamStep<Envoy_Service_Discovery_V3_DiscoveryResponse>] = actions.map { action in
                switch action {
                case .send(let message): .send(message, typeURL: message.typeURL, version: message.versionInfo)
                case .ack(let type, let version): .ack(typeURL: type, version: version)
                case .nack(let type, _, let error): .nack(typeURL: type, error: error)
                }
            }
            try await carryOut(steps, pushed: event.isPush, stream: id) { try await response.write($0) }
        }
    }

    func deltaAggregatedResources(
        request: RPCAsyncSequence<Envoy_Service_Discovery_V3_DeltaDiscoveryRequest, any Error>,
        response: RPCWriter<Envoy_Service_Discovery_V3_DeltaDiscoveryResponse>,
        context: ServerContext
    ) async throws {
        var machine = DeltaStreamStateMachine()
        try await run(request, node: { $0.hasNode ? $0.node : nil }) { event, resources, id in
            let actions = switch event {
            case .request(let message): machine.received(message, resources: resources)
            case .push: machine.resourcesChanged(resources)
            }
            let steps: [StreamStep<Envoy_Service_Discovery_V3_DeltaDiscoveryResponse>] = actions.map { action in
                switch action {
                case .send(let message): .send(message, typeURL: message.typeURL, version: message.nonce)
                case .ack(let type, let nonce): .ack(typeURL: type, version: nonce)
                case .nack(let type, _, let error): .nack(typeURL: type, error: error)
                }
            }
            try await carryOut(steps, pushed: event.isPush, stream: id) { try await response.write($0) }
        }
    }

    /// What either state machine decided, in the terms the status registry keeps.
    enum StreamStep<Message> {
        case send(Message, typeURL: String, version: String)
        case ack(typeURL: String, version: String)
        case nack(typeURL: String, error: String)
    }

    /// Writes the responses (within the push throttle, timed) and records ACKs,
    /// NACKs and, after a push that sent something, the convergence time.
    private func carryOut<Message>(_ steps: [StreamStep<Message>], pushed: Bool, stream id: Int,
                                   write: (Message) async throws -> Void) async throws {
        let sends = steps.contains { if case .send = $0 { true } else { false } }
        try await throttle.sending(sends) {
            for step in steps {
                switch step {
                case .send(let message, let type, let version):
                    let started = MonotonicClock.nanoseconds()
                    try await write(message)
                    await status.sent(id, type: type, version: version, writeSeconds: Double(MonotonicClock.nanoseconds() - started) / 1e9)
                case .ack(let type, let version): await status.acked(id, type: type, version: version)
                case .nack(let type, let error): await status.nacked(id, type: type, error: error)
                }
            }
        }
        if sends, pushed, let since = changes.secondsSinceChange() { await status.converged(afterSeconds: since) }
    }

    enum Event<Request: Sendable>: Sendable {
        case request(Request)
        case push

        var isPush: Bool { if case .push = self { true } else { false } }
    }

    /// The part both ADS variants share: one loop over requests and pushes, the node
    /// from the first request, the proxy's current resources for each event.
    private func run<Request: Sendable>(
        _ requests: RPCAsyncSequence<Request, any Error>,
        node nodeOf: @escaping @Sendable (Request) -> Envoy_Config_Core_V3_Node?,
        handle: (Event<Request>, NodeResources, Int) async throws -> Void
    ) async throws {
        let id = await streamIDs.next()
        let pushes = await hub.subscribe(id)
        let (events, continuation) = AsyncStream<Event<Request>>.makeStream()
        defer { continuation.finish() }
        let opened = OpenedNode()
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { continuation.finish() }
                    for try await message in requests { continuation.yield(.request(message)) }
                }
                group.addTask {
                    for await _ in pushes { continuation.yield(.push) }
                }
                defer { group.cancelAll() }
                var node: Envoy_Config_Core_V3_Node?
                for await event in events {
                    if node == nil {
                        guard case .request(let message) = event else { continue }
                        guard let first = nodeOf(message) else {
                            throw RPCError(code: .invalidArgument, message: "the first discovery request on a stream must carry the node")
                        }
                        node = first
                        await status.connected(id, node: first, at: MonotonicClock.nanoseconds())
                        opened.node = first
                        await provider.streamOpened(node: first)
                    }
                    try await handle(event, try await resources(for: node!), id)
                }
            }
        } catch {
            failure = error
        }
        await hub.unsubscribe(id)
        await status.disconnected(id)
        if let node = opened.node { await provider.streamClosed(node: node) }
        if let failure { throw failure }
    }

    private func resources(for node: Envoy_Config_Core_V3_Node) async throws -> NodeResources {
        do {
                return try await provider.resources(for: node)
            } catch let error as RPCError {
                throw error
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot serve node \(node.id): \(error)")
        }
    }
}

actor StreamIDs {
    private var last = 0
    func next() -> Int {
        last += 1
        return last
    }
}

public enum MonotonicClock {
    public static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

/// When the config change being pushed was detected (monotonic nanoseconds).
final class ChangeClock: Sendable {
    private let changedAt = Mutex<UInt64?>(nil)

    func changed(at nanoseconds: UInt64) { changedAt.withLock { $0 = nanoseconds } }

    func secondsSinceChange() -> Double? {
        guard let start = changedAt.withLock({ $0 }) else { return nil }
        return Double(MonotonicClock.nanoseconds() &- start) / 1e9
    }
}

/// The node a stream identified itself with, kept for the close hook (the stream
/// loop runs inside a task group closure, which cannot assign to outer variables).
private final class OpenedNode: @unchecked Sendable {
    var node: Envoy_Config_Core_V3_Node?
}
