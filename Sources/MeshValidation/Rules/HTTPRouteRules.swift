import MeshConfig
import MeshCore

/// One `http` route of a VirtualService: what it may combine, and its parts.
enum HTTPRouteRules {
    static let corsMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"]

    static func validate(_ route: HTTPRoute, _ path: FieldPath, isDelegate: Bool, gatewayOnly: Bool, _ sink: inout DiagnosticSink) {
        checkExclusivity(route, path, isDelegate: isDelegate, &sink)
        for (index, match) in (route.match ?? []).enumerated() {
            checkMatch(match, path / "match" / index, gatewayOnly: gatewayOnly, &sink)
        }
        CommonChecks.headerOperations(route.headers?.request, path / "headers" / "request", isRequest: true, &sink)
        CommonChecks.headerOperations(route.headers?.response, path / "headers" / "response", isRequest: false, &sink)
        checkAuthorityOnce(route, path, &sink)
        if let cors = route.corsPolicy { checkCors(cors, path / "corsPolicy", &sink) }
        if let fault = route.fault { checkFault(fault, path / "fault", &sink) }
        if let percent = route.mirrorPercent ?? route.mirror_percent {
            sink.warning(path / "mirrorPercent", "mirrorPercent is deprecated: use mirrorPercentage")
            if percent > 100 { sink.error(path / "mirrorPercent", "mirror percentage \(percent) must be in the range 0..100") }
        }
        CommonChecks.percentage(route.mirrorPercentage?.value, path / "mirrorPercentage" / "value", &sink)
        if let mirror = route.mirror { DestinationChecks.destination(mirror, path / "mirror", &sink) }
        for (index, mirror) in (route.mirrors ?? []).enumerated() {
            let mirrorPath = path / "mirrors" / index
            if let destination = mirror.destination { DestinationChecks.destination(destination, mirrorPath / "destination", &sink) }
            CommonChecks.percentage(mirror.percentage?.value, mirrorPath / "percentage" / "value", &sink)
        }
        if let redirect = route.redirect { checkRedirect(redirect, path / "redirect", &sink) }
        if let response = route.directResponse { checkDirectResponse(response, path / "directResponse", &sink) }
        if let retries = route.retries { checkRetries(retries, path / "retries", &sink) }
        if let rewrite = route.rewrite { checkRewrite(rewrite, path / "rewrite", &sink) }
        DestinationChecks.weighted(route.route?.map { ($0.destination, $0.weight) } ?? [], path / "route", &sink)
        for (index, destination) in (route.route ?? []).enumerated() {
            CommonChecks.headerOperations(destination.headers?.request, path / "route" / index / "headers" / "request", isRequest: true, &sink)
            CommonChecks.headerOperations(destination.headers?.response, path / "route" / index / "headers" / "response", isRequest: false, &sink)
        }
    }

    static func checkExclusivity(_ route: HTTPRoute, _ path: FieldPath, isDelegate: Bool, _ sink: inout DiagnosticSink) {
        let hasRoute = !(route.route ?? []).isEmpty
        if route.delegate != nil {
            if isDelegate { sink.error(path / "delegate", "a route inside a delegate VirtualService cannot delegate again") }
            if route.redirect != nil { sink.error(path / "redirect", "redirect cannot be combined with delegate") }
            if hasRoute { sink.error(path / "route", "route cannot be combined with delegate") }
            return
        }
        if route.redirect != nil {
            if hasRoute { sink.error(path / "route", "route cannot be combined with redirect") }
            if route.fault != nil { sink.error(path / "fault", "fault cannot be combined with redirect") }
            if route.rewrite != nil { sink.error(path / "rewrite", "rewrite cannot be combined with redirect") }
            if route.directResponse != nil { sink.error(path / "directResponse", "directResponse cannot be combined with redirect") }
        } else if route.directResponse != nil {
            if hasRoute { sink.error(path / "route", "route cannot be combined with directResponse") }
            if route.fault != nil { sink.error(path / "fault", "fault cannot be combined with directResponse") }
            if route.rewrite != nil { sink.error(path / "rewrite", "rewrite cannot be combined with directResponse") }
        } else if !hasRoute {
            sink.error(path / "route", "one of route, redirect, directResponse or delegate is required")
        }
        if route.mirror != nil && route.mirrors != nil {
            sink.error(path / "mirrors", "mirror and mirrors cannot both be set")
        }
    }

