import Testing
@testable import MeshDemoApp

/// `--call`: one demo workload calling others, headers forwarded as bookinfo does.
@Suite struct CallChainTests {
    @Test func callsInOrderAndForwardsTraceAndUserHeaders() async throws {
        try await withDemoServer(demoOptions("ratings", "v1")) { ratings in
            try await withDemoServer(demoOptions("details", "v1")) { details in
                let calls = ["http://127.0.0.1:\(details.port)/details/0", "http://127.0.0.1:\(ratings.port)/ratings/0?x=1"]
                try await withDemoServer(demoOptions("productpage", "v1", calls: calls)) { productpage in
                    let headers = [("x-request-id", "chain-1"), ("end-user", "jason"), ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("x-not-forwarded", "secret")]
                    for response in [
                        try await RawTCPClient.request(port: productpage.port, path: "/productpage", headers: headers),
                        try await H2Client.get(port: productpage.port, path: "/productpage", headers: headers),
                    ] {
                        #expect(response.status == 200)
                        let body = try response.json()
                        let results = try #require(body["calls"]?.arrayValue)
                        #expect(results.count == 2)
                        #expect(results[0]["url"] == .string(calls[0]))
                        #expect(results[0]["status"]?.intValue == 200)
                        #expect(results[0]["body"]?["service"] == .string("details"))
                        let callee = try #require(results[1]["body"])
                        #expect(callee["service"] == .string("ratings"))
                        #expect(callee["path"] == .string("/ratings/0?x=1"))
                        #expect(callee["method"] == .string("GET"))
                        #expect(callee["headers"]?["x-request-id"] == .string("chain-1"))
                        #expect(callee["headers"]?["end-user"] == .string("jason"))
                        #expect(callee["headers"]?["traceparent"] == .string("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                        #expect(callee["headers"]?["x-not-forwarded"] == nil)
                        #expect(callee["headers"]?["host"] == .string("127.0.0.1:\(ratings.port)"))
                    }
                }
            }
        }
    }

    @Test func failedCalleesAreReportedAndTheCallerStillAnswers200() async throws {
        try await withDemoServer(demoOptions("ratings", "v1", failRatio: 1.0)) { failing in
            try await withDemoServer(demoOptions("ratings", "v2", dead: true)) { dead in
                // A port that was just free: nothing listens there.
                let closed = try await withDemoServer(demoOptions()) { $0.port }
                let calls = [
                    "http://127.0.0.1:\(failing.port)/ratings/0",
                    "http://127.0.0.1:\(dead.port)/ratings/0",
                    "http://127.0.0.1:\(closed)/ratings/0",
                    "http://127.0.0.1:\(failing.port)/healthz",
                ]
                try await withDemoServer(demoOptions("reviews", "v2", calls: calls)) { reviews in
                    let response = try await RawTCPClient.request(port: reviews.port, path: "/reviews/0")
                    #expect(response.status == 200)
                    let results = try #require(try response.json()["calls"]?.arrayValue)
                    #expect(results.count == 4)
                    #expect(results[0]["status"]?.intValue == 503)
                    #expect(results[0]["body"]?["error"] == .string("injected failure"))
                    // Closed, or reset when the request was already in the dead server's buffer.
                    #expect(["connection closed before a complete response", "connection reset before a complete response"].contains(results[1]["error"]?.stringValue ?? ""), "\(results[1])")
                    #expect(results[1]["status"] == nil)
                    #expect(results[2]["error"]?.stringValue?.contains("refused") == true, "\(results[2])")
                    #expect(results[3]["status"]?.intValue == 200)
                    #expect(results[3]["body"] == .string("ok"))
                }
            }
        }
    }

    @Test func callTimeout() async throws {
        try await withDemoServer(demoOptions("slow", "v1", delay: "2s")) { slow in
            var options = try demoOptions("caller", "v1", calls: ["http://127.0.0.1:\(slow.port)/"])
            options.callTimeoutNanoseconds = 200_000_000
            try await withDemoServer(options) { caller in
                let response = try await RawTCPClient.request(port: caller.port, path: "/")
                let results = try #require(try response.json()["calls"]?.arrayValue)
                #expect(results[0]["error"] == .string("no complete response within 200ms"))
            }
        }
    }
}
