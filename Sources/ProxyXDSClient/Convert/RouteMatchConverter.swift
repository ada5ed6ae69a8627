import ProxyCore
import XDSAPI

/// Envoy's RouteMatch -> RouteMatchRule.
enum RouteMatchConverter {
    static func convert(_ match: Envoy_Config_Route_V3_RouteMatch, _ scope: ConversionScope) throws(XDSConversionError) -> RouteMatchRule {
        let caseSensitive = match.hasCaseSensitive ? match.caseSensitive.value : true
        let path: PathMatch
        switch match.pathSpecifier {
        case .prefix(let prefix): path = PathMatch(.prefix(Array(prefix.utf8)), caseSensitive: caseSensitive)
        case .path(let exact): path = PathMatch(.exact(Array(exact.utf8)), caseSensitive: caseSensitive)
        case .pathSeparatedPrefix(let prefix):
            guard !prefix.contains("?"), !prefix.contains("#"), !prefix.hasSuffix("/") else {
                throw scope.child("path_separated_prefix").error("must not contain ? or # nor end with /")
            }
            path = PathMatch(.separatedPrefix(Array(prefix.utf8)), caseSensitive: caseSensitive)
        case .safeRegex(let regex):
            path = PathMatch(.regex(try StringMatchConverter.regex(regex, scope.child("safe_regex"))))
        case .connectMatcher: throw scope.child("connect_matcher").unsupported("CONNECT matching")
        case nil: throw scope.error("a route match needs one of prefix, path, safe_regex, path_separated_prefix")
        }
        if match.hasGrpc { throw scope.child("grpc").unsupported("gRPC-only route matching") }
        if match.hasTlsContext { throw scope.child("tls_context").unsupported("TLS context matching") }
        var headers: [HeaderMatch] = []
        for (index, header) in match.headers.enumerated() {
            headers.append(try Self.header(header, scope.index("headers", index)))
        }
        var parameters: [QueryParameterMatch] = []
        for (index, parameter) in match.queryParameters.enumerated() {
            let parameterScope = scope.index("query_parameters", index)
            switch parameter.queryParameterMatchSpecifier {
            case .stringMatch(let matcher):
                parameters.append(QueryParameterMatch(name: parameter.name, rule: .string(try StringMatchConverter.convert(matcher, parameterScope.child("string_match")))))
            case .presentMatch(true):
                parameters.append(QueryParameterMatch(name: parameter.name, rule: .present))
            case .presentMatch(false), nil:
                throw parameterScope.error("a query parameter matcher needs string_match or present_match: true")
            }
        }
        let fraction = match.hasRuntimeFraction ? ProtoValues.fraction(match.runtimeFraction.defaultValue) : nil
        return RouteMatchRule(path: path, headers: headers, queryParameters: parameters, runtimeFraction: fraction)
    }

    static func header(_ header: Envoy_Config_Route_V3_HeaderMatcher, _ scope: ConversionScope) throws(XDSConversionError) -> HeaderMatch {
        guard !header.name.isEmpty else { throw scope.child("name").error("header name is empty") }
        let rule: HeaderMatch.Rule
        switch header.headerMatchSpecifier {
        case .exactMatch(let value): rule = .string(StringMatch(.exact(Array(value.utf8))))
        case .prefixMatch(let value): rule = .string(StringMatch(.prefix(Array(value.utf8))))
        case .suffixMatch(let value): rule = .string(StringMatch(.suffix(Array(value.utf8))))
        case .containsMatch(let value): rule = .string(StringMatch(.contains(Array(value.utf8))))
        case .safeRegexMatch(let regex): rule = .string(StringMatch(.regex(try StringMatchConverter.regex(regex, scope.child("safe_regex_match")))))
        case .stringMatch(let matcher): rule = .string(try StringMatchConverter.convert(matcher, scope.child("string_match")))
        case .presentMatch(let present): rule = .present(present)
        case .rangeMatch(let range): rule = .range(start: range.start, end: range.end)
        // No specifier: Envoy matches on presence.
        case nil: rule = .present(true)
        }
        return HeaderMatch(name: header.name, rule: rule, invert: header.invertMatch, treatMissingAsEmpty: header.treatMissingHeaderAsEmpty)
    }
}
