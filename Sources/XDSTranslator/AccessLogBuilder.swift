import MeshConfig
import SwiftProtobuf
import XDSAPI

/// Envoy file access logs as Istio writes them: its text format, or JSON from
/// `labels` (Istio's default JSON labels for `accessLogEncoding: JSON`), with an
/// optional CEL filter.
enum AccessLogBuilder {
    static let fileLogger = "envoy.access_loggers.file"
    static let celFilterName = "envoy.access_loggers.extension_filters.cel"

    /// Istio's default text format (EnvoyTextLogFormat).
    static let format = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n"

    /// Istio's default JSON labels (EnvoyJSONLogFormatIstio).
    static let jsonLabels: [String: String] = [
        "start_time": "%START_TIME%", "method": "%REQ(:METHOD)%", "path": "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
        "protocol": "%PROTOCOL%", "response_code": "%RESPONSE_CODE%", "response_flags": "%RESPONSE_FLAGS%",
        "response_code_details": "%RESPONSE_CODE_DETAILS%", "connection_termination_details": "%CONNECTION_TERMINATION_DETAILS%",
        "upstream_transport_failure_reason": "%UPSTREAM_TRANSPORT_FAILURE_REASON%", "bytes_received": "%BYTES_RECEIVED%",
        "bytes_sent": "%BYTES_SENT%", "duration": "%DURATION%", "upstream_service_time": "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
        "x_forwarded_for": "%REQ(X-FORWARDED-FOR)%", "user_agent": "%REQ(USER-AGENT)%", "request_id": "%REQ(X-REQUEST-ID)%",
        "authority": "%REQ(:AUTHORITY)%", "upstream_host": "%UPSTREAM_HOST%", "upstream_cluster": "%UPSTREAM_CLUSTER_RAW%",
        "upstream_local_address": "%UPSTREAM_LOCAL_ADDRESS%", "downstream_local_address": "%DOWNSTREAM_LOCAL_ADDRESS%",
        "downstream_remote_address": "%DOWNSTREAM_REMOTE_ADDRESS%", "requested_server_name": "%REQUESTED_SERVER_NAME%",
        "route_name": "%ROUTE_NAME%",
    ]

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
