import Foundation
import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// A listener's own access logs on real sockets: a connection no chain matches
/// (NR, `filter_chain_not_found`, the SNI the TLS inspector saw), one the
/// listener filter timeout closes and one whose client leaves mid-ClientHello
/// (no flag) each get one line; a served connection none. Istio's NR filter
/// keeps only the first kind.
@Suite struct ListenerAccessLogTests {
    static let format = "%RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED% %BYTES_SENT% %REQUESTED_SERVER_NAME% %DOWNSTREAM_LOCAL_ADDRESS% %UPSTREAM_HOST%\n"

    static func lines(_ path: String, count: Int) async throws -> [String] {
        var lines: [String] = []
        // Sinks write within a second.
        for _ in 0..<40 {
            lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if lines.count >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return lines
    }

    @Test func unservedConnectionsAreLoggedOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-listener-log-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let all = directory.appendingPathComponent("all.log").path, noChain = directory.appendingPathComponent("nr.log").path

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TaggedEchoUpstream.start(group: group, tag: "A")
        var config = EmbeddedProxy.config(endpoints: [])
        config.clusters["a"] = ClusterConfig(name: "a", discovery: .staticEndpoints)
        config.endpoints["a"] = EndpointSet(clusterName: "a", groups: [EndpointSet.Group(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)])])
        var listener = ListenerConfig(name: "sni", host: "127.0.0.1", port: 0, filterChains: [
            FilterChainConfig(match: FilterChainMatch(serverNames: ["foo.example.com"]), chain: FilterChainSelectionTests.tcp("a")),
        ], inspection: ListenerInspection(tlsInspector: true, timeoutNanos: 300_000_000))
        let format = try AccessLogFormat(Self.format)
        listener.accessLogs = [AccessLogConfig(path: all, format: format),
                               AccessLogConfig(path: noChain, format: format, filter: .responseFlags(.noRouteFound))]
        config.listeners = [listener]
        let server = try await ProxyServer(group: group, config: config)
        let port = try #require(try await server.start(config: config).first?.address.port)

        let served = try BlockingClient(port: port)
        let hello = FilterChainSelectionTests.clientHello("foo.example.com")
        served.send(bytes: hello)
        #expect(served.receiveBytes(1 + hello.count) == Array("A".utf8) + hello)
        let other = try BlockingClient(port: port)
        other.send(bytes: FilterChainSelectionTests.clientHello("Bar.Example.com"))
        #expect(FilterChainSelectionTests.closedQuickly(other))
        let stalled = try BlockingClient(port: port)
        stalled.send(bytes: Array(hello[0..<10]))
        #expect(FilterChainSelectionTests.closedQuickly(stalled))
        let leaving = try BlockingClient(port: port)
        leaving.send(bytes: Array(hello[0..<10]))
        leaving.shutdownWrite()
        #expect(FilterChainSelectionTests.closedQuickly(leaving))

        let local = "127.0.0.1:\(port)"
        let expected = ["NR filter_chain_not_found 0 0 bar.example.com \(local) -", "- - 0 0 - \(local) -", "- - 0 0 - \(local) -"]
        #expect(try await Self.lines(all, count: 3) == expected)
        #expect(try await Self.lines(noChain, count: 1) == [expected[0]])

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
