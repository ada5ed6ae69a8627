import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// tcp_proxy `access_log` goes through the connection manager's converter: file
/// loggers with text or JSON formats and filters; what the proxy cannot honour
/// is NACKed with its field path under the tcp_proxy.
@Suite struct TCPProxyAccessLogConversionTests {
    typealias F = XDSFixtures

    static func fileLog(path: String, text: String? = nil, json: [String: String]? = nil) -> Envoy_Config_Accesslog_V3_AccessLog {
        var file = Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog()
        file.path = path
        var substitution = Envoy_Config_Core_V3_SubstitutionFormatString()
        if let json {
            var fields = Google_Protobuf_Struct()
            for (key, value) in json { fields.fields[key] = Google_Protobuf_Value(stringValue: value) }
            substitution.jsonFormat = fields
            file.logFormat = substitution
        } else if let text {
            var source = Envoy_Config_Core_V3_DataSource()
            source.inlineString = text
            substitution.textFormatSource = source
            file.logFormat = substitution
        }
        var log = Envoy_Config_Accesslog_V3_AccessLog()
        log.name = "envoy.access_loggers.file"
        log.typedConfig = F.any(file)
        return log
    }

    static func listener(_ logs: [Envoy_Config_Accesslog_V3_AccessLog]) -> Envoy_Config_Listener_V3_Listener {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = "outbound|5432||db"
        proxy.cluster = "outbound|5432||db"
        proxy.accessLog = logs
        var listener = F.listener(name: "0.0.0.0_5432")
        listener.filterChains[0].filters[0].name = "envoy.filters.network.tcp_proxy"
        listener.filterChains[0].filters[0].typedConfig = F.any(proxy)
        return listener
    }

    static func tcp(_ listener: Envoy_Config_Listener_V3_Listener) throws -> TCPProxyConfig {
        var warnings = ConversionWarnings()
        guard case .tcp(let tcp) = try ListenerConverter.convert(listener, warnings: &warnings).chain else {
            throw XDSConversionError(resource: "test", field: "", reason: "expected a TCP proxy chain")
        }
        return tcp
    }

    @Test func textAndJSONFileLogsWithAFilter() throws {
        var filtered = Self.fileLog(path: "/tmp/tcp.json", json: ["flags": "%RESPONSE_FLAGS%", "up": "%UPSTREAM_HOST%"])
        var flags = Envoy_Config_Accesslog_V3_ResponseFlagFilter()
        flags.flags = ["UF"]
        filtered.filter.responseFlagFilter = flags
        let tcp = try Self.tcp(Self.listener([Self.fileLog(path: "/dev/stdout", text: "%BYTES_SENT% %UPSTREAM_LOCAL_ADDRESS%\n"), filtered]))
        #expect(tcp.accessLogs.map(\.path) == ["/dev/stdout", "/tmp/tcp.json"])
        #expect(tcp.accessLogs[0].format.segments == [.bytesSent, .literal(Array(" ".utf8)), .upstreamLocalAddress, .literal(Array("\n".utf8))])
        #expect(tcp.accessLogs[0].filter == nil)
        // UF matches the router's URX-first bit and tcp_proxy's UF,URX alike.
        #expect(tcp.accessLogs[1].filter == .responseFlags(.upstreamConnectionFailure))
        let defaultFormat = try Self.tcp(Self.listener([Self.fileLog(path: "/tmp/plain.log")]))
        #expect(defaultFormat.accessLogs.first?.format == (try AccessLogFormat(AccessLogFormat.envoyDefault)))
    }

    @Test func whatCannotBeHonouredIsNACKedUnderTheTCPProxy() {
        let bad = Self.fileLog(path: "/dev/stdout", text: "%DYNAMIC_METADATA(istio.mixer:status)%\n")
        #expect(throws: XDSConversionError(resource: "Listener 0.0.0.0_5432",
                                           field: "filter_chains[0].filters[0].typed_config.access_log[0].typed_config.log_format.text_format_source",
                                           reason: "unsupported access-log command %DYNAMIC_METADATA(istio.mixer:status)%")) {
            try Self.tcp(Self.listener([bad]))
        }
        var noPath = Self.fileLog(path: "")
        noPath.name = "envoy.access_loggers.file"
        #expect(throws: XDSConversionError(resource: "Listener 0.0.0.0_5432",
                                           field: "filter_chains[0].filters[0].typed_config.access_log[0].typed_config.path",
                                           reason: "path is empty")) {
            try Self.tcp(Self.listener([noPath]))
        }
    }

    @Test func accessLogOptionsAndOtherFieldsOutsideTheSubsetAreNACKed() throws {
        // access_log_options (17) { flush_access_log_on_connected: true }: lines at connect time.
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = "tcp"
        proxy.cluster = "c"
        let bytes: [UInt8] = try proxy.serializedBytes() + [0x8A, 0x01, 0x02, 0x10, 0x01]
        let withOptions = try Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy(serializedBytes: bytes)
        var listener = Self.listener([])
        listener.filterChains[0].filters[0].typedConfig = F.any(withOptions)
        #expect(throws: XDSConversionError(resource: "Listener 0.0.0.0_5432", field: "filter_chains[0].filters[0].typed_config.access_log_options",
                                           reason: "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.access_log_options is not supported by this proxy")) {
            try Self.tcp(listener)
        }
    }

    /// max_connect_attempts: Envoy's attempts in total (1, the default, is no retry); 0 fails its validation.
    @Test func maxConnectAttemptsIsTakenAndZeroIsNACKed() throws {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = "tcp"
        proxy.cluster = "c"
        var listener = Self.listener([])
        listener.filterChains[0].filters[0].typedConfig = F.any(proxy)
        #expect(try Self.tcp(listener).maxConnectAttempts == 1)
        proxy.maxConnectAttempts = Google_Protobuf_UInt32Value(3)
        listener.filterChains[0].filters[0].typedConfig = F.any(proxy)
        #expect(try Self.tcp(listener).maxConnectAttempts == 3)
        proxy.maxConnectAttempts = Google_Protobuf_UInt32Value(0)
        listener.filterChains[0].filters[0].typedConfig = F.any(proxy)
        #expect(throws: XDSConversionError(resource: "Listener 0.0.0.0_5432", field: "filter_chains[0].filters[0].typed_config.max_connect_attempts",
                                           reason: "must be at least 1")) {
            try Self.tcp(listener)
        }
    }

    @Test func noAccessLogNoLines() throws {
        #expect(try Self.tcp(Self.listener([])).accessLogs.isEmpty)
    }
}
