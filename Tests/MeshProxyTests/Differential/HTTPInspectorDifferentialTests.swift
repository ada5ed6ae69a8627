import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// Plaintext protocol detection (envoy.filters.listener.http_inspector) through
/// stock Envoy 1.40 and `swiftmesh proxy` on the same listeners
/// (HTTPInspectorBootstrap): every connection must reach the same chain. Without
/// an Envoy binary only our side runs, against the answers Envoy gave.
@Suite(.serialized) struct HTTPInspectorDifferentialTests {
    typealias Piece = PacedExchange.Piece
    static let preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    /// An empty SETTINGS frame: what an h2c client sends after the preface.
    static let settings = "\u{0}\u{0}\u{0}\u{4}\u{0}\u{0}\u{0}\u{0}\u{0}"

    /// curl with a protocol flag: "code version", "000 0" when curl gave up.
    static func curl(_ flag: String, port: Int) throws -> String {
        try ToolOutput.text("/usr/bin/curl", ["-s", flag, "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                                              "http://127.0.0.1:\(port)/curl"])
    }

    /// The Istio-like inbound listener: (scenario, what Envoy 1.40 does).
    static let inboundScenarios: [(name: String, pieces: [Piece], envoy: String)] = [
        ("HTTP/1.1", PacedExchange.pieces(["GET /one HTTP/1.1\r\nHost: svc\r\n\r\n"], pause: 0), "http1 200"),
        ("HTTP/1.1 request line in pieces", PacedExchange.pieces(["GE", "T /two HT", "TP/1.1\r", "\nHost: svc\r\n\r\n"]), "http1 200"),
        ("HTTP/1.0 (not listed: tcp_proxy)", PacedExchange.pieces(["GET /ten HTTP/1.0\r\n\r\n"], pause: 0), "tcp"),
        ("h2c preface split across reads", PacedExchange.pieces(["PRI * HTTP/2", ".0\r\n\r\nS", "M\r\n\r\n" + settings]), "h2 settings"),
        ("raw bytes", PacedExchange.pieces(["hello\n"], pause: 0), "tcp"),
        ("a ClientHello", [Piece(pauseMilliseconds: 0, bytes: PassthroughDifferentialTests.clientHello("svc"))], "tcp"),
        ("silent for 1.5 s, then HTTP/1.1", PacedExchange.pieces(["GET /late HTTP/1.1\r\nHost: svc\r\n\r\n"], pause: 1500), "tcp"),
        ("half a request line, 1.5 s, the rest", [Piece(pauseMilliseconds: 0, bytes: Array("GET /half HTTP/1.1".utf8)),
                                                  Piece(pauseMilliseconds: 1500, bytes: Array("\r\nHost: svc\r\n\r\n".utf8))], "tcp"),
    ]

    static let curlFlags = ["--http1.1", "--http1.0", "--http2-prior-knowledge"]

    struct Observed: Equatable {
        var raw: [String]
        var curl: [String]
    }

    static func observeInbound(_ port: Int) throws -> Observed {
        Observed(raw: try inboundScenarios.map { try PacedExchange.run($0.pieces, port: port) },
                 curl: try curlFlags.map { try curl($0, port: port) })
    }

    /// The protocol table listener: (bytes, the chain Envoy 1.40 picks).
    static let tableScenarios: [(name: String, pieces: [Piece], envoy: String)] = {
        let long = "GET /" + String(repeating: "a", count: 70_000) + " HTTP/1.1\r\n\r\n"
        let boundary = "GET /" + String(repeating: "a", count: 64 * 1024 - 15) + " HTTP/1.1\n"
        let lines: [(String, String)] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "http11"),
            ("GET / HTTP/1.0\r\n\r\n", "http10"),
            ("get / HTTP/1.1\r\n\r\n", "http11"),
            ("FOO_BAR /x HTTP/1.1\r\n\r\n", "http11"),
            ("GET /\r\n", "http10"),
            ("GET / HTTP/0.9\r\n", "http10"),
            ("GET / HTTP/2.0\r\n", "http10"),
            ("GET  /a  HTTP/1.1 \r\n", "http11"),
            ("GET / HTTP/1.1\n", "http11"),
            ("GET http://example.com/a?b HTTP/1.1\r\n", "http11"),
            ("CONNECT example.com:443 HTTP/1.1\r\n", "http11"),
            ("OPTIONS * HTTP/1.1\r\n", "http11"),
            ("GET\u{b}/ HTTP/1.1\r\n", "http11"),
            ("GET /\u{1} HTTP/1.1\r\n", "http11"),
            ("GET\u{0}/ HTTP/1.1\r\n", "none"),
            ("GET\u{8}/ HTTP/1.1\r\n", "none"),
            ("GET\u{0}", "none"),
            ("GET /a\rb HTTP/1.1\r\n", "none"),
            ("GET\u{c}/\r\n", "none"),
            ("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", "http10"),
            (preface + settings, "h2c"),
            ("GET / HTTP/1.1 BadRequestLine\r\n", "none"),
            ("GET / http/1.1\r\n", "none"),
            ("GET x HTTP/1.1\r\n", "none"),
            ("GET http://a@@b/ HTTP/1.1\r\n", "none"),
            ("GET /\u{7f} HTTP/1.1\r\n", "none"),
            ("GET /\u{1}\r\n", "none"),
            ("G(T / HTTP/1.1\r\n", "none"),
            ("hello\n", "none"),
            ("\r\nGET / HTTP/1.1\r\n", "none"),
            (" GET / HTTP/1.1\r\n", "none"),
            ("\u{0}\u{1}\u{2}", "none"),
            ("GET /" + String(repeating: "b", count: 20_000) + " HTTP/1.0\r\n", "http10"),
            (long, "closed"),
            // Envoy's 64 KiB: an LF as its last byte counts, one byte later does not.
            (boundary, "http11"),
            ("X" + boundary, "closed"),
        ]
        var scenarios = lines.map { (text, tag) in
            (name: text.prefix(40).debugDescription, pieces: PacedExchange.pieces([text], pause: 0), envoy: tag)
        }
        scenarios.append((name: "preface split across reads", pieces: PacedExchange.pieces(["PRI * HTTP/2.0\r\n", "\r\nSM\r\n\r\n" + settings]), envoy: "h2c"))
        scenarios.append((name: "high bytes", pieces: [Piece(pauseMilliseconds: 0, bytes: [0xff, 0xfe, 0x41])], envoy: "none"))
        scenarios.append((name: "method in pieces, then a NUL", pieces: PacedExchange.pieces(["GE", "T", "\u{0}/ HTTP/1.1\r\n"]), envoy: "none"))
        scenarios.append((name: "partial line, then silence", pieces: PacedExchange.pieces(["GET / HTTP/1.1"], pause: 0), envoy: "closed"))
        scenarios.append((name: "silent for 1.5 s", pieces: PacedExchange.pieces(["GET / HTTP/1.1\r\n\r\n"], pause: 1500), envoy: "closed"))
        return scenarios
    }()

