import Testing
import XDSAPI
@testable import XDSTranslator

/// As Istio's `setAccessLogAndBuildTCPFilter`: every tcp_proxy (outbound TCP and
/// TLS-passthrough chains, the catch-alls, inbound TCP chains, gateways' TCP and
/// passthrough servers) carries the access logs the HTTP connection managers of
/// its side carry, from the same Telemetry / MeshConfig resolution.
@Suite struct TCPAccessLogTranslationTests {
    typealias F = TranslatorFixture
    typealias AccessLog = Envoy_Config_Accesslog_V3_AccessLog
    let dbSidecar = F.sidecar("10.0.2.1", name: "db-a", labels: ["app": "db"])

    let database = F.dbService + """
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: db-a, namespace: default, labels: {app: db}}
    status: {podIP: 10.0.2.1}

    """

    func telemetry(_ rules: String, namespace: String = "istio-system") -> String {
        "\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: logs, namespace: \(namespace)}\nspec:\n  accessLogging:\n" + rules
    }

    func file(_ log: AccessLog) throws -> Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog {
        try Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog(unpackingAny: log.typedConfig)
    }

    func outboundTCP(_ resources: ProxyResources) throws -> [AccessLog] {
        let name = try #require(resources.listeners.map(\.name).first { $0.hasSuffix("_5432") })
        return try resources.tcpProxy(name).accessLog
    }

    /// (the inbound 5432 chain's logs, the inbound passthrough's) on the db sidecar.
    func inboundTCP(_ resources: ProxyResources) throws -> ([AccessLog], [AccessLog]) {
        let inbound = try resources.listener("virtualInbound")
        let chain = try #require(inbound.filterChains.first { $0.filterChainMatch.destinationPort.value == 5432 })
        return (try Unpack.tcpProxy(try #require(chain.filters.last)).accessLog,
                try Unpack.tcpProxy(try #require(inbound.defaultFilterChain.filters.last)).accessLog)
    }

    @Test func everySidecarTCPProxyCarriesTheMeshDefaultLog() throws {
        let resources = try F.translate(database, proxy: dbSidecar)
        let outbound = try outboundTCP(resources)
        #expect(outbound.count == 1)
        let log = try #require(outbound.first)
        #expect(log.name == "envoy.access_loggers.file")
        #expect(try file(log).path == "/dev/stdout")
        #expect(try file(log).logFormat.textFormatSource.inlineString == AccessLogBuilder.format, "Istio's text format, as on the HCM")
        let catchAll = try Unpack.tcpProxy(try #require(resources.listener("virtualOutbound").filterChains.first?.filters.last))
        #expect(catchAll.accessLog == outbound)
        let (inbound, passthrough) = try inboundTCP(resources)
        #expect(inbound == outbound)
        #expect(passthrough == outbound)
    }

    @Test func telemetryModeDecidesTheSideForTCPToo() throws {
        let serverOnly = telemetry("  - match: {mode: SERVER}\n    providers: [{name: envoy}]\n  - match: {mode: CLIENT}\n    disabled: true\n")
        let resources = try F.translate(database + serverOnly, proxy: dbSidecar)
        #expect(try outboundTCP(resources).isEmpty)
        let catchAll = try Unpack.tcpProxy(try #require(resources.listener("virtualOutbound").filterChains.first?.filters.last))
        #expect(catchAll.accessLog.isEmpty)
        let (inbound, passthrough) = try inboundTCP(resources)
        #expect(inbound.count == 1)
        #expect(passthrough.count == 1)
        let off = try F.translate(database + telemetry("  - disabled: true\n"), proxy: dbSidecar)
        #expect(try outboundTCP(off).isEmpty)
        #expect(try inboundTCP(off).0.isEmpty)
    }

    @Test func meshJSONEncodingAndTelemetryFilterReachTheTCPProxy() throws {
        let mesh = """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            accessLogFile: /tmp/tcp.log
            accessLogEncoding: JSON

        """
        let json = try #require(try outboundTCP(try F.translate(database + mesh, proxy: dbSidecar)).first)
        #expect(try file(json).path == "/tmp/tcp.log")
        #expect(try file(json).logFormat.jsonFormat.fields["protocol"]?.stringValue == "%PROTOCOL%")
        let filtered = telemetry("  - providers: [{name: envoy}]\n    filter: {expression: \"response.code >= 400\"}\n")
        let log = try #require(try outboundTCP(try F.translate(database + filtered, proxy: dbSidecar)).first)
        #expect(log.filter.extensionFilter.name == AccessLogBuilder.celFilterName)
    }

    @Test func tlsRouteChainsLogEachChain() throws {
        let resources = try F.translate("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: ext, namespace: default}
        spec:
          hosts: [a.example.com, b.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 443, name: tls, protocol: TLS}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ext, namespace: default}
        spec:
          hosts: [a.example.com]
          tls:
          - match: [{sniHosts: [a.example.com], port: 443}]
            route: [{destination: {host: b.example.com, port: {number: 443}}}]
        """)
        let chains = try resources.listener("0.0.0.0_443").filterChains
        #expect(chains.count == 3, "the SNI match, the other service's, the passthrough")
        for chain in chains {
            #expect(try Unpack.tcpProxy(try #require(chain.filters.last)).accessLog.count == 1)
        }
    }

    @Test func gatewayTCPAndPassthroughServersLog() throws {
        let gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 31400, name: tcp, protocol: TCP}
            hosts: ["*"]
          - port: {number: 443, name: tls, protocol: TLS}
            hosts: ["*"]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: tcp, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [istio-system/public]
          tcp:
          - match: [{port: 31400}]
            route: [{destination: {host: ratings, port: {number: 9080}}}]
          tls:
          - match: [{port: 443, sniHosts: [a.example.com]}]
            route: [{destination: {host: reviews, port: {number: 9080}}}]
        """
        let resources = try F.translate(gateway, proxy: F.gateway())
        let tcp = try Unpack.tcpProxy(try #require(try resources.listener("0.0.0.0_31400").filterChains.first?.filters.last))
        #expect(tcp.accessLog.count == 1)
        let tls = try Unpack.tcpProxy(try #require(try resources.listener("0.0.0.0_443").filterChains.first?.filters.last))
        #expect(tls.accessLog == tcp.accessLog)
        let off = try F.translate(gateway + telemetry("  - disabled: true\n"), proxy: F.gateway())
        #expect(try Unpack.tcpProxy(try #require(try off.listener("0.0.0.0_31400").filterChains.first?.filters.last)).accessLog.isEmpty)
    }
}
