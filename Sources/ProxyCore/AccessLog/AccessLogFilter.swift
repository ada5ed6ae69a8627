/// Envoy's access-log filters: whether one exchange is logged. Header values come
/// from the record's captured slots (registered with the log's format).
public indirect enum AccessLogFilter: Sendable, Equatable {
    public enum Comparison: Sendable, Equatable {
        case equal, atLeast, atMost

        func holds(_ value: Int, _ reference: Int) -> Bool {
            switch self {
            case .equal: value == reference
            case .atLeast: value >= reference
            case .atMost: value <= reference
            }
        }
    }

    case statusCode(Comparison, Int)
    /// Milliseconds.
    case duration(Comparison, Int)
    /// No health-check filter runs in this proxy, so no request is a health check.
    case notHealthCheck
    /// Random sampling.
    case sampled(FractionalPercent)
    case all([AccessLogFilter])
    case any([AccessLogFilter])
    case header(HeaderFilter)
    /// Any of these flags; nil means any flag at all.
    case responseFlags(ResponseFlags?)
    case expression(CELExpression)

    public func admits(_ record: AccessLogRecord, random: UInt64) -> Bool {
        switch self {
        case .statusCode(let comparison, let value): return comparison.holds(record.responseCode, value)
        case .duration(let comparison, let value): return comparison.holds(Int(record.durationNanos / 1_000_000), value)
        case .notHealthCheck: return true
        case .sampled(let percent): return percent.includes(random)
        case .all(let filters): return filters.allSatisfy { $0.admits(record, random: random) }
        case .any(let filters): return filters.contains { $0.admits(record, random: random) }
        case .responseFlags(let flags):
            guard let flags else { return !record.flags.isEmpty }
            return !record.flags.intersection(flags).isEmpty
        case .expression(let expression): return CELEvaluator.isTrue(expression, record)
        case .header(let filter):
            let value = record.requestValue(filter.slot)
            let matched: Bool
            switch filter.rule {
            case .present(let expected): matched = (value != nil) == expected
            case .string(let matcher):
                matched = value.map { bytes in bytes.withUnsafeBytes { matcher.matches($0) } } ?? false
            case .range(let start, let end):
                let number = value.flatMap { bytes in bytes.withUnsafeBytes { HeaderMatch.signedDecimal($0) } }
                matched = number.map { $0 >= start && $0 < end } ?? false
            }
            return matched != filter.invert
        }
    }
}

/// A request header (by capture slot) against a rule; `invert` flips the answer.
/// Equal when built from the same matcher (`identity` is its canonical text).
public struct HeaderFilter: Sendable, Equatable {
    public var slot: Int
    public var rule: HeaderMatch.Rule
    public var invert: Bool
    public var identity: String

    public init(slot: Int, rule: HeaderMatch.Rule, invert: Bool, identity: String) {
        self.slot = slot
        self.rule = rule
        self.invert = invert
        self.identity = identity
    }

    public static func == (lhs: HeaderFilter, rhs: HeaderFilter) -> Bool {
        lhs.slot == rhs.slot && lhs.identity == rhs.identity
    }
}
