import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// HTTP/1.1 upgrades (WebSocket) when the connection manager has
/// upgrade_configs websocket: the upgrade headers go upstream, the 101 comes
/// back with them, then bytes are tunnelled both ways until a side closes.
@Suite struct WebSocketUpgradeTests {
    static let upgrade = "GET /chat HTTP/1.1\r\nHost: svc\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

    static func config(allowing types: [String]) -> ProxyConfig {
        var config = EmbeddedProxy.config()
        guard case .http(var http) = config.listeners[0].chain else { fatalError("EmbeddedProxy's listener is HTTP") }
        http.upgradeTypes = types.map { Array($0.utf8) }
        config.listeners[0] = config.listeners[0].replacingChain(.http(http))
        return config
    }

    @Test func tunnelsBytesBothWaysAfterThe101() throws {
        let proxy = try EmbeddedProxy(config: Self.config(allowing: ["websocket"]))
        try proxy.send(Self.upgrade)
        #expect(try proxy.upstreamReceived() == "GET /chat HTTP/1.1\r\nHost: svc\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nconnection: upgrade\r\nx-forwarded-proto: http\r\n\r\n")
        try proxy.respond("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\u{81}\u{02}hi")
        #expect(try proxy.received() == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nconnection: upgrade\r\n\r\n\u{81}\u{02}hi")
        // Frames from the client go through untouched, even ones that look like HTTP.
        try proxy.send("\u{81}\u{05}hello")
        try proxy.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try proxy.upstreamReceived() == "\u{81}\u{05}helloGET / HTTP/1.1\r\n\r\n")
        try proxy.respond("\u{88}\u{00}")
        #expect(try proxy.received() == "\u{88}\u{00}")
        // The upstream hangs up: so does the client's connection.
        try proxy.upstreams[0].close().wait()
        #expect(!proxy.downstream.isActive)
    }

    @Test func upgradesNotConfiguredGetEnvoys403() throws {
        let proxy = try EmbeddedProxy(config: Self.config(allowing: []))
        try proxy.send(Self.upgrade)
        #expect(proxy.upstreams.isEmpty)
        #expect(try proxy.received() == "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
        #expect(proxy.downstream.isActive)
    }

    @Test func aRefusedUpgradeIsAnOrdinaryResponse() throws {
        let proxy = try EmbeddedProxy(config: Self.config(allowing: ["websocket"]))
        try proxy.send(Self.upgrade)
        _ = try proxy.upstreamReceived()
        try proxy.respond("HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad")
        let reply = try proxy.received()
        #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(reply.hasSuffix("\r\n\r\nbad"))
        #expect(!reply.lowercased().contains("upgrade"))
    }
}
