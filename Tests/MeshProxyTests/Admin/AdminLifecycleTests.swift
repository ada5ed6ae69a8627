import Foundation
import Synchronization
import Testing
@testable import MeshProxy

/// Istio's health port answers `/healthz/ready` once the proxy serves, and Envoy's
/// `POST /quitquitquit` on admin stops the proxy gracefully (GET is refused).
struct AdminLifecycleTests {
    /// Status of one request, nil when nothing answers (connection refused).
    static func status(_ method: String, _ port: Int, _ path: String) -> Int? {
        (try? RawExchange.send("\(method) \(path) HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n", port: port))?.status
    }

    @Test func healthPortAndQuitQuitQuit() async throws {
        var options = ProxyOptions(bootstrapPath: nil, adminHost: "127.0.0.1", adminPort: 0)
        options.healthHost = "127.0.0.1"
        options.healthPort = 0
        options.prometheusPort = 0
        let ports = Mutex<(admin: Int, health: Int)>((0, 0))
        let proxy = Task {
            try await ProxyProcess.run(options) { started in
                ports.withLock { $0 = (started.admin?.port ?? 0, started.health?.port ?? 0) }
            }
        }
        var (admin, health) = (0, 0)
        for _ in 0..<100 where admin == 0 {
            try await Task.sleep(for: .milliseconds(50))
            (admin, health) = ports.withLock { $0 }
        }
        try #require(admin > 0 && health > 0)
        #expect(Self.status("GET", health, "/healthz/ready") == 200)
        #expect(Self.status("GET", health, "/stats") == 404, "the health port serves only /healthz/ready")
        #expect(Self.status("GET", admin, "/logging") == 200)
        #expect(Self.status("GET", admin, "/logging?level=debug") == 405, "changing levels needs POST, as on Envoy")
        #expect(Self.status("POST", admin, "/logging?paths=config:info") == 200)
        #expect(Self.status("POST", admin, "/logging?level=loud") == 404)
        #expect(Self.status("GET", admin, "/quitquitquit") == 405)
        #expect(Self.status("POST", admin, "/quitquitquit") == 200)
        // The run returns by itself after the request (no cancellation needed).
        let ended = Task {
            try await proxy.value
            return true
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, (Self.status("GET", admin, "/ready") ?? 0) != 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect((Self.status("GET", admin, "/ready") ?? 0) == 0, "admin closed after quitquitquit")
        #expect(try await ended.value)
    }
}
