import ProxyCore
import SwiftProtobuf
import XDSAPI

/// The connection manager's `access_log` entries -> AccessLogConfig: the file
/// logger (any path; `/dev/stdout` is what Istio uses) and the stdout logger,
/// with a text format. What the proxy cannot honour is a warning, not a NACK:
/// logs never change where traffic goes.
enum AccessLogConverter {
    static let fileLogger = "envoy.access_loggers.file"
    static let stdoutLogger = "envoy.access_loggers.stdout"

    static func convert(_ logs: [Envoy_Config_Accesslog_V3_AccessLog], _ scope: ConversionScope,
                        warnings: inout ConversionWarnings) throws(XDSConversionError) -> [AccessLogConfig] {
        var result: [AccessLogConfig] = []
        for (index, log) in logs.enumerated() {
            let logScope = scope.index("access_log", index)
            if log.hasFilter { warnings.add(logScope.child("filter"), "access-log filters are not applied yet (every request is logged)") }
            let typeURL = log.typedConfig.typeURL
            if log.name == stdoutLogger || typeURL.hasSuffix(".StdoutAccessLog") {
                result.append(AccessLogConfig(path: "/dev/stdout", format: try format(AccessLogFormat.envoyDefault, logScope)))
                if !log.typedConfig.value.isEmpty {
                    warnings.add(logScope.child("typed_config"), "the stdout logger's own log_format is not read yet (Envoy's default format is used)")
                }
                continue
            }
            guard log.name == fileLogger || typeURL.hasSuffix(".FileAccessLog") else {
                warnings.add(logScope.child("name"), "access logger \"\(log.name)\" is not supported (skipped)")
                continue
            }
            let file: Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog = try ListenerConverter.unpack(log.typedConfig, logScope.child("typed_config"))
            let fileScope = logScope.child("typed_config")
            guard !file.path.isEmpty else { throw fileScope.child("path").error("path is empty") }
            var text = AccessLogFormat.envoyDefault
            switch file.accessLogFormat {
            case .format(let value)?: if !value.isEmpty { text = value }
            case .logFormat(let substitution)?:
                switch substitution.format {
                case .textFormat(let value)?: text = value
                case .textFormatSource(let source)?:
                    guard case .inlineString(let value)? = source.specifier else {
                        throw fileScope.child("log_format.text_format_source").unsupported("a format read from a file")
                    }
                    text = value
                case .jsonFormat?:
                    warnings.add(fileScope.child("log_format.json_format"), "JSON access logs are not written yet (Envoy's default text format is used)")
                default: break
                }
            case .jsonFormat?, .typedJsonFormat?:
                warnings.add(fileScope.child("json_format"), "JSON access logs are not written yet (Envoy's default text format is used)")
            case nil: break
            }
            result.append(AccessLogConfig(path: file.path, format: try format(text, fileScope.child("log_format"))))
        }
        return result
    }

    static func format(_ text: String, _ scope: ConversionScope) throws(XDSConversionError) -> AccessLogFormat {
        do {
            return try AccessLogFormat(text)
        } catch {
            throw scope.error(error.description)
        }
    }
}
