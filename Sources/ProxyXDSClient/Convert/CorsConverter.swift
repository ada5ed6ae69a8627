import ProxyCore
import SwiftProtobuf
import XDSAPI

/// `typed_per_filter_config["envoy.filters.http.cors"]` on a route -> CorsPolicyConfig.
/// What Istio emits is served; sampling and private-network settings are refused by name.
enum CorsConverter {
    static let typeURL = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"

    static func convert(_ any: Google_Protobuf_Any, _ scope: ConversionScope) throws(XDSConversionError) -> CorsPolicyConfig {
        guard any.typeURL == typeURL else { throw scope.error("expected \(typeURL), got \(any.typeURL)") }
        let policy: Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy
        do {
            policy = try Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy(unpackingAny: any)
        } catch {
            throw scope.error("cannot decode CorsPolicy: \(error)")
        }
        if policy.hasFilterEnabled { throw scope.child("filter_enabled").unsupported("CORS enforced on a share of requests") }
        if policy.hasShadowEnabled { throw scope.child("shadow_enabled").unsupported("CORS shadow mode") }
        if policy.hasAllowPrivateNetworkAccess { throw scope.child("allow_private_network_access").unsupported("private network access") }
        var origins: [StringMatch] = []
        for (index, matcher) in policy.allowOriginStringMatch.enumerated() {
            origins.append(try StringMatchConverter.convert(matcher, scope.index("allow_origin_string_match", index)))
        }
        return CorsPolicyConfig(allowOrigins: origins, allowMethods: policy.allowMethods, allowHeaders: policy.allowHeaders,
                                exposeHeaders: policy.exposeHeaders, maxAge: policy.maxAge,
                                allowCredentials: policy.hasAllowCredentials && policy.allowCredentials.value,
                                forwardNotMatchingPreflights: !policy.hasForwardNotMatchingPreflights || policy.forwardNotMatchingPreflights.value)
    }
}
