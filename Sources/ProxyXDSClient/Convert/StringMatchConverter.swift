import MeshCore
import ProxyCore
import XDSAPI

/// Envoy's StringMatcher and RegexMatcher -> ProxyCore's compiled matchers.
enum StringMatchConverter {
    static func regex(_ matcher: Envoy_Type_Matcher_V3_RegexMatcher, _ scope: ConversionScope) throws(XDSConversionError) -> RegexPattern {
        do {
            return try RegexPattern(matcher.regex)
        } catch {
            throw scope.child("regex").error(error.description)
        }
    }

    static func convert(_ matcher: Envoy_Type_Matcher_V3_StringMatcher, _ scope: ConversionScope) throws(XDSConversionError) -> StringMatch {
        switch matcher.matchPattern {
        case .exact(let value): return StringMatch(.exact(Array(value.utf8)), ignoreCase: matcher.ignoreCase)
        case .prefix(let value): return StringMatch(.prefix(Array(value.utf8)), ignoreCase: matcher.ignoreCase)
        case .suffix(let value): return StringMatch(.suffix(Array(value.utf8)), ignoreCase: matcher.ignoreCase)
        case .contains(let value): return StringMatch(.contains(Array(value.utf8)), ignoreCase: matcher.ignoreCase)
        case .safeRegex(let regex): return StringMatch(.regex(try Self.regex(regex, scope.child("safe_regex"))))
        case nil: throw scope.error("a string matcher needs one of exact, prefix, suffix, contains, safe_regex")
        }
    }
}
