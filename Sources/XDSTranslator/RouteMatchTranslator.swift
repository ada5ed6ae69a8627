import MeshConfig
import XDSAPI

/// Istio's HTTPMatchRequest -> Envoy's RouteMatch.
enum RouteMatchTranslator {
    static func match(_ request: HTTPMatchRequest) -> Envoy_Config_Route_V3_RouteMatch {
        var match = Envoy_Config_Route_V3_RouteMatch()
        if let uri = request.uri {
            if let exact = uri.exact { match.path = exact }
            else if let prefix = uri.prefix { match.prefix = prefix }
            else if let regex = uri.regex { match.safeRegex = regexMatcher(regex) }
            else { match.prefix = "/" }
        } else {
            match.prefix = "/"
        }
        if request.ignoreUriCase == true { match.caseSensitive = Proto.bool(false) }
        var headers: [Envoy_Config_Route_V3_HeaderMatcher] = []
        for (name, value) in [(":method", request.method), (":authority", request.authority), (":scheme", request.scheme)] {
            if let value { headers.append(header(name, value, invert: false)) }
        }
        for (name, value) in (request.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
            headers.append(header(name.lowercased(), value, invert: false))
        }
        for (name, value) in (request.withoutHeaders ?? [:]).sorted(by: { $0.key < $1.key }) {
            headers.append(header(name.lowercased(), value, invert: true))
        }
        match.headers = headers
        match.queryParameters = (request.queryParams ?? [:]).sorted(by: { $0.key < $1.key }).map { name, value in
            var parameter = Envoy_Config_Route_V3_QueryParameterMatcher()
            parameter.name = name
            if isCatchAll(value) || value.exact == "" {
                parameter.presentMatch = true
            } else {
                parameter.stringMatch = stringMatcher(value)
            }
            return parameter
        }
        return match
    }

    /// Istio's catch-all StringMatch: empty, `prefix: ""` or `regex: "*"` means
    /// "present" (Envoy rejects an empty StringMatcher or prefix).
    static func isCatchAll(_ value: StringMatch) -> Bool {
        if value.exact != nil { return false }
        if let prefix = value.prefix { return prefix.isEmpty }
        return value.regex == nil || value.regex == "*"
    }

    /// An inverted value matcher (withoutHeaders) also matches requests without the
    /// header, as Istio's `treat_missing_header_as_empty`.
    static func header(_ name: String, _ value: StringMatch, invert: Bool) -> Envoy_Config_Route_V3_HeaderMatcher {
        var header = Envoy_Config_Route_V3_HeaderMatcher()
        header.name = name
        header.invertMatch = invert
        if isCatchAll(value) {
            header.presentMatch = true
        } else {
            header.stringMatch = stringMatcher(value)
            if invert { header.treatMissingHeaderAsEmpty = true }
        }
        return header
    }

    static func stringMatcher(_ value: StringMatch) -> Envoy_Type_Matcher_V3_StringMatcher {
        var matcher = Envoy_Type_Matcher_V3_StringMatcher()
        if let exact = value.exact { matcher.exact = exact }
        else if let prefix = value.prefix { matcher.prefix = prefix }
        else if let regex = value.regex { matcher.safeRegex = regexMatcher(regex) }
        return matcher
    }

    static func regexMatcher(_ regex: String) -> Envoy_Type_Matcher_V3_RegexMatcher {
        var matcher = Envoy_Type_Matcher_V3_RegexMatcher()
        matcher.regex = regex
        return matcher
    }
}
