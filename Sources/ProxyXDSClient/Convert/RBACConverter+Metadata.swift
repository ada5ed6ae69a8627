import ProxyCore
import XDSAPI

extension RBACConverter {
    /// MetadataMatcher -> MetadataMatch (what Istio emits for JWT claims:
    /// string matches on payload fields and `list_match.one_of`).
    static func metadata(_ matcher: Envoy_Type_Matcher_V3_MetadataMatcher, _ scope: ConversionScope) throws(XDSConversionError) -> MetadataMatch {
        guard !matcher.filter.isEmpty else { throw scope.child("filter").error("filter is required") }
        guard !matcher.path.isEmpty else { throw scope.child("path").error("at least one path segment is required") }
        var path: [String] = []
        for (index, segment) in matcher.path.enumerated() {
            guard case .key(let key)? = segment.segment, !key.isEmpty else { throw scope.index("path", index).error("a path segment needs a key") }
            path.append(key)
        }
        guard matcher.hasValue else { throw scope.child("value").error("value is required") }
        return MetadataMatch(filter: matcher.filter, path: path, rule: try value(matcher.value, scope.child("value")), invert: matcher.invert)
    }

    static func value(_ matcher: Envoy_Type_Matcher_V3_ValueMatcher, _ scope: ConversionScope) throws(XDSConversionError) -> MetadataMatch.ValueRule {
        switch matcher.matchPattern {
        case .nullMatch: return .null
        case .doubleMatch(let double):
            switch double.matchPattern {
            case .range(let range): return .doubleRange(start: range.start, end: range.end)
            case .exact(let exact): return .doubleExact(exact)
            case nil: throw scope.child("double_match").error("needs range or exact")
            }
        case .stringMatch(let string): return .string(try StringMatchConverter.convert(string, scope.child("string_match")))
        case .boolMatch(let flag): return .bool(flag)
        case .presentMatch(let present): return .present(present)
        case .listMatch(let list):
            guard case .oneOf(let element)? = list.matchPattern else { throw scope.child("list_match").error("needs one_of") }
            return .listOneOf(try value(element, scope.child("list_match.one_of")))
        case .orMatch(let or):
            guard or.valueMatchers.count >= 2 else { throw scope.child("or_match.value_matchers").error("at least two matchers are required") }
            var rules: [MetadataMatch.ValueRule] = []
            for (index, element) in or.valueMatchers.enumerated() {
                rules.append(try value(element, scope.index("or_match.value_matchers", index)))
            }
            return .or(rules)
        case nil: throw scope.error("a value matcher needs a match pattern")
        }
    }
}
