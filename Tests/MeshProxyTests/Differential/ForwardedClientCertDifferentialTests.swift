import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// `x-forwarded-client-cert` through stock Envoy 1.40 and `swiftmesh proxy` from one
/// bootstrap: a TLS listener that asks for (but does not require) a client
/// certificate, under Istio's two settings - APPEND_FORWARD with subject, URI and
/// DNS (sidecar inbound) and SANITIZE_SET also with the certificate (gateways).
/// curl calls with a certificate whose subject needs RFC 2253 escaping and without
/// one; the echo upstream reports the header it received.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
                             && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs openssl and curl"))
struct ForwardedClientCertDifferentialTests {
    static let callerHeader = "By=spiffe://a;URI=spiffe://b"

    /// A root, the server's leaf and a client leaf with a subject of several RDNs
    /// (one with a comma) and URI and DNS SANs.
    static func certificates(in directory: URL) throws {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func openssl(_ arguments: [String]) throws { _ = try ToolOutput.text("/usr/bin/openssl", arguments, quiet: true) }
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/O=root",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                     "-keyout", path("root.key"), "-out", path("root.pem")])
        for (name, subject, sans) in [("server", "/O=mesh", "URI:spiffe://cluster.local/ns/default/sa/server,DNS:svc.example.com"),
                                      ("client", "/C=US/ST=CA/L=San Francisco/O=Example, Inc./OU=Mesh/CN=client",
                                       "URI:spiffe://cluster.local/ns/default/sa/client,DNS:a.example.com,DNS:b.example.com")] {
            try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", subject,
                         "-addext", "subjectAltName=\(sans)", "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
            try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"),
                         "-CAcreateserial", "-days", "1", "-copy_extensions", "copyall", "-out", path("\(name).pem")])
        }
    }

    static func bootstrap(listenPort: Int, upstreamPort: Int, directory: URL, mode: String, details: [String: Any]) -> String {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let manager: [String: Any] = [
            "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "in", "generate_request_id": false,
            "forward_client_cert_details": mode, "set_current_client_cert_details": details,
            "route_config": ["name": "local", "virtual_hosts": [["name": "all", "domains": ["*"],
                                                                 "routes": [["match": ["prefix": "/"], "route": ["cluster": "upstream"]]]]]],
            "http_filters": [["name": "envoy.filters.http.router",
                              "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"]]],
        ]
        let tls: [String: Any] = [
            "name": "envoy.transport_sockets.tls",
            "typed_config": ["@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                             "common_tls_context": [
                                "tls_certificates": [["certificate_chain": ["filename": path("server.pem")], "private_key": ["filename": path("server.key")]]],
                                "validation_context": ["trusted_ca": ["filename": path("root.pem")]]]]]
        let root: [String: Any] = [
            "static_resources": [
                "listeners": [["name": "in", "address": ["socket_address": ["address": "127.0.0.1", "port_value": listenPort]],
                               "filter_chains": [["transport_socket": tls,
                                                  "filters": [["name": "envoy.filters.network.http_connection_manager", "typed_config": manager]]]]]],
                "clusters": [["name": "upstream", "type": "STATIC", "connect_timeout": "1s",
                              "load_assignment": ["cluster_name": "upstream", "endpoints": [["lb_endpoints": [["endpoint": ["address": [
                                "socket_address": ["address": "127.0.0.1", "port_value": upstreamPort]]]]]]]]]],
            ],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The header the upstream received, with and without a client certificate.
    static func exchange(_ port: Int, directory: URL) throws -> [String] {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let common = ["-sk", "--max-time", "10", "-H", "x-forwarded-client-cert: \(callerHeader)", "https://127.0.0.1:\(port)/xfcc"]
        return try [["--cert", path("client.pem"), "--key", path("client.key")], []].map { identity in
            let body = try ToolOutput.text("/usr/bin/curl", identity + common, quiet: true)
            // The echo reports the header last (its value has `;` of its own).
            guard let start = body.range(of: ";x-forwarded-client-cert=") else { return "no echo: \(body)" }
            return String(body[body.index(after: start.lowerBound)...])
        }
    }

    @Test(arguments: [("APPEND_FORWARD", ["subject": true, "uri": true, "dns": true]),
                      ("SANITIZE_SET", ["subject": true, "cert": true, "uri": true, "dns": true])])
    func headerAgreesWithEnvoy(_ mode: String, _ details: [String: Bool]) async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-xfcc-\(getpid())-\(mode)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.certificates(in: directory)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await EchoUpstream.start(group: group)
        let upstreamPort = upstream.localAddress!.port!
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("xfcc-\(mode)", bootstrap: {
            Self.bootstrap(listenPort: $0, upstreamPort: upstreamPort, directory: directory, mode: mode, details: details)
        }, exchange: { try Self.exchange($0, directory: directory) }) else { return }
        print("x-forwarded-client-cert under \(mode) (Envoy): \(fromEnvoy)")
        #expect(fromUs == fromEnvoy)
        // Envoy's own answer, so a change on both sides still shows: the mTLS call
        // carries this hop, the call without a certificate loses the caller's header.
        #expect(fromEnvoy.count == 2 && fromEnvoy[0].contains("Subject=\"CN=client,OU=Mesh,O=Example\\, Inc.,L=San Francisco,ST=CA,C=US\""))
        #expect(fromEnvoy.count == 2 && fromEnvoy[1] == "x-forwarded-client-cert=-")
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
