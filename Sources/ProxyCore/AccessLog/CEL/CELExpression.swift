/// A compiled CEL expression of the subset Istio users write in Telemetry access-log
/// filters (`response.code >= 400`, `request.headers['x-debug'] == 'on'`,
/// `xds.cluster_name.startsWith('outbound|9080')`): literals, Envoy attributes,
/// comparisons, `&&` `||` `!`, `in`, arithmetic, `size`, `has`, `duration`, and the
/// string methods startsWith / endsWith / contains. Attributes resolve when the
/// filter is built, so evaluation walks the tree over the access-log record.
public indirect enum CELExpression: Sendable, Equatable {
    case literal(CELValue)
    case attribute(CELAttribute)
    case not(CELExpression)
    case negate(CELExpression)
    case and(CELExpression, CELExpression)
    case or(CELExpression, CELExpression)
    case binary(CELBinaryOperator, CELExpression, CELExpression)
    case conditional(CELExpression, CELExpression, CELExpression)
    case list([CELExpression])
    case call(CELFunction, [CELExpression])
}

public enum CELBinaryOperator: String, Sendable, Equatable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case `in` = "in"
}

public enum CELFunction: String, Sendable, Equatable {
    case startsWith, endsWith, contains, size, duration, string, int
    /// `has(request.headers['x'])`: the argument is an attribute that may be absent.
    case has
}

/// Envoy's attribute vocabulary (the part an access-log record carries).
public enum CELAttribute: Sendable, Equatable {
    case requestHeader(slot: Int)
    /// `:path` without the query.
    case requestURLPath(slot: Int)
    case responseHeader(slot: Int)
    case responseCode
    case responseCodeDetails
    case responseFlags
    case responseSize
    case requestSize
    case requestDuration
    case requestProtocol
    case upstreamCluster
    case routeName
    case upstreamAddress
    case sourceAddress
    case sourcePort
    case destinationAddress
}

/// A CEL runtime value. Absent values and type errors are `error`: a filter whose
/// expression errs does not log, as Envoy's CEL filter.
public enum CELValue: Sendable, Equatable {
    case int(Int64)
    case double(Double)
    case string([UInt8])
    case bool(Bool)
    case null
    case duration(nanos: Int64)
    case list([CELValue])
    case error
}
