import ProxyCore
import SwiftProtobuf
import XDSAPI

/// Small conversions from protobuf well-known types.
enum ProtoValues {
    static func nanos(_ duration: Google_Protobuf_Duration) -> Int64 {
        duration.seconds * 1_000_000_000 + Int64(duration.nanos)
    }

    static func fraction(_ percent: Envoy_Type_V3_FractionalPercent) -> FractionalPercent {
        let denominator: UInt64
        switch percent.denominator {
        case .hundred: denominator = 100
        case .tenThousand: denominator = 10_000
        case .million: denominator = 1_000_000
        case .UNRECOGNIZED: denominator = 100
        }
        return FractionalPercent(numerator: UInt64(percent.numerator), denominator: denominator)
    }

    static func dataSource(_ source: Envoy_Config_Core_V3_DataSource, _ scope: ConversionScope) throws(XDSConversionError) -> [UInt8] {
        switch source.specifier {
        case .inlineString(let text): return Array(text.utf8)
        case .inlineBytes(let bytes): return Array(bytes)
        case .filename: throw scope.child("filename").unsupported("a file data source")
        case .environmentVariable: throw scope.child("environment_variable").unsupported("an environment data source")
        case nil: return []
        }
    }

    /// A Struct of string values (transport socket match criteria, endpoint
    /// metadata); Envoy compares the values as protobuf Values, the translator sends strings.
    static func stringFields(_ value: Google_Protobuf_Struct, _ scope: ConversionScope) throws(XDSConversionError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, field) in value.fields {
            switch field.kind {
            case .stringValue(let text)?: result[key] = text
            case .boolValue(let flag)?: result[key] = flag ? "true" : "false"
            default: throw scope.child(key).unsupported("a non-string value")
            }
        }
        return result
    }
}
