import MeshConfig
import MeshCore
import XDSAPI

/// Per-route filter configuration: fault injection and CORS. The HTTP connection
/// manager carries both filters; a route without config leaves them inert.
enum RouteFilters {
    static let fault = "envoy.filters.http.fault"
    static let cors = "envoy.filters.http.cors"

    static func apply(_ rule: HTTPRoute, to route: inout Envoy_Config_Route_V3_Route) {
        if let fault = rule.fault { route.typedPerFilterConfig[Self.fault] = Proto.any(faultConfig(fault)) }
        if let cors = rule.corsPolicy { route.typedPerFilterConfig[Self.cors] = Proto.any(corsPolicy(cors)) }
    }

    static func faultConfig(_ fault: HTTPFaultInjection) -> Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault {
        var config = Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()
        if let delay = fault.delay, let fixed = delay.fixedDelay, let nanos = try? GoDuration.parse(fixed) {
            var value = Envoy_Extensions_Filters_Common_Fault_V3_FaultDelay()
            value.fixedDelay = Proto.duration(nanoseconds: nanos)
            // Istio: without `percentage`, the deprecated integer `percent` (0 if unset).
            value.percentage = Proto.percent(delay.percentage?.value ?? delay.percent.map(Double.init) ?? 0)
            config.delay = value
        }
        if let abort = fault.abort {
            var value = Envoy_Extensions_Filters_Http_Fault_V3_FaultAbort()
            if let status = abort.httpStatus { value.httpStatus = UInt32(status) }
            else if let grpc = abort.grpcStatus, let code = GRPCStatusCode.number(grpc) { value.grpcStatus = code }
            // Istio leaves an abort without `percentage` unset, which Envoy reads as 0 %.
            if let percentage = abort.percentage?.value { value.percentage = Proto.percent(percentage) }
            config.abort = value
        }
        return config
    }

    static func corsPolicy(_ cors: CorsPolicy) -> Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy {
        var policy = Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy()
        var origins = (cors.allowOrigins ?? []).map(RouteMatchTranslator.stringMatcher)
        for origin in cors.allowOrigin ?? [] {
            var matcher = Envoy_Type_Matcher_V3_StringMatcher()
            matcher.exact = origin
            origins.append(matcher)
        }
        policy.allowOriginStringMatch = origins
        if let methods = cors.allowMethods { policy.allowMethods = methods.joined(separator: ",") }
        if let headers = cors.allowHeaders { policy.allowHeaders = headers.joined(separator: ",") }
        if let headers = cors.exposeHeaders { policy.exposeHeaders = headers.joined(separator: ",") }
        if let maxAge = cors.maxAge, let nanos = try? GoDuration.parse(maxAge) { policy.maxAge = String(nanos / 1_000_000_000) }
        if let credentials = cors.allowCredentials { policy.allowCredentials = Proto.bool(credentials) }
        return policy
    }
}

enum GRPCStatusCode {
    static let names = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]

    static func number(_ name: String) -> UInt32? { names.firstIndex(of: name).map(UInt32.init) }
}
