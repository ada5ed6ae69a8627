import ProxyCore
import SwiftProtobuf
import XDSAPI

/// The `access_log` entries of a connection manager, a tcp_proxy or a listener -> AccessLogConfig: the file
/// logger (any path; `/dev/stdout` is what Istio uses) and the stdout logger,
/// with a text or JSON format and Envoy's filters (status, duration, flags,
/// header, runtime sampling, and/or, CEL expressions). A format or filter the
/// proxy cannot honour is NACKed with its field path, never silently ignored.
enum AccessLogConverter {
    static let fileLogger = "envoy.access_loggers.file"
    static let stdoutLogger = "envoy.access_loggers.stdout"

    static func convert(_ logs: [Envoy_Config_Accesslog_V3_AccessLog], _ scope: ConversionScope,
                        warnings: inout ConversionWarnings) throws(XDSConversionError) -> [AccessLogConfig] {
        try convertIndexed(logs, scope, warnings: &warnings).map(\.config)
    }

    /// The logs the proxy writes with their index in `logs` (skipped loggers leave gaps).
    static func convertIndexed(_ logs: [Envoy_Config_Accesslog_V3_AccessLog], _ scope: ConversionScope,
                               warnings: inout ConversionWarnings) throws(XDSConversionError) -> [(index: Int, config: AccessLogConfig)] {
        var result: [AccessLogConfig] = []
        var indices: [Int] = []
        for (index, log) in logs.enumerated() {
            let logScope = scope.index("access_log", index)
            let typeURL = log.typedConfig.typeURL
            var config: AccessLogConfig
            if log.name == stdoutLogger || typeURL.hasSuffix(".StdoutAccessLog") {
                config = AccessLogConfig(path: "/dev/stdout", format: try format(AccessLogFormat.envoyDefault, logScope))
                if !log.typedConfig.value.isEmpty {
                    warnings.add(logScope.child("typed_config"), "the stdout logger's own log_format is not read yet (Envoy's default format is used)")
                }
            } else if log.name == fileLogger || typeURL.hasSuffix(".FileAccessLog") {
                let file: Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog = try ListenerConverter.unpack(log.typedConfig, logScope.child("typed_config"))
                let fileScope = logScope.child("typed_config")
                guard !file.path.isEmpty else { throw fileScope.child("path").error("path is empty") }
                config = AccessLogConfig(path: file.path, format: try fileFormat(file, fileScope))
            } else {
                warnings.add(logScope.child("name"), "access logger \"\(log.name)\" is not supported (skipped)")
                continue
            }
            if log.hasFilter {
                config.filter = try AccessLogFilterConverter.convert(log.filter, logScope.child("filter"), format: &config.format)
            }
            result.append(config)
            indices.append(index)
        }
        return Array(zip(indices, AccessLogConfig.sharingHeaderSlots(result)))
    }

    static func fileFormat(_ file: Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog, _ scope: ConversionScope) throws(XDSConversionError) -> AccessLogFormat {
        switch file.accessLogFormat {
        case .format(let value)?: return try format(value.isEmpty ? AccessLogFormat.envoyDefault : value, scope.child("format"))
        case .jsonFormat(let value)?, .typedJsonFormat(let value)?: return try json(value, scope.child("json_format"))
        case .logFormat(let substitution)?:
            let formatScope = scope.child("log_format")
            switch substitution.format {
            case .textFormat(let value)?: return try format(value, formatScope.child("text_format"))
            case .textFormatSource(let source)?:
                guard case .inlineString(let value)? = source.specifier else {
                    throw formatScope.child("text_format_source").unsupported("a format read from a file")
                }
                return try format(value, formatScope.child("text_format_source"))
            case .jsonFormat(let value)?: return try json(value, formatScope.child("json_format"))
            default: return try format(AccessLogFormat.envoyDefault, formatScope)
            }
        case nil: return try format(AccessLogFormat.envoyDefault, scope)
        }
    }

    static func format(_ text: String, _ scope: ConversionScope) throws(XDSConversionError) -> AccessLogFormat {
        do {
            return try AccessLogFormat(text)
        } catch {
            throw scope.error(error.description)
        }
    }

    static func json(_ value: Google_Protobuf_Struct, _ scope: ConversionScope) throws(XDSConversionError) -> AccessLogFormat {
        do {
            return try AccessLogFormat(json: try fields(value, scope))
        } catch let error as AccessLogFormat.ParseError {
            throw scope.error(error.description)
        } catch let error as XDSConversionError {
            throw error
        } catch {
            throw scope.error("\(error)")
        }
    }

    static func fields(_ value: Google_Protobuf_Struct, _ scope: ConversionScope) throws(XDSConversionError) -> [(String, AccessLogFormat.JSONField)] {
        var result: [(String, AccessLogFormat.JSONField)] = []
        for (key, field) in value.fields {
            switch field.kind {
            case .stringValue(let text)?: result.append((key, .string(text)))
            case .numberValue(let number)?: result.append((key, .number(number)))
            case .boolValue(let flag)?: result.append((key, .bool(flag)))
            case .structValue(let nested)?: result.append((key, .object(try fields(nested, scope.child(key)))))
            case .nullValue?, nil: result.append((key, .null))
            case .listValue?: throw scope.child(key).unsupported("a list in a JSON access-log format")
            }
        }
        return result
    }
}