    static func checkMatch(_ match: HTTPMatchRequest, _ path: FieldPath, gatewayOnly: Bool, _ sink: inout DiagnosticSink) {
        for (field, map) in [("headers", match.headers), ("withoutHeaders", match.withoutHeaders)] {
            for (name, value) in (map ?? [:]).sorted(by: { $0.key < $1.key }) {
                let headerPath = path / field / name
                CommonChecks.matchHeaderName(name, headerPath, &sink)
                if JWTClaimKey.isClaimKey(name) && !gatewayOnly {
                    sink.error(headerPath, "routing on JWT claims is only supported for VirtualServices bound to gateways (not mesh)")
                }
                if field == "withoutHeaders", value.regex == "*" { continue }
                CommonChecks.stringMatch(value, headerPath, &sink)
            }
        }
        if let uri = match.uri, let regex = uri.regex { CommonChecks.regex(regex, path / "uri" / "regex", &sink) }
        CommonChecks.stringMatch(match.scheme, path / "scheme", &sink)
        CommonChecks.stringMatch(match.method, path / "method", &sink)
        CommonChecks.stringMatch(match.authority, path / "authority", &sink)
        for (name, value) in (match.queryParams ?? [:]).sorted(by: { $0.key < $1.key }) {
            CommonChecks.stringMatch(value, path / "queryParams" / name, &sink)
        }
        if let port = match.port, port != 0 { CommonChecks.port(port, path / "port", &sink) }
        CommonChecks.labels(match.sourceLabels, path / "sourceLabels", &sink)
        GatewayReferences.validate(match.gateways ?? [], path / "gateways", &sink)
        if let namespace = match.sourceNamespace, !HostName.isDNS1123LowercaseLabel(namespace) {
            sink.error(path / "sourceNamespace", "\"\(namespace)\" is not a valid namespace name")
        }
    }

    static func checkAuthorityOnce(_ route: HTTPRoute, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        var count = route.rewrite?.authority != nil ? 1 : 0
        for map in [route.headers?.request?.set, route.headers?.request?.add] {
            count += (map ?? [:]).keys.filter { [":authority", "host"].contains($0.lowercased()) }.count
        }
        if count > 1 { sink.error(path, "the authority header cannot be set more than once (rewrite.authority and headers)") }
    }

    static func checkCors(_ cors: CorsPolicy, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (index, origin) in (cors.allowOrigins ?? []).enumerated() {
            if (origin.exact ?? "").isEmpty && (origin.prefix ?? "").isEmpty && (origin.regex ?? "").isEmpty {
                sink.error(path / "allowOrigins" / index, "an origin match must set a non-empty exact, prefix or regex")
            }
            if let regex = origin.regex { CommonChecks.regex(regex, path / "allowOrigins" / index / "regex", &sink) }
        }
        for (index, method) in (cors.allowMethods ?? []).enumerated() where !corsMethods.contains(method) {
            sink.error(path / "allowMethods" / index, "\"\(method)\" is not a valid HTTP method")
        }
        for (field, names) in [("allowHeaders", cors.allowHeaders), ("exposeHeaders", cors.exposeHeaders)] {
            for (index, name) in (names ?? []).enumerated() where name != "*" && !CommonChecks.isToken(name) {
                sink.error(path / field / index, "\"\(name)\" is not a valid HTTP header name")
            }
        }
        if let maxAge = cors.maxAge, let value = try? GoDuration.parse(maxAge), value % GoDuration.second != 0 {
            sink.error(path / "maxAge", "maxAge must be a whole number of seconds")
        }
        if cors.allowOrigin != nil {
            sink.warning(path / "allowOrigin", "allowOrigin is deprecated: use allowOrigins")
        }
    }

