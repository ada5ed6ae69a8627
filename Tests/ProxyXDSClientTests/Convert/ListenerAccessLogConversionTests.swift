import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// `Listener.access_log`: the listener's own logs (for connections no chain
/// takes); a log that may also admit a served connection goes to the tcp_proxy
/// chains as well (Envoy logs every connection there), and is refused with its
/// field path when an HTTP connection manager chain would have to write it.
@Suite struct ListenerAccessLogConversionTests {
    typealias F = XDSFixtures
    typealias AccessLog = Envoy_Config_Accesslog_V3_AccessLog

    static func filtered(_ log: AccessLog, flags: [String]) -> AccessLog {
        var copy = log
        var filter = Envoy_Config_Accesslog_V3_ResponseFlagFilter()
        filter.flags = flags
        copy.filter.responseFlagFilter = filter
        return copy
    }

    /// Istio's listener log: NR, with a CEL filter beside it under an and_filter.
    static func istioLog(path: String, expression: String? = nil) -> AccessLog {
        let log = filtered(TCPProxyAccessLogConversionTests.fileLog(path: path, text: "%RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\n"), flags: ["NR"])
        guard let expression else { return log }
        var cel = Envoy_Extensions_AccessLoggers_Filters_Cel_V3_ExpressionFilter()
        cel.expression = expression
        var celFilter = Envoy_Config_Accesslog_V3_AccessLogFilter()
        celFilter.extensionFilter.name = "envoy.access_loggers.extension_filters.cel"
        celFilter.extensionFilter.typedConfig = F.any(cel)
        var both = log
        both.filter = Envoy_Config_Accesslog_V3_AccessLogFilter()
        both.filter.andFilter.filters = [log.filter, celFilter]
        return both
    }

    /// A tcp_proxy listener whose one chain needs SNI `foo.example.com`.
    static func sniListener(_ logs: [AccessLog], tcpLogs: [AccessLog] = []) -> Envoy_Config_Listener_V3_Listener {
        var listener = TCPProxyAccessLogConversionTests.listener(tcpLogs)
        listener.filterChains[0].filterChainMatch.serverNames = ["foo.example.com"]
        listener.accessLog = logs
        return listener
    }

    static func convert(_ listener: Envoy_Config_Listener_V3_Listener) throws -> ListenerConfig {
        var warnings = ConversionWarnings()
        return try ListenerConverter.convert(listener, warnings: &warnings)
    }

    static func tcpLogs(_ config: ListenerConfig) -> [AccessLogConfig] {
        guard case .tcp(let tcp) = config.filterChains[0].chain else { return [] }
        return tcp.accessLogs
    }

    @Test func istiosNoChainLogStaysOnTheListener() throws {
        let config = try Self.convert(Self.sniListener([Self.istioLog(path: "/tmp/listener.log", expression: "response.code >= 400")],
                                                       tcpLogs: [TCPProxyAccessLogConversionTests.fileLog(path: "/tmp/tcp.log")]))
        #expect(config.accessLogs.map(\.path) == ["/tmp/listener.log"])
        let filter = try #require(config.accessLogs.first?.filter)
        #expect(filter.admitsOnly(.noRouteFound))
        #expect(Self.tcpLogs(config).map(\.path) == ["/tmp/tcp.log"], "a connection a chain serves never has NR: not handed on")
    }

    @Test func aLogThatAdmitsServedConnectionsAlsoGoesToTheTCPChains() throws {
        let unfiltered = TCPProxyAccessLogConversionTests.fileLog(path: "/tmp/all.log")
        let upstreamFailures = Self.filtered(TCPProxyAccessLogConversionTests.fileLog(path: "/tmp/uf.log"), flags: ["UF", "NR"])
        var listener = Self.sniListener([Self.istioLog(path: "/tmp/nr.log"), unfiltered, upstreamFailures])
        listener.defaultFilterChain = listener.filterChains[0]
        let config = try Self.convert(listener)
        #expect(config.accessLogs.map(\.path) == ["/tmp/nr.log", "/tmp/all.log", "/tmp/uf.log"])
        #expect(Self.tcpLogs(config).map(\.path) == ["/tmp/all.log", "/tmp/uf.log"])
        guard case .tcp(let fallback)? = config.defaultFilterChain?.chain else { throw XDSConversionError(resource: "test", field: "", reason: "no default") }
        #expect(fallback.accessLogs.map(\.path) == ["/tmp/all.log", "/tmp/uf.log"])
    }

    @Test func httpChainsTakeOnlyNoChainLogs() throws {
        var listener = F.listener(name: "0.0.0.0_8080")
        listener.accessLog = [Self.istioLog(path: "/tmp/nr.log")]
        #expect(try Self.convert(listener).accessLogs.count == 1)
        listener.accessLog.append(TCPProxyAccessLogConversionTests.fileLog(path: "/tmp/all.log"))
        #expect(throws: XDSConversionError(resource: "Listener 0.0.0.0_8080", field: "access_log[1]",
                                           reason: "a listener access log that may log the connections of an HTTP connection manager chain (filter_chains[0]) "
                                               + "is not supported by this proxy; one admitting only response flag NR (Istio's) is")) {
            try Self.convert(listener)
        }
    }

    @Test func badListenerLogsAreNackedWithTheirPath() throws {
        var noPath = Envoy_Config_Accesslog_V3_AccessLog()
        noPath.name = "envoy.access_loggers.file"
        noPath.typedConfig = F.any(Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog())
        #expect(throws: XDSConversionError(resource: "Listener 0.0.0.0_5432", field: "access_log[1].typed_config.path", reason: "path is empty")) {
            try Self.convert(Self.sniListener([Self.istioLog(path: "/tmp/nr.log"), noPath]))
        }
        let badFormat = TCPProxyAccessLogConversionTests.fileLog(path: "/tmp/x.log", text: "%NOT_A_COMMAND%\n")
        #expect(throws: XDSConversionError.self) { try Self.convert(Self.sniListener([badFormat])) }
    }
}
