import Foundation
import NIOCore
import Testing
@testable import MeshDemoApp

/// Real servers on 127.0.0.1 with ephemeral ports; every one is shut down at the end.
@Suite struct ServerIntegrationTests {
    @Test func http1EchoDocument() async throws {
        try await withDemoServer(demoOptions("reviews", "v2")) { server in
            #expect(server.port > 0)
            #expect(server.listeningLine == "demo-app reviews v=v2 listening on 127.0.0.1:\(server.port)")
            let response = try await RawTCPClient.request(port: server.port, path: "/reviews/0?user=jason", headers: [("X-Request-Id", "req-1"), ("End-User", "jason")])
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.headers["x-served-by"] == "reviews-v2")
            let body = try response.json()
            #expect(body["service"] == .string("reviews"))
            #expect(body["version"] == .string("v2"))
            #expect(body["instance"] == .string("127.0.0.1:\(server.port)"))
            #expect(body["method"] == .string("GET"))
            #expect(body["path"] == .string("/reviews/0?user=jason"))
            #expect(body["headers"]?["x-request-id"] == .string("req-1"))
            #expect(body["headers"]?["end-user"] == .string("jason"))
            #expect(body["headers"]?["host"] == .string("127.0.0.1:\(server.port)"))
            #expect(body["calls"] == .array([]))
        }
    }

    @Test func http1KeepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await withDemoServer(demoOptions(instance: "pod-a")) { server in
            let requests = "GET /one HTTP/1.1\r\nhost: a\r\n\r\nPOST /two HTTP/1.1\r\nhost: a\r\ncontent-length: 5\r\n\r\nhelloGET /three HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n"
            let responses = try RawTCPClient.parseResponses(try await RawTCPClient.exchange(port: server.port, send: requests))
            #expect(responses.map(\.status) == [200, 200, 200])
            #expect(try responses.map { try $0.json()["path"] } == [.string("/one"), .string("/two"), .string("/three")])
            #expect(try responses[1].json()["method"] == .string("POST"))
            #expect(try responses[0].json()["instance"] == .string("pod-a"))
            #expect(responses[0].headers["connection"] == nil)
            #expect(responses[2].headers["connection"] == "close")
        }
    }

    @Test func http2PriorKnowledge() async throws {
        try await withDemoServer(demoOptions("ratings", "v1")) { server in
            let responses = try await H2Client.requests(port: server.port, [
                (method: "GET", path: "/ratings/1?x=y", headers: [("x-request-id", "h2-1"), ("cookie", "a=1"), ("cookie", "b=2")]),
                (method: "GET", path: "/status/418", headers: []),
                (method: "GET", path: "/healthz", headers: []),
            ])
            #expect(responses.map(\.status) == [200, 418, 200])
            let body = try responses[0].json()
            #expect(responses[0].headers["x-served-by"] == "ratings-v1")
            #expect(responses[0].headers["content-type"] == "application/json")
            #expect(body["path"] == .string("/ratings/1?x=y"))
            #expect(body["headers"]?["x-request-id"] == .string("h2-1"))
            #expect(body["headers"]?["host"] == .string("127.0.0.1:\(server.port)"))
            #expect(body["headers"]?["cookie"] == .string("a=1; b=2"))
            #expect(body["headers"]?[":path"] == nil)
            #expect(responses[2].text == "ok")
        }
    }

    @Test(.enabled(if: Curl.available)) func curlSpeaksBothProtocolsOnOnePort() async throws {
        try await withDemoServer(demoOptions("details", "v1")) { server in
            let url = "http://127.0.0.1:\(server.port)/details/0"
            let h2 = try Curl.run(["-sS", "-i", "--http2-prior-knowledge", "-H", "x-request-id: curl-2", url])
            #expect(h2.status == 0, "\(h2.stderr)")
            #expect(h2.stdout.hasPrefix("HTTP/2 200"), "\(h2.stdout)")
            #expect(h2.stdout.contains("x-served-by: details-v1"))
            #expect(h2.stdout.contains(#""x-request-id":"curl-2""#))
            let h1 = try Curl.run(["-sS", "-i", "--http1.1", url, url])
            #expect(h1.status == 0, "\(h1.stderr)")
            #expect(h1.stdout.hasPrefix("HTTP/1.1 200"), "\(h1.stdout)")
            #expect(h1.stdout.components(separatedBy: #""service":"details""#).count == 3)
        }
    }

    @Test func statusPaths() async throws {
        try await withDemoServer(demoOptions()) { server in
            let teapot = try await RawTCPClient.request(port: server.port, path: "/status/418")
            #expect(teapot.status == 418)
            #expect(try teapot.json()["path"] == .string("/status/418"))
            #expect(teapot.headers["x-served-by"] == "reviews-v1")
            let noContent = try await RawTCPClient.request(port: server.port, path: "/status/204")
            #expect(noContent.status == 204)
            #expect(noContent.body.isEmpty)
            let bad = try await RawTCPClient.request(port: server.port, path: "/status/abc")
            #expect(bad.status == 400)
            let head = try await RawTCPClient.request(port: server.port, method: "HEAD", path: "/x")
            #expect(head.status == 200)
            #expect(Int(head.headers["content-length"] ?? "0")! > 0)
        }
    }

    @Test func failRatioOneAlwaysFailsButHealthzDoesNot() async throws {
        try await withDemoServer(demoOptions(failRatio: 1.0)) { server in
            let failed = try await RawTCPClient.request(port: server.port, path: "/reviews/1")
            #expect(failed.status == 503)
            #expect(failed.headers["x-served-by"] == "reviews-v1")
            #expect(try failed.json()["error"] == .string("injected failure"))
            let failedH2 = try await H2Client.get(port: server.port, path: "/")
            #expect(failedH2.status == 503)
            let health = try await RawTCPClient.request(port: server.port, path: "/healthz")
            #expect(health.status == 200)
            #expect(health.text == "ok")
        }
        try await withDemoServer(demoOptions(failRatio: 1.0, failStatus: 500)) { server in
            let response = try await RawTCPClient.request(port: server.port, path: "/")
            #expect(response.status == 500)
        }
        try await withDemoServer(demoOptions(failRatio: 0.5)) { server in
            var statuses: Set<Int> = []
            for _ in 0..<60 { statuses.insert(try await RawTCPClient.request(port: server.port, path: "/").status) }
            #expect(statuses == [200, 503])
        }
    }

    @Test func delayAppliesExceptToHealthz() async throws {
        try await withDemoServer(demoOptions(delay: "1s")) { server in
            let clock = ContinuousClock()
            let start = clock.now
            let slow = try await H2Client.get(port: server.port, path: "/slow")
            #expect(slow.status == 200)
            #expect(clock.now - start >= .seconds(1))
            let healthStart = clock.now
            let health = try await RawTCPClient.request(port: server.port, path: "/healthz")
            #expect(health.status == 200)
            #expect(clock.now - healthStart < .milliseconds(900))
        }
    }

    @Test func deadClosesConnectionsWithoutAnswering() async throws {
        try await withDemoServer(demoOptions(dead: true)) { server in
            let bytes = try await RawTCPClient.exchange(port: server.port, send: "GET / HTTP/1.1\r\nhost: a\r\n\r\n")
            #expect(bytes.isEmpty)
            if Curl.available {
                let result = try Curl.run(["-sS", "http://127.0.0.1:\(server.port)/"])
                #expect(result.status == 52 || result.status == 56, "\(result.stderr)") // empty reply / recv failure
            }
        }
    }

    @Test func shutdownStopsListening() async throws {
        let server = try await DemoAppServer.start(demoOptions())
        let port = server.port
        // An idle keep-alive connection must not keep the server alive.
        let client = try await H2Client.get(port: port, path: "/")
        #expect(client.status == 200)
        try await server.shutdown()
        await #expect(throws: (any Error).self) { try await RawTCPClient.request(port: port, path: "/") }
    }
}
