import MeshCore
import MeshConfig
import SwiftProtobuf
import XDSAPI

/// Envoy file access logs as Istio writes them: its text format, or JSON from
/// `labels` (Istio's default JSON labels for `accessLogEncoding: JSON`), with an
/// optional CEL filter.
enum AccessLogBuilder {
    static let fileLogger = "envoy.access_loggers.file"
    static let celFilterName = "envoy.access_loggers.extension_filters.cel"

    /// Istio's default text format and JSON labels (shared with the data plane's tests).
    static let format = IstioAccessLogFormat.text
    static let jsonLabels = IstioAccessLogFormat.jsonLabels

    static func stdout() -> Envoy_Config_Accesslog_V3_AccessLog {
        file(path: "/dev/stdout", text: nil, labels: nil)
    }

    /// MeshConfig's `accessLogFile` with its encoding and format.
    static func meshFile(_ path: String, mesh: IstioMeshConfig) -> Envoy_Config_Accesslog_V3_AccessLog {
        if mesh.accessLogEncoding == .json {
            return file(path: path, text: nil, labels: nil, json: true)
        }
        return file(path: path, text: mesh.accessLogFormat.flatMap { $0.isEmpty ? nil : $0 }, labels: nil)
    }

    static func file(path: String, text: String?, labels: [String: JSONValue]?, json: Bool = false) -> Envoy_Config_Accesslog_V3_AccessLog {
        var file = Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog()
        file.path = path
        var substitution = Envoy_Config_Core_V3_SubstitutionFormatString()
        if let labels, !labels.isEmpty {
            substitution.jsonFormat = structValue(labels)
        } else if json {
            substitution.jsonFormat = structValue(jsonLabels.mapValues { .string($0) })
        } else {
            var source = Envoy_Config_Core_V3_DataSource()
            // Istio appends the newline a user's format leaves out.
            let line = text ?? format
            source.inlineString = line.hasSuffix("\n") ? line : line + "\n"
            substitution.textFormatSource = source
        }
        file.logFormat = substitution
        var log = Envoy_Config_Accesslog_V3_AccessLog()
        log.name = fileLogger
        log.typedConfig = Proto.any(file)
        return log
    }

    static func celFilter(_ expression: String) -> Envoy_Config_Accesslog_V3_AccessLogFilter {
        var cel = Envoy_Extensions_AccessLoggers_Filters_Cel_V3_ExpressionFilter()
        cel.expression = expression
        var config = Envoy_Config_Accesslog_V3_ExtensionFilter()
        config.name = celFilterName
        config.typedConfig = Proto.any(cel)
        var filter = Envoy_Config_Accesslog_V3_AccessLogFilter()
        filter.extensionFilter = config
        return filter
    }

    static func structValue(_ fields: [String: JSONValue]) -> Google_Protobuf_Struct {
        var result = Google_Protobuf_Struct()
        for (key, value) in fields { result.fields[key] = protoValue(value) }
        return result
    }

    static func protoValue(_ value: JSONValue) -> Google_Protobuf_Value {
        switch value {
        case .null:
            var null = Google_Protobuf_Value()
            null.nullValue = .nullValue
            return null
        case .bool(let flag): return Google_Protobuf_Value(boolValue: flag)
        case .number(let number): return Google_Protobuf_Value(numberValue: number)
        case .string(let text): return Google_Protobuf_Value(stringValue: text)
        case .array(let items): return Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: items.map(protoValue)))
        case .object(let fields): return Google_Protobuf_Value(structValue: structValue(fields))
        }
    }
}
