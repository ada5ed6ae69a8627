/// Envoy's `retry_on` conditions (also `x-envoy-retry-on` / `x-envoy-retry-grpc-on`).
public struct RetryOn: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let fiveXX = RetryOn(rawValue: 1 << 0)
    public static let gatewayError = RetryOn(rawValue: 1 << 1)
    public static let reset = RetryOn(rawValue: 1 << 2)
    public static let resetBeforeRequest = RetryOn(rawValue: 1 << 3)
    public static let connectFailure = RetryOn(rawValue: 1 << 4)
    public static let retriable4xx = RetryOn(rawValue: 1 << 5)
    public static let refusedStream = RetryOn(rawValue: 1 << 6)
    public static let retriableStatusCodes = RetryOn(rawValue: 1 << 7)
    public static let envoyRateLimited = RetryOn(rawValue: 1 << 8)
    public static let grpcCancelled = RetryOn(rawValue: 1 << 9)
    public static let grpcDeadlineExceeded = RetryOn(rawValue: 1 << 10)
    public static let grpcInternal = RetryOn(rawValue: 1 << 11)
    public static let grpcResourceExhausted = RetryOn(rawValue: 1 << 12)
    public static let grpcUnavailable = RetryOn(rawValue: 1 << 13)

    public static let anyGRPC: RetryOn = [.grpcCancelled, .grpcDeadlineExceeded, .grpcInternal,
                                          .grpcResourceExhausted, .grpcUnavailable]

    static let names: [(String, RetryOn)] = [
        ("5xx", .fiveXX), ("gateway-error", .gatewayError), ("reset", .reset),
        ("reset-before-request", .resetBeforeRequest), ("connect-failure", .connectFailure),
        ("retriable-4xx", .retriable4xx), ("refused-stream", .refusedStream),
        ("retriable-status-codes", .retriableStatusCodes), ("envoy-ratelimited", .envoyRateLimited),
        ("cancelled", .grpcCancelled), ("deadline-exceeded", .grpcDeadlineExceeded),
        ("internal", .grpcInternal), ("resource-exhausted", .grpcResourceExhausted),
        ("unavailable", .grpcUnavailable),
    ]

    /// Parses a comma-separated list; `unknown` lists the tokens it did not recognise.
    public static func parse(_ text: some StringProtocol) -> (conditions: RetryOn, unknown: [String]) {
        var conditions: RetryOn = []
        var unknown: [String] = []
        for raw in text.split(separator: ",") {
            let token = raw.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            let name = String(token)
            if name.isEmpty { continue }
            if let match = names.first(where: { $0.0 == name }) { conditions.insert(match.1) } else { unknown.append(name) }
        }
        return (conditions, unknown)
    }
}
