/// The certificate agent's lifecycle (pilot-agent's secret manager) as a value:
/// request a certificate, install it, renew at half its life (a little earlier by
/// a random jitter, so a fleet does not renew in step), and on failure retry with
/// jittered exponential backoff while the current certificate keeps serving.
/// Times are wall-clock seconds (certificates are), passed in by the driver.
public struct CertificateAgentStateMachine: Sendable {
    public struct Config: Sendable, Equatable {
        /// Istio's SECRET_GRACE_PERIOD_RATIO: renew when this fraction of the life is left.
        public var renewAtFraction = 0.5
        /// Up to this fraction of the life earlier, chosen at random per certificate.
        public var jitterFraction = 0.05
        public var initialBackoff = 0.5
        public var maxBackoff = 15.0

        public init() {}
    }

    public enum Action: Equatable, Sendable {
        /// Make a key and CSR and call the CA (the key never leaves the agent).
        case request
        /// The certificate just received is the one to serve (push it to Envoy / the TLS layer).
        case install
        /// Nothing to do until `at`, then call `timerFired`.
        case wait(until: Double)
        /// The certificate in use expired before a renewal succeeded.
        case expired
    }

    enum State: Equatable, Sendable {
        case idle
        /// `holding`: the certificate still in use (nil before the first one).
        case requesting(attempt: Int, holding: Validity?)
        case waitingToRetry(attempt: Int, until: Double, holding: Validity?)
        case holding(Validity, renewAt: Double)
    }

    public struct Validity: Equatable, Sendable {
        public var notBefore: Double
        public var notAfter: Double

        public init(notBefore: Double, notAfter: Double) {
            self.notBefore = notBefore
            self.notAfter = notAfter
        }
    }

    public let config: Config
    private(set) var state: State = .idle

    public init(config: Config = Config()) {
        self.config = config
    }

    public mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        state = .requesting(attempt: 0, holding: nil)
        return [.request]
    }

    /// The CA answered. Life is counted from the later of notBefore and now, since
    /// CAs backdate notBefore for clock skew.
    public mutating func issued(_ validity: Validity, now: Double, random: inout some RandomNumberGenerator) -> [Action] {
        guard case .requesting = state else { return [] }
        let start = max(validity.notBefore, now)
        let life = max(0, validity.notAfter - start)
        let jitter = life * config.jitterFraction * Double.random(in: 0...1, using: &random)
        // Never sooner than the first backoff step: a CA handing out (nearly) expired
        // certificates must not be called in a tight loop.
        let renewAt = max(start + life * (1 - config.renewAtFraction) - jitter, now + config.initialBackoff)
        state = .holding(validity, renewAt: renewAt)
        return [.install, .wait(until: renewAt)]
    }

    /// The CA call failed: back off (1st retry after ~initialBackoff, doubling, capped),
    /// never past the current certificate's expiry by more than needed.
    public mutating func failed(now: Double, random: inout some RandomNumberGenerator) -> [Action] {
        guard case .requesting(let attempt, let holding) = state else { return [] }
        let ceiling = min(config.maxBackoff, config.initialBackoff * Double(1 << min(attempt, 20)))
        // "Equal jitter": at least half the step, so retries do not collapse to zero.
        let delay = ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &random)
        var actions: [Action] = []
        if let holding, now >= holding.notAfter { actions.append(.expired) }
        let current = holding.flatMap { now >= $0.notAfter ? nil : $0 }
        state = .waitingToRetry(attempt: attempt + 1, until: now + delay, holding: current)
        return actions + [.wait(until: now + delay)]
    }

    public mutating func timerFired(now: Double) -> [Action] {
        switch state {
        case .holding(let validity, let renewAt) where now >= renewAt:
            state = .requesting(attempt: 0, holding: validity)
            return [.request]
        case .waitingToRetry(let attempt, let until, let holding) where now >= until:
            state = .requesting(attempt: attempt, holding: holding)
            return [.request]
        case .holding(_, let renewAt):
            return [.wait(until: renewAt)]
        case .waitingToRetry(_, let until, _):
            return [.wait(until: until)]
        default:
            return []
        }
    }

    /// When the next renewal is due (nil while requesting).
    public var renewAt: Double? {
        if case .holding(_, let renewAt) = state { return renewAt }
        return nil
    }
}
