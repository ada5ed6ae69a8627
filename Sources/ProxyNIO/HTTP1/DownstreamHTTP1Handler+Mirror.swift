import NIOCore
import ProxyCore

/// Request mirroring (`request_mirror_policies`): each selected mirror gets a copy
/// of the request as forwarded (head with a `-shadow` authority, then the body as it
/// streams). Copies are fire-and-forget (ShadowExchange): their responses are
/// counted and discarded, and nothing about them reaches or slows the primary.
/// Routes without mirrors pay one emptiness check.
extension DownstreamHTTP1Handler {
    /// Starts the copies of the request whose upstream head is in `requestScratch`.
    func startMirrors(_ action: ForwardAction) {
        var head: ByteBuffer?
        for mirror in action.mirrors {
            // Envoy's runtime fraction: numerator out of denominator of requests.
            if let fraction = mirror.fraction, !fraction.includes(worker.random.next()) { continue }
            guard let cluster = worker.cluster(named: mirror.cluster), let endpoint = cluster.pick(random: &worker.random) else { continue }
            if head == nil {
                let bytes = requestScratch.withUnsafeReadableBytes { ShadowRequestHead.make(from: $0) }
                var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
                buffer.writeBytes(bytes)
                head = buffer
            }
            let shadow = ShadowExchange(cluster: cluster, endpoint: endpoint, requestWasHead: requestHead.isHead)
            shadows.append(shadow)
            shadow.start(head: head!, worker: worker, timeoutNanos: action.timeoutNanos)
        }
    }

    /// Request body bytes also go to every copy still running.
    @inline(__always) func mirrorBody(_ slice: ByteBuffer) {
        guard !shadows.isEmpty else { return }
        for shadow in shadows { shadow.send(slice) }
    }

    /// The request is complete (or, with `complete` false, will never be): copies
    /// are let go to finish on their own.
    func endMirrors(complete: Bool) {
        guard !shadows.isEmpty else { return }
        for shadow in shadows { shadow.requestEnded(complete: complete) }
        shadows.removeAll(keepingCapacity: true)
    }

    /// Called where the request may just have become complete.
    @inline(__always) func endMirrorsIfRequestDone() {
        guard !shadows.isEmpty, case .done = requestPhase else { return }
        endMirrors(complete: true)
    }
}
