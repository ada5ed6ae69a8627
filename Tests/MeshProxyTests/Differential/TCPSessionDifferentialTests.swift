import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// tcp_proxy's idle timeout (1 s here) and half-close through stock Envoy 1.40
/// and `swiftmesh proxy`, against HalfCloseUpstream: an idle connection is closed
/// by both after about a second, one that keeps sending is not, and a client's
/// FIN reaches the upstream while its reply still comes back. Skipped without an
/// Envoy binary.
@Suite(.serialized) struct TCPSessionDifferentialTests {
    struct Outcome: Equatable, CustomStringConvertible {
        var idle: String
        var active: String
        var halfClose: String
        var description: String { "idle: \(idle); active: \(active); half-close: \(halfClose)" }
    }

    /// Connects, sends a byte, waits for the proxy to close: when it did, coarsely.
    static func idleClose(port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 4) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        let start = ContinuousClock.now
        send(fd, "x")
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, 0)
        let elapsed = ContinuousClock.now - start
        guard count == 0 else { return count < 0 ? "still open after 4 s" : "unexpected bytes" }
        // 1 s idle timeout; loose bounds for a shared machine.
        if elapsed >= .milliseconds(900) && elapsed < .milliseconds(2_000) { return "closed after ~1 s" }
        return "closed after \(elapsed)"
    }

    /// Sends a few bytes every 250 ms until the proxy closes (or 4 s): when it did.
    static func busyClose(port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let start = ContinuousClock.now
        var byte: UInt8 = 0
        while ContinuousClock.now - start < .seconds(4) {
            send(fd, "tick")
            let count = recv(fd, &byte, 1, 0)
            if count > 0 { return "unexpected bytes" }
            // Nothing yet; a reset (our tick hit the closed socket) is a close too.
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { continue }
            let elapsed = ContinuousClock.now - start
            if elapsed >= .milliseconds(900) && elapsed < .milliseconds(2_000) { return "closed after ~1 s" }
            return "closed after \(elapsed)"
        }
        return "still open after 4 s"
    }

    /// Sends a few bytes every 250 ms for 2.5 s (well past the timeout), then its
    /// FIN: the upstream's count comes back only if the connection lived.
    static func activeConnection(port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        for _ in 0..<10 {
            send(fd, "tick")
            usleep(250_000)
        }
        shutdown(fd, Int32(SHUT_WR))
        return readToEOF(fd)
    }

    /// Sends bytes and its FIN at once, then reads to the end.
    static func halfClose(port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        send(fd, "hello")
        shutdown(fd, Int32(SHUT_WR))
        return readToEOF(fd)
    }

    static func send(_ fd: Int32, _ text: String) {
        var text = text
        _ = text.withUTF8 { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything until EOF; "(timed out)" appended when the peer never closed.
    static func readToEOF(_ fd: Int32) -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { break }
            if count < 0 { return String(decoding: received, as: UTF8.self) + " (timed out)" }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    func run(_ port: Int) throws -> Outcome {
        Outcome(idle: try Self.idleClose(port: port), active: try Self.activeConnection(port: port),
                halfClose: try Self.halfClose(port: port))
    }

    @Test func envoyAndSwiftMeshTimeOutAndHalfCloseAlike() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HalfCloseUpstream.start(group: group)
        let upstreamPort = upstream.localAddress!.port!
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("tcp-session", bootstrap: {
            HalfCloseUpstream.bootstrap(listenPort: $0, upstreamPort: upstreamPort)
        }, exchange: run) else { return }
        print("tcp session differential (Envoy): \(fromEnvoy)")
        print("tcp session differential (ours): \(fromUs)")

        // What Envoy does, checked first so the comparison means something.
        #expect(fromEnvoy == Outcome(idle: "closed after ~1 s", active: "received 40 bytes: " + String(repeating: "tick", count: 10),
                                     halfClose: "received 5 bytes: hello"))
        #expect(fromUs.idle == fromEnvoy.idle)
        #expect(fromUs.active == fromEnvoy.active)
        #expect(fromUs.halfClose == fromEnvoy.halfClose)
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func envoyAndSwiftMeshEndABusyConnectionAtItsMaximumDuration() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HalfCloseUpstream.start(group: group)
        let upstreamPort = upstream.localAddress!.port!
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("tcp-duration", bootstrap: {
            HalfCloseUpstream.bootstrap(listenPort: $0, upstreamPort: upstreamPort, maxDuration: "1s")
        }, exchange: { try Self.busyClose(port: $0) }) else { return }
        print("tcp max duration differential: Envoy \(fromEnvoy), ours \(fromUs)")
        #expect(fromEnvoy == "closed after ~1 s")
        #expect(fromUs == fromEnvoy)
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
