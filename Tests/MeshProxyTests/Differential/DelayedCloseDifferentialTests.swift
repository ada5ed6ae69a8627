import Foundation
import Testing
@testable import MeshProxy

/// A client still uploading when the proxy answers and closes (here: 503 for an
/// upstream that refuses connections, `connection: close` because the body was not
/// read): stock Envoy 1.40 closes after a delay, reading what still arrives, so the
/// client reads its 503; a proxy that closed at once with unread bytes would reset
/// the connection and the client would see ECONNRESET instead.
@Suite(.serialized) struct DelayedCloseDifferentialTests {
    static func bootstrap(listenPort: Int, deadPort: Int) -> String {
        let manager: [String: Any] = [
            "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "in", "generate_request_id": false,
            "route_config": ["name": "local", "virtual_hosts": [["name": "all", "domains": ["*"],
                                                                 "routes": [["match": ["prefix": "/"], "route": ["cluster": "dead"]]]]]],
            "http_filters": [["name": "envoy.filters.http.router",
                              "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"]]],
        ]
        let root: [String: Any] = ["static_resources": [
            "listeners": [["name": "in", "address": ["socket_address": ["address": "127.0.0.1", "port_value": listenPort]],
                           "filter_chains": [["filters": [["name": "envoy.filters.network.http_connection_manager", "typed_config": manager]]]]]],
            "clusters": [["name": "dead", "type": "STATIC", "connect_timeout": "1s",
                          "load_assignment": ["cluster_name": "dead", "endpoints": [["lb_endpoints": [["endpoint": ["address": [
                            "socket_address": ["address": "127.0.0.1", "port_value": deadPort]]]]]]]]]],
        ]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Sends a head announcing 8 MB and part of the body, more after the proxy has
    /// answered, then reads: the status line, or - as a client that writes its body
    /// before it reads (curl, most libraries) - the error a send ended with.
    static func upload(_ port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        func send(_ bytes: [UInt8]) -> Int32? {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                if sent < 0 { return errno }
                offset += sent
            }
            return nil
        }
        if let error = send(Array("POST /upload HTTP/1.1\r\nHost: svc\r\nContent-Length: 8000000\r\n\r\n".utf8) + [UInt8](repeating: 0x61, count: 200_000)) {
            return "send failed: errno \(error)"
        }
        usleep(300_000)
        if let error = send([UInt8](repeating: 0x62, count: 300_000)) { return "send failed: errno \(error)" }
        usleep(200_000)
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count < 0 { return "recv failed: errno \(errno)" }
        let text = String(decoding: chunk[0..<count], as: UTF8.self)
        return text.components(separatedBy: "\r\n").first ?? text
    }

    @Test func aClientStillUploadingReadsTheReplyAsFromEnvoy() async throws {
        let deadPort = try DifferentialRun.freePort()
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("delayed-close", bootstrap: {
            Self.bootstrap(listenPort: $0, deadPort: deadPort)
        }, exchange: Self.upload) else {
            // Without Envoy: our side alone.
            let ours = try await DifferentialRun.throughOurs("delayed-close", bootstrap: { Self.bootstrap(listenPort: $0, deadPort: deadPort) },
                                                             exchange: Self.upload)
            #expect(ours == "HTTP/1.1 503 Service Unavailable")
            return
        }
        #expect(fromEnvoy == "HTTP/1.1 503 Service Unavailable")
        #expect(fromUs == fromEnvoy)
    }
}
