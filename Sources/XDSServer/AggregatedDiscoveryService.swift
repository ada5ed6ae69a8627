#if canImport(Glibc)
import Glibc
#endif
import GRPCCore
import XDSAPI

/// ADS (state of the world) over gRPC: per stream, requests and pushes are fed to an
/// `ADSStreamStateMachine` and its actions written out, in order, by one loop.
struct AggregatedDiscoveryService: Envoy_Service_Discovery_V3_AggregatedDiscoveryService.SimpleServiceProtocol {
    let provider: any XDSResourceProvider
    let hub: PushHub
    let status: ProxyStatusRegistry
    let streamIDs: StreamIDs

    enum Event: Sendable {
        case request(Envoy_Service_Discovery_V3_DiscoveryRequest)
        case push
    }

    func streamAggregatedResources(
        request: RPCAsyncSequence<Envoy_Service_Discovery_V3_DiscoveryRequest, any Error>,
        response: RPCWriter<Envoy_Service_Discovery_V3_DiscoveryResponse>,
        context: ServerContext
    ) async throws {
        let id = await streamIDs.next()
        let pushes = await hub.subscribe(id)
        let (events, continuation) = AsyncStream<Event>.makeStream()
        defer { continuation.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                for try await message in request { continuation.yield(.request(message)) }
            }
            group.addTask {
                for await _ in pushes { continuation.yield(.push) }
            }
            defer { group.cancelAll() }
            try await serve(events, stream: id, response: response)
        }
        await hub.unsubscribe(id)
        await status.disconnected(id)
    }

    private func serve(_ events: AsyncStream<Event>, stream id: Int, response: RPCWriter<Envoy_Service_Discovery_V3_DiscoveryResponse>) async throws {
        var machine = ADSStreamStateMachine()
        var node: Envoy_Config_Core_V3_Node?
        for await event in events {
            let actions: [ADSStreamStateMachine.Action]
            switch event {
            case .request(let message):
                if node == nil {
                    guard message.hasNode else {
                        throw RPCError(code: .invalidArgument, message: "the first DiscoveryRequest on a stream must carry the node")
                    }
                    node = message.node
                    await status.connected(id, node: message.node, at: MonotonicClock.nanoseconds())
                }
                actions = machine.received(message, resources: try await resources(for: node!))
            case .push:
                guard let node else { continue }
                actions = machine.resourcesChanged(try await resources(for: node))
            }
            for action in actions {
                switch action {
                case .send(let message):
                    try await response.write(message)
                    await status.sent(id, type: message.typeURL, version: message.versionInfo)
                case .ack(let type, let version):
                    await status.acked(id, type: type, version: version)
                case .nack(let type, _, let error):
                    await status.nacked(id, type: type, error: error)
                }
            }
        }
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

    func deltaAggregatedResources(
        request: RPCAsyncSequence<Envoy_Service_Discovery_V3_DeltaDiscoveryRequest, any Error>,
        response: RPCWriter<Envoy_Service_Discovery_V3_DeltaDiscoveryResponse>,
        context: ServerContext
    ) async throws {
        let id = await streamIDs.next()
        let pushes = await hub.subscribe(id)
        let (events, continuation) = AsyncStream<DeltaEvent>.makeStream()
        defer { continuation.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                for try await message in request { continuation.yield(.request(message)) }
            }
            group.addTask {
                for await _ in pushes { continuation.yield(.push) }
            }
            defer { group.cancelAll() }
            var machine = DeltaStreamStateMachine()
            var node: Envoy_Config_Core_V3_Node?
            for await event in events {
                let actions: [DeltaStreamStateMachine.Action]
                switch event {
                case .request(let message):
                    if node == nil {
                        guard message.hasNode else {
                            throw RPCError(code: .invalidArgument, message: "the first DeltaDiscoveryRequest on a stream must carry the node")
                        }
                        node = message.node
                        await status.connected(id, node: message.node, at: MonotonicClock.nanoseconds())
                    }
                    actions = machine.received(message, resources: try await resources(for: node!))
                case .push:
                    guard let node else { continue }
                    actions = machine.resourcesChanged(try await resources(for: node))
                }
                for action in actions {
                    switch action {
                    case .send(let message):
                        try await response.write(message)
                        await status.sent(id, type: message.typeURL, version: message.nonce)
                    case .ack(let type, let nonce):
                        await status.acked(id, type: type, version: nonce)
                    case .nack(let type, _, let error):
                        await status.nacked(id, type: type, error: error)
                    }
                }
            }
        }
        await hub.unsubscribe(id)
        await status.disconnected(id)
    }

    enum DeltaEvent: Sendable {
        case request(Envoy_Service_Discovery_V3_DeltaDiscoveryRequest)
        case push
    }
}

actor StreamIDs {
    private var last = 0
    func next() -> Int {
        last += 1
        return last
    }
}

enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
