/// A route's retry policy as data (Envoy's RetryPolicy for the fields the control
/// plane emits); the retry state machine interprets it.
public struct RetryPolicyConfig: Sendable, Equatable {
    /// Envoy's `retry_on` conditions.
    public struct Conditions: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let serverError = Conditions(rawValue: 1 << 0)          // 5xx
        public static let gatewayError = Conditions(rawValue: 1 << 1)         // gateway-error
        public static let reset = Conditions(rawValue: 1 << 2)                // reset
        public static let resetBeforeRequest = Conditions(rawValue: 1 << 3)   // reset-before-request
        public static let connectFailure = Conditions(rawValue: 1 << 4)       // connect-failure
        public static let envoyRateLimited = Conditions(rawValue: 1 << 5)     // envoy-ratelimited
        public static let retriable4xx = Conditions(rawValue: 1 << 6)         // retriable-4xx
        public static let refusedStream = Conditions(rawValue: 1 << 7)        // refused-stream
        public static let retriableStatusCodes = Conditions(rawValue: 1 << 8) // retriable-status-codes
        public static let retriableHeaders = Conditions(rawValue: 1 << 9)     // retriable-headers
        public static let http3PostConnectFailure = Conditions(rawValue: 1 << 10)
        // gRPC conditions
        public static let cancelled = Conditions(rawValue: 1 << 16)
        public static let deadlineExceeded = Conditions(rawValue: 1 << 17)
        public static let internalError = Conditions(rawValue: 1 << 18)
        public static let resourceExhausted = Conditions(rawValue: 1 << 19)
        public static let unavailable = Conditions(rawValue: 1 << 20)

        public static let byName: [String: Conditions] = [
            "5xx": .serverError, "gateway-error": .gatewayError, "reset": .reset,
            "reset-before-request": .resetBeforeRequest, "connect-failure": .connectFailure,
            "envoy-ratelimited": .envoyRateLimited, "retriable-4xx": .retriable4xx,
            "refused-stream": .refusedStream, "retriable-status-codes": .retriableStatusCodes,
            "retriable-headers": .retriableHeaders, "http3-post-connect-failure": .http3PostConnectFailure,
            "cancelled": .cancelled, "deadline-exceeded": .deadlineExceeded, "internal": .internalError,
            "resource-exhausted": .resourceExhausted, "unavailable": .unavailable,
        ]

        /// Parses a comma-separated `retry_on`; returns the unknown token on failure.
        public static func parse(_ text: String) -> Result<Conditions, UnknownCondition> {
            var result: Conditions = []
            for token in text.split(separator: ",") {
                let name = token.trimmingSpaces
                guard !name.isEmpty else { continue }
                guard let condition = byName[name] else { return .failure(UnknownCondition(name: name)) }
                result.insert(condition)
            }
            return .success(result)
        }
    }

    public struct UnknownCondition: Error, Sendable, Equatable {
        public let name: String
    }

    public var retryOn: Conditions
    /// Envoy's default is 1 when the field is unset.
    public var numRetries: Int
    /// 0: none (the route timeout applies).
    public var perTryTimeoutNanos: Int64
    public var retriableStatusCodes: [Int]
    public var hostSelectionRetryMaxAttempts: Int
    /// Skip hosts already tried (`envoy.retry_host_predicates.previous_hosts`).
    public var avoidPreviousHosts: Bool
    /// `envoy.retry_priorities.previous_priorities` update frequency; 0: not set.
    public var previousPrioritiesUpdateFrequency: Int
    /// Envoy's defaults: 25 ms base, 10x base maximum.
    public var backoffBaseNanos: Int64
    public var backoffMaxNanos: Int64

    public init(retryOn: Conditions, numRetries: Int = 1, perTryTimeoutNanos: Int64 = 0, retriableStatusCodes: [Int] = [],
                hostSelectionRetryMaxAttempts: Int = 1, avoidPreviousHosts: Bool = false, previousPrioritiesUpdateFrequency: Int = 0,
                backoffBaseNanos: Int64 = 25_000_000, backoffMaxNanos: Int64 = 250_000_000) {
        self.retryOn = retryOn
        self.numRetries = numRetries
        self.perTryTimeoutNanos = perTryTimeoutNanos
        self.retriableStatusCodes = retriableStatusCodes
        self.hostSelectionRetryMaxAttempts = hostSelectionRetryMaxAttempts
        self.avoidPreviousHosts = avoidPreviousHosts
        self.previousPrioritiesUpdateFrequency = previousPrioritiesUpdateFrequency
        self.backoffBaseNanos = backoffBaseNanos
        self.backoffMaxNanos = backoffMaxNanos
    }
}

extension Substring {
    var trimmingSpaces: String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