    static func checkFault(_ fault: HTTPFaultInjection, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if fault.abort == nil && fault.delay == nil {
            sink.error(path, "fault must set abort or delay")
        }
        if let abort = fault.abort {
            CommonChecks.percentage(abort.percentage?.value, path / "abort" / "percentage" / "value", &sink)
            if let status = abort.httpStatus, status < 200 || status > 599 {
                sink.error(path / "abort" / "httpStatus", "HTTP status \(status) must be in the range 200..599")
            }
            if let code = abort.grpcStatus, !GRPCStatus.names.contains(code) {
                sink.error(path / "abort" / "grpcStatus", "\"\(code)\" is not a gRPC status name (e.g. UNAVAILABLE)")
            }
            if abort.http2Error != nil {
                sink.error(path / "abort" / "http2Error", "http2Error aborts are not supported")
            }
            if abort.httpStatus == nil && abort.grpcStatus == nil && abort.http2Error == nil {
                sink.warning(path / "abort", "abort sets no httpStatus or grpcStatus")
            }
        }
        if let delay = fault.delay {
            CommonChecks.percentage(delay.percentage?.value, path / "delay" / "percentage" / "value", &sink)
            if delay.exponentialDelay != nil {
                sink.error(path / "delay" / "exponentialDelay", "exponentialDelay is not supported")
            }
            if let percent = delay.percent, percent < 0 || percent > 100 {
                sink.error(path / "delay" / "percent", "percentage \(percent) must be in the range 0..100")
            }
        }
    }

    static func checkRedirect(_ redirect: HTTPRedirect, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if redirect.uri == nil && redirect.authority == nil && redirect.port == nil && redirect.derivePort == nil && redirect.scheme == nil {
            sink.error(path, "redirect must set at least one of uri, authority, port, derivePort or scheme")
        }
        if let code = redirect.redirectCode, code != 0, code < 300 || code > 399 {
            sink.error(path / "redirectCode", "redirect code \(code) must be in the range 300..399")
        }
        if let scheme = redirect.scheme, scheme != "http", scheme != "https" {
            sink.error(path / "scheme", "redirect scheme must be http or https, got \"\(scheme)\"")
        }
        if let port = redirect.port, port > 0 { CommonChecks.port(port, path / "port", &sink) }
    }

    static func checkDirectResponse(_ response: HTTPDirectResponse, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if let status = response.status, status < 200 || status > 599 {
            sink.error(path / "status", "status \(status) must be in the range 200..599")
        }
        let size = (response.body?.string?.utf8.count ?? 0) + ((response.body?.bytes?.utf8.count ?? 0) * 3 / 4)
        if size > 1_048_576 {
            sink.error(path / "body", "body is larger than 1 MiB")
        } else if size > 102_400 {
            sink.warning(path / "body", "body is larger than 100 KiB; large bodies cost memory in every proxy")
        }
    }

    static func checkRetries(_ retries: HTTPRetry, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let attempts = retries.attempts ?? 0
        if attempts < 0 { sink.error(path / "attempts", "attempts cannot be negative") }
        if attempts == 0 && (retries.perTryTimeout != nil || retries.retryOn != nil || retries.retryRemoteLocalities != nil) {
            sink.error(path, "retry policy configured with attempts 0 (set attempts, or remove the policy)")
        }
        if let retryOn = retries.retryOn {
            for (index, token) in retryOn.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let value = String(token)
                if RetryOn.conditions.contains(value) { continue }
                if let code = Int(value), (100...599).contains(code) { continue }
                sink.error(path / "retryOn", "\"\(value)\" (entry \(index + 1)) is not a valid retryOn condition (e.g. 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, or a status code)")
            }
        }
    }

    static func checkRewrite(_ rewrite: HTTPRewrite, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if rewrite.uri != nil && rewrite.uriRegexRewrite != nil {
            sink.error(path, "uri and uriRegexRewrite cannot both be set")
        }
        if rewrite.uri == nil && rewrite.uriRegexRewrite == nil && rewrite.authority == nil {
            sink.error(path, "rewrite must set uri, uriRegexRewrite or authority")
        }
        if let regex = rewrite.uriRegexRewrite {
            if (regex.match ?? "").isEmpty { sink.error(path / "uriRegexRewrite" / "match", "match is required") }
            else { CommonChecks.regex(regex.match!, path / "uriRegexRewrite" / "match", &sink) }
            if regex.rewrite == nil { sink.error(path / "uriRegexRewrite" / "rewrite", "rewrite is required") }
        }
    }
}

enum RetryOn {
    static let conditions: Set<String> = [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ]
}

enum GRPCStatus {
    static let names: Set<String> = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]
}
