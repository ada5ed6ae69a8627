import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// Filter chain selection through stock Envoy 1.40 and `swiftmesh proxy` on the
/// same SNI listener (PassthroughBootstrap): every connection must reach the same
/// chain's upstream with its bytes unchanged. Skipped without an Envoy binary.
@Suite(.serialized) struct PassthroughDifferentialTests {
    /// A one-record ClientHello with an optional SNI and ALPN list.
    static func clientHello(_ name: String?, alpn: [String] = []) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
        var extensions: [UInt8] = []
        if let name {
            let host = Array(name.utf8)
            extensions += [0, 0] + u16(host.count + 5) + u16(host.count + 3) + [0] + u16(host.count) + host
        }
        if !alpn.isEmpty {
            let list = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            extensions += [0, 16] + u16(list.count + 2) + u16(list.count) + list
        }
        // A cipher suite BoringSSL knows (TLS_AES_128_GCM_SHA256) and the null compression method.
        var body: [UInt8] = [3, 3] + Array(repeating: 5, count: 32) + [0] + [0, 2, 0x13, 0x01] + [1, 0]
        body += u16(extensions.count) + extensions
        let message: [UInt8] = [1, 0] + u16(body.count) + body
        return [0x16, 3, 1] + u16(message.count) + message
    }

    static let scenarios: [(name: String, bytes: [UInt8])] = [
        ("exact name", clientHello("a.example.com")),
        ("exact name with h2", clientHello("a.example.com", alpn: ["h2", "http/1.1"])),
        ("exact name with http/1.1 only", clientHello("a.example.com", alpn: ["http/1.1"])),
        ("wildcard name", clientHello("b.example.com")),
        ("deeper wildcard name", clientHello("x.b.example.com")),
        ("upper-case name", clientHello("A.Example.COM")),
        ("other name", clientHello("other.org")),
        ("no name", clientHello(nil)),
        ("plaintext", Array("GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n".utf8)),
        ("not a ClientHello", [0x16, 3, 1, 0, 6, 2, 0, 0, 2, 3, 3]),
    ]

    func run(_ port: Int) throws -> [String] {
        try Self.scenarios.map { try TaggedUpstream.exchange($0.bytes, port: port) }
    }

    @Test func envoyAndSwiftMeshPickTheSameChains() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var upstreams: [String: any Channel] = [:]
        for tag in PassthroughBootstrap.clusters { upstreams[tag] = try await TaggedUpstream.start(group: group, tag: tag) }
        let ports = upstreams.mapValues { $0.localAddress!.port! }
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("passthrough", bootstrap: {
            PassthroughBootstrap.json(listenPort: $0, upstreamPorts: ports)
        }, exchange: run) else { return }

        for (index, scenario) in Self.scenarios.enumerated() {
            #expect(fromUs[index] == fromEnvoy[index], "\(scenario.name): ours \(fromUs[index]) vs Envoy's \(fromEnvoy[index])")
        }
        print("passthrough differential (Envoy): \(zip(Self.scenarios.map(\.name), fromEnvoy).map { "\($0)=\($1)" })")
        for channel in upstreams.values { try await channel.close() }
        try await group.shutdownGracefully()
    }
}
