import ProxyCore
import SwiftProtobuf
import XDSAPI

/// Envoy's AccessLogFilter -> ProxyCore's AccessLogFilter. Header slots the filter
/// reads are registered on the log's format so that the record captures them.
enum AccessLogFilterConverter {
    static let celFilter = "envoy.access_loggers.extension_filters.cel"

    static func convert(_ filter: Envoy_Config_Accesslog_V3_AccessLogFilter, _ scope: ConversionScope,
                        format: inout AccessLogFormat) throws(XDSConversionError) -> AccessLogFilter {
        switch filter.filterSpecifier {
        case .statusCodeFilter(let value)?:
            return .statusCode(comparison(value.comparison.op), Int(value.comparison.value.defaultValue))
        case .durationFilter(let value)?:
            return .duration(comparison(value.comparison.op), Int(value.comparison.value.defaultValue))
        case .notHealthCheckFilter?: return .notHealthCheck
        case .runtimeFilter(let value)?:
            let percent = value.hasPercentSampled ? value.percentSampled : Envoy_Type_V3_FractionalPercent()
            return .sampled(FractionalPercent(numerator: UInt64(percent.numerator), denominator: denominator(percent.denominator)))
        case .andFilter(let value)?:
            var filters: [AccessLogFilter] = []
            for (index, inner) in value.filters.enumerated() { filters.append(try convert(inner, scope.index("and_filter.filters", index), format: &format)) }
            return .all(filters)
        case .orFilter(let value)?:
            var filters: [AccessLogFilter] = []
            for (index, inner) in value.filters.enumerated() { filters.append(try convert(inner, scope.index("or_filter.filters", index), format: &format)) }
            return .any(filters)
        case .headerFilter(let value)?:
            let match = try RouteMatchConverter.header(value.header, scope.child("header_filter.header"))
            let slot = format.headerSlot(value.header.name, response: false)
            return .header(HeaderFilter(slot: slot, rule: match.rule, invert: match.invert, identity: (try? value.header.jsonString()) ?? value.header.name))
        case .responseFlagFilter(let value)?:
            guard !value.flags.isEmpty else { return .responseFlags(nil) }
            var flags: ResponseFlags = []
            for (index, name) in value.flags.enumerated() {
                guard ResponseFlags.envoyNames.contains(name) else { throw scope.index("response_flag_filter.flags", index).error("unknown response flag \"\(name)\"") }
                // Flags this proxy never sets simply never match.
                flags.formUnion(ResponseFlags.named(name) ?? [])
            }
            return .responseFlags(flags)
        case .extensionFilter(let value)?:
            let extensionScope = scope.child("extension_filter")
            guard value.name == celFilter || value.typedConfig.typeURL.hasSuffix(".ExpressionFilter") else {
                throw extensionScope.child("name").unsupported("access-log extension filter \"\(value.name)\"")
            }
            let cel: Envoy_Extensions_AccessLoggers_Filters_Cel_V3_ExpressionFilter = try ListenerConverter.unpack(value.typedConfig, extensionScope.child("typed_config"))
            var requested: [(String, Bool)] = []
            let parsed: CELExpression
            do {
                // Slots are numbered in request order first, then moved onto the format's table.
                parsed = try CELParser.parse(cel.expression) { name, response in
                    requested.append((name, response))
                    return requested.count - 1
                }
            } catch {
                throw extensionScope.child("typed_config.expression").error("\(error.description) in \"\(cel.expression)\"")
            }
            let slots = requested.map { format.headerSlot($0.0, response: $0.1) }
            return .expression(parsed.remappedCapture(slots))
        case .traceableFilter?: throw scope.child("traceable_filter").unsupported("the traceable filter")
        case .metadataFilter?: throw scope.child("metadata_filter").unsupported("the metadata filter")
        case nil: throw scope.error("an access-log filter needs one filter kind")
        }
    }

    static func comparison(_ op: Envoy_Config_Accesslog_V3_ComparisonFilter.Op) -> AccessLogFilter.Comparison {
        switch op {
        case .ge: .atLeast
        case .le: .atMost
        default: .equal
        }
    }

    static func denominator(_ type: Envoy_Type_V3_FractionalPercent.DenominatorType) -> UInt64 {
        switch type {
        case .tenThousand: 10_000
        case .million: 1_000_000
        default: 100
        }
    }
}