    static func observeTable(_ port: Int) throws -> [String] {
        try tableScenarios.map { try PacedExchange.run($0.pieces, port: port) }
    }

    @Test func inboundListenerPicksTheSameChains() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let web = try await EchoUpstream.start(group: group)
        let tcp = try await TaggedUpstream.start(group: group, tag: "tcp")
        let bootstrap = { (port: Int) in
            HTTPInspectorBootstrap.inbound(listenPort: port, httpPort: web.localAddress!.port!, tcpPort: tcp.localAddress!.port!)
        }
        let ours: Observed
        if let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("http-inspector", bootstrap: bootstrap, exchange: Self.observeInbound) {
            print("http_inspector inbound (Envoy): \(fromEnvoy)")
            for (index, scenario) in Self.inboundScenarios.enumerated() {
                #expect(fromUs.raw[index] == fromEnvoy.raw[index], "\(scenario.name): ours \(fromUs.raw[index]) vs Envoy's \(fromEnvoy.raw[index])")
                #expect(fromEnvoy.raw[index] == scenario.envoy, "\(scenario.name): Envoy \(fromEnvoy.raw[index])")
            }
            #expect(fromUs.curl == fromEnvoy.curl)
            ours = fromUs
        } else {
            ours = try await DifferentialRun.throughOurs("http-inspector", bootstrap: bootstrap, exchange: Self.observeInbound)
        }
        #expect(ours.raw == Self.inboundScenarios.map(\.envoy))
        // HTTP/1.0 reaches the tcp_proxy, whose echo curl does not take for a response.
        #expect(ours.curl[0] == "200 1.1" && ours.curl[2] == "200 2" && !ours.curl[1].hasPrefix("200"), "\(ours.curl)")
        try await web.close()
        try await tcp.close()
        try await group.shutdownGracefully()
    }

    /// The table listener with the inspector's filter_disabled matching its port:
    /// HTTP/1.1, HTTP/1.0 and h2c all take the default chain on both planes.
    @Test func aDisabledInspectorDetectsNothing() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var upstreams: [String: any Channel] = [:]
        for tag in Array(HTTPInspectorBootstrap.protocolTags.values) + ["none"] {
            upstreams[tag] = try await TaggedUpstream.start(group: group, tag: tag)
        }
        let ports = upstreams.mapValues { $0.localAddress!.port! }
        let bootstrap = { (port: Int) in HTTPInspectorBootstrap.table(listenPort: port, upstreamPorts: ports, disabledOnOwnPort: true) }
        let inputs = ["GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.0\r\n\r\n", Self.preface + Self.settings]
        let exchange = { (port: Int) in try inputs.map { try PacedExchange.run(PacedExchange.pieces([$0], pause: 0), port: port) } }
        let ours: [String]
        if let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("http-inspector-off", bootstrap: bootstrap, exchange: exchange) {
            #expect(fromUs == fromEnvoy)
            ours = fromUs
        } else {
            ours = try await DifferentialRun.throughOurs("http-inspector-off", bootstrap: bootstrap, exchange: exchange)
        }
        #expect(ours == ["none", "none", "none"])
        for channel in upstreams.values { try await channel.close() }
        try await group.shutdownGracefully()
    }

    @Test func protocolTablePicksTheSameChains() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var upstreams: [String: any Channel] = [:]
        for tag in Array(HTTPInspectorBootstrap.protocolTags.values) + ["none"] {
            upstreams[tag] = try await TaggedUpstream.start(group: group, tag: tag)
        }
        let ports = upstreams.mapValues { $0.localAddress!.port! }
        let bootstrap = { (port: Int) in HTTPInspectorBootstrap.table(listenPort: port, upstreamPorts: ports) }
        let ours: [String]
        if let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("http-inspector-table", bootstrap: bootstrap, exchange: Self.observeTable) {
            for (index, scenario) in Self.tableScenarios.enumerated() {
                #expect(fromUs[index] == fromEnvoy[index], "\(scenario.name): ours \(fromUs[index]) vs Envoy's \(fromEnvoy[index])")
                #expect(fromEnvoy[index] == scenario.envoy, "\(scenario.name): Envoy \(fromEnvoy[index])")
            }
            ours = fromUs
        } else {
            ours = try await DifferentialRun.throughOurs("http-inspector-table", bootstrap: bootstrap, exchange: Self.observeTable)
        }
        #expect(ours == Self.tableScenarios.map(\.envoy))
        for channel in upstreams.values { try await channel.close() }
        try await group.shutdownGracefully()
    }
}
