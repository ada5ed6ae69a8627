import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// HTTP/2 through stock Envoy 1.40 and `swiftmesh proxy` from one bootstrap, with
/// the real clients: curl (h2c prior knowledge) and h2load. Without an Envoy
/// binary only our side runs (the conformance half still counts).
@Suite(.serialized) struct HTTP2DifferentialTests {
    struct Observed: Equatable {
        var plain: String
        var grpc: String
        var unavailable: String
        var h2loadAll2xx: Bool
        var h2loadRate: String
    }

    /// `curl` output: `-w` fields, then the dumped headers and trailers of interest.
    static func curl(_ arguments: [String]) throws -> String {
        try ToolOutput.text("/usr/bin/curl", ["-s", "--http2-prior-knowledge", "--max-time", "10"] + arguments)
    }

    static func grpcCall(_ port: Int, _ path: String) throws -> String {
        let dump = try curl(["-D", "-", "-o", "/dev/null", "-X", "POST", "-H", "content-type: application/grpc", "-H", "te: trailers",
                             "--data-binary", "\u{0}\u{0}\u{0}\u{0}\u{0}", "http://127.0.0.1:\(port)\(path)"])
        let lines = dump.split(separator: "\r\n").map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        return lines.filter { $0.hasPrefix("http/2") || $0.hasPrefix("grpc-status") || $0.hasPrefix("content-type") }.joined(separator: "|")
    }

    static func h2load(_ port: Int) throws -> (all2xx: Bool, rate: String) {
        let output = try ToolOutput.text("/usr/bin/h2load", ["-n", "2000", "-c", "4", "-m", "10", "http://127.0.0.1:\(port)/load"])
        let rate = output.split(separator: "\n").first { $0.hasPrefix("finished in") }.map(String.init) ?? output
        return (output.contains("status codes: 2000 2xx"), rate)
    }

    static func observe(_ port: Int) throws -> Observed {
        let plain = try curl(["-o", "/dev/null", "-w", "%{http_code} %{http_version}", "http://127.0.0.1:\(port)/plain"])
        let load = try h2load(port)
        return Observed(plain: plain, grpc: try grpcCall(port, "/pkg.Echo/Say"), unavailable: try grpcCall(port, "/none.Echo/Say"),
                        h2loadAll2xx: load.all2xx, h2loadRate: load.rate)
    }

    @Test func curlAndH2loadAgreeWithEnvoy() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), FileManager.default.isExecutableFile(atPath: "/usr/bin/h2load") else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await EchoUpstream.start(group: group)
        let grpc = try await TrailerUpstream.start(group: group)
        let bootstrap = { (port: Int) in
            HTTP2Bootstrap.json(listenPort: port, upstreamPort: upstream.localAddress!.port!, grpcPort: grpc.localAddress!.port!)
        }
        let ours: Observed
        if let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("h2", bootstrap: bootstrap, exchange: Self.observe) {
            print("h2load envoy: \(fromEnvoy.h2loadRate)\nh2load swiftmesh: \(fromUs.h2loadRate)")
            #expect(fromEnvoy.plain == fromUs.plain)
            #expect(fromEnvoy.grpc == fromUs.grpc, "grpc: \(fromUs.grpc) vs Envoy's \(fromEnvoy.grpc)")
            #expect(fromEnvoy.unavailable == fromUs.unavailable, "unavailable: \(fromUs.unavailable) vs Envoy's \(fromEnvoy.unavailable)")
            #expect(fromEnvoy.h2loadAll2xx)
            ours = fromUs
        } else {
            ours = try await DifferentialRun.throughOurs("h2", bootstrap: bootstrap, exchange: Self.observe)
        }
        #expect(ours.plain == "200 2")
        #expect(ours.grpc == "http/2 200|content-type: application/grpc|grpc-status: 0")
        #expect(ours.unavailable.contains("http/2 200") && ours.unavailable.contains("grpc-status: 14"))
        #expect(ours.h2loadAll2xx, "\(ours.h2loadRate)")
        try await upstream.close()
        try await grpc.close()
        try await group.shutdownGracefully()
    }
}
