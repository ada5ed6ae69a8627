import MeshCore
import XDSAPI

/// Envoy matchers from Istio's authorization value syntax: `*` anything present,
/// `prefix*`, `*suffix`, otherwise exact (Istio's authz `matcher` package).
enum RBACMatchers {
    typealias StringMatcher = Envoy_Type_Matcher_V3_StringMatcher
    typealias ValueMatcher = Envoy_Type_Matcher_V3_ValueMatcher
    typealias MetadataMatcher = Envoy_Type_Matcher_V3_MetadataMatcher
    typealias HeaderMatcher = Envoy_Config_Route_V3_HeaderMatcher

    /// `prefix` is put in front of exact and prefix values (e.g. `spiffe://`); a
    /// suffix value then needs a regex to keep it.
    static func string(_ value: String, prefix: String = "") -> StringMatcher {
        if value == "*" { return regex(".+") }
        if value.hasPrefix("*") {
            let suffix = String(value.dropFirst())
            return prefix.isEmpty ? suffixMatcher(suffix) : regex(prefix + ".*" + suffix)
        }
        if value.hasSuffix("*") { return prefixMatcher(prefix + value.dropLast()) }
        return exact(prefix + value)
    }

    static func exact(_ value: String, ignoreCase: Bool = false) -> StringMatcher {
        var matcher = StringMatcher()
        matcher.exact = value
        matcher.ignoreCase = ignoreCase
        return matcher
    }

    static func prefixMatcher(_ value: String) -> StringMatcher {
        var matcher = StringMatcher()
        matcher.prefix = value
        return matcher
    }

    static func suffixMatcher(_ value: String) -> StringMatcher {
        var matcher = StringMatcher()
        matcher.suffix = value
        return matcher
    }

    static func regex(_ pattern: String) -> StringMatcher {
        var regex = Envoy_Type_Matcher_V3_RegexMatcher()
        regex.regex = pattern
        var matcher = StringMatcher()
        matcher.safeRegex = regex
        return matcher
    }

    /// Request headers and `:method`: `*` means present.
    static func header(_ name: String, _ value: String) -> HeaderMatcher {
        var header = HeaderMatcher()
        header.name = name
        if value == "*" { header.presentMatch = true } else { header.stringMatch = string(value) }
        return header
    }

    /// `:authority`, compared without case as host names are.
    static func host(_ value: String) -> HeaderMatcher {
        var header = HeaderMatcher()
        header.name = ":authority"
        if value == "*" {
            header.presentMatch = true
        } else {
            var matcher = string(value)
            matcher.ignoreCase = true
            header.stringMatch = matcher
        }
        return header
    }

    static func path(_ value: String) -> Envoy_Type_Matcher_V3_PathMatcher {
        var matcher = Envoy_Type_Matcher_V3_PathMatcher()
        matcher.path = string(value)
        return matcher
    }

    /// Istio's `{*}` (one segment) and `{**}` (any segments) in an Envoy URI template.
    static func pathTemplate(_ value: String) -> Envoy_Config_Core_V3_TypedExtensionConfig {
        var template = Envoy_Extensions_Path_Match_UriTemplate_V3_UriTemplateMatchConfig()
        template.pathTemplate = value.replacingOccurrences(of: "{**}", with: "**").replacingOccurrences(of: "{*}", with: "*")
        var config = Envoy_Config_Core_V3_TypedExtensionConfig()
        config.name = "uri-template"
        config.typedConfig = Proto.any(template)
        return config
    }

    static func containsPathTemplate(_ value: String) -> Bool {
        value.contains("{*}") || value.contains("{**}")
    }

    /// `10.1.2.3` (a /32 or /128) or `10.1.0.0/16`.
    static func cidr(_ value: String) throws(RBACGenerationError) -> Envoy_Config_Core_V3_CidrRange {
        if let problem = IPAddress.cidrProblem(value) { throw RBACGenerationError(problem) }
        let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
        var range = Envoy_Config_Core_V3_CidrRange()
        range.addressPrefix = parts[0]
        let length = parts.count == 2 ? Int(parts[1]) ?? 0 : (parts[0].contains(":") ? 128 : 32)
        range.prefixLen = Proto.uint32(length)
        return range
    }

    static func metadata(filter: String, path: [String], value: ValueMatcher) -> MetadataMatcher {
        var matcher = MetadataMatcher()
        matcher.filter = filter
        matcher.path = path.map { key in
            var segment = MetadataMatcher.PathSegment()
            segment.key = key
            return segment
        }
        matcher.value = value
        return matcher
    }

    static func value(_ string: StringMatcher) -> ValueMatcher {
        var value = ValueMatcher()
        value.stringMatch = string
        return value
    }

    /// One of several values (a single one stays as it is).
    static func or(_ values: [ValueMatcher]) -> ValueMatcher {
        if values.count == 1 { return values[0] }
        var or = Envoy_Type_Matcher_V3_OrMatcher()
        or.valueMatchers = values
        var value = ValueMatcher()
        value.orMatch = or
        return value
    }

    /// A claim that may be a string or a list of strings (`aud`, `groups`): the
    /// value itself, or a list with one element matching it.
    static func stringOrList(_ matcher: ValueMatcher) -> ValueMatcher {
        var list = Envoy_Type_Matcher_V3_ListMatcher()
        list.oneOf = matcher
        var inList = ValueMatcher()
        inList.listMatch = list
        var or = Envoy_Type_Matcher_V3_OrMatcher()
        or.valueMatchers = [inList, matcher]
        var value = ValueMatcher()
        value.orMatch = or
        return value
    }
}

/// A value a policy field cannot be translated from (e.g. an HTTP attribute on a
/// TCP chain); Istio drops the rule for ALLOW and the attribute for DENY / AUDIT.
struct RBACGenerationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
