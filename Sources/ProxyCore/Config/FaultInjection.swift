/// A route's fault injection (Envoy's `envoy.filters.http.fault` per-route config,
/// from Istio's VirtualService `fault`): delay and/or abort a share of requests.
public struct FaultInjection: Sendable, Equatable {
    public struct Delay: Sendable, Equatable {
        public var nanos: Int64
        public var percentage: FractionalPercent

        public init(nanos: Int64, percentage: FractionalPercent) {
            self.nanos = nanos
            self.percentage = percentage
        }
    }

    public struct Abort: Sendable, Equatable {
        public var status: Int
        public var percentage: FractionalPercent

        public init(status: Int, percentage: FractionalPercent) {
            self.status = status
            self.percentage = percentage
        }
    }

    /// What happens to one request. Envoy applies the delay first and checks the
    /// abort independently (its own random draw), answering after the delay.
    public struct Decision: Sendable, Equatable {
        public var delayNanos: Int64
        public var abortStatus: Int?

        public static let none = Decision(delayNanos: 0, abortStatus: nil)
        public var isNone: Bool { delayNanos == 0 && abortStatus == nil }
    }

    public var delay: Delay?
    public var abort: Abort?

    public init(delay: Delay? = nil, abort: Abort? = nil) {
        self.delay = delay
        self.abort = abort
    }

    public func decide(_ delayRandom: UInt64, _ abortRandom: UInt64) -> Decision {
        var decision = Decision.none
        if let delay, delay.nanos > 0, delay.percentage.includes(delayRandom) { decision.delayNanos = delay.nanos }
        if let abort, abort.percentage.includes(abortRandom) { decision.abortStatus = abort.status }
        return decision
    }
}
