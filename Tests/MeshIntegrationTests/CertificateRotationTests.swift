import Foundation
import MeshLocal
import Testing

/// Two proxies with `default` / `ROOTCA` from the `sds-grpc` cluster talk mTLS
/// while 6-second certificates roll and the root is rotated, with zero failed
/// requests; a peer whose certificate comes from another root is refused. Stock
/// Envoy runs under `swiftmesh proxy --data-plane envoy` (pilot-agent's role: SDS
/// on a Unix socket); our proxy gets the same secrets from its agent in process.
@Suite(.serialized) struct CertificateRotationTests {
    static let workloads = """
    apiVersion: networking.istio.io/v1
    kind: WorkloadEntry
    metadata: {name: server, namespace: shop}
    spec: {address: 127.0.0.1, labels: {app: server}, serviceAccount: server}
    ---
    apiVersion: networking.istio.io/v1
    kind: WorkloadEntry
    metadata: {name: client, namespace: shop}
    spec: {address: 127.0.0.1, labels: {app: client}, serviceAccount: client}
    """

    static func sds(_ name: String) -> [String: Any] {
        ["name": name, "sds_config": ["resource_api_version": "V3", "api_config_source": [
            "api_type": "GRPC", "transport_api_version": "V3", "grpc_services": [["envoy_grpc": ["cluster_name": "sds-grpc"]]]]]]
    }

    /// Istio's common_tls_context: the workload certificate and roots over SDS, the peer's SPIFFE ID required.
    static func common(peer: String) -> [String: Any] {
        ["tls_certificate_sds_secret_configs": [sds("default")],
         "combined_validation_context": [
            "default_validation_context": ["match_typed_subject_alt_names": [["san_type": "URI", "matcher": ["exact": peer]]]],
            "validation_context_sds_secret_config": sds("ROOTCA")]]
    }

    static func manager(cluster: String) -> [String: Any] {
        ["name": "envoy.filters.network.http_connection_manager", "typed_config": [
            "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "http",
            "route_config": ["virtual_hosts": [["name": "all", "domains": ["*"], "routes": [["match": ["prefix": "/"], "route": ["cluster": cluster]]]]]],
            "http_filters": [["name": "envoy.filters.http.router", "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"]]]]]
    }

    static func cluster(_ name: String, port: Int, tls: [String: Any]? = nil) -> [String: Any] {
        var cluster: [String: Any] = ["name": name, "type": "STATIC", "connect_timeout": "1s",
                                      "load_assignment": ["cluster_name": name, "endpoints": [["lb_endpoints": [["endpoint": ["address": ["socket_address": ["address": "127.0.0.1", "port_value": port]]]]]]]]]
        if let tls {
            cluster["transport_socket"] = ["name": "envoy.transport_sockets.tls", "typed_config": tls]
            // A new connection, so a new handshake, per request: every certificate generation is used.
            cluster["typed_extension_protocol_options"] = ["envoy.extensions.upstreams.http.v3.HttpProtocolOptions": [
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "common_http_protocol_options": ["max_requests_per_connection": 1],
                "explicit_http_config": ["http_protocol_options": [String: Any]()]]]
        }
        return cluster
    }

    static func bootstrap(account: String, admin: Int, listener: [String: Any], clusters: [[String: Any]]) -> [String: Any] {
        ["node": ["id": "sidecar~127.0.0.1~\(account).shop~shop.svc.cluster.local", "cluster": account,
                  "metadata": ["NAMESPACE": "shop", "SERVICE_ACCOUNT": account]],
         "admin": ["address": ["socket_address": ["address": "127.0.0.1", "port_value": admin]]],
         "static_resources": ["listeners": [listener], "clusters": clusters]]
    }

    static func listener(port: Int, tls: [String: Any]?, cluster: String) -> [String: Any] {
        var chain: [String: Any] = ["filters": [manager(cluster: cluster)]]
        if let tls { chain["transport_socket"] = ["name": "envoy.transport_sockets.tls", "typed_config": tls] }
        return ["name": "l\(port)", "address": ["socket_address": ["address": "127.0.0.1", "port_value": port]], "filter_chains": [chain]]
    }

    @Test(arguments: ["envoy", "swift"])
    func mutualTLSKeepsWorkingWhileCertificatesRoll(dataPlane: String) throws {
        let envoy = MeshHarness.envoyBinary ?? ""
        if dataPlane == "envoy" && envoy.isEmpty {
            print("skipped: stock Envoy not installed (scripts/install-deps.sh)")
            return
        }
        let mesh = try MeshHarness()
        defer { mesh.stopAll() }
        try mesh.write("workloads.yaml", Self.workloads)
        let ca = mesh.directory.appendingPathComponent("ca").path
        let tokens = mesh.directory.appendingPathComponent("tokens").path
        try mesh.startControlPlane(extra: ["--ca-dir", ca, "--workload-tokens", tokens, "--secure-xds-port", "0", "--workload-cert-ttl", "6s"])
        let secure = try #require(mesh.log("control-plane").range(of: "xDS+CA over TLS at 127.0.0.1:").map {
            Int(mesh.log("control-plane")[$0.upperBound...].prefix { $0.isNumber }) ?? 0
        })
        let backend = try MeshHarness.freePort(), server = try MeshHarness.freePort(), client = try MeshHarness.freePort()
        try mesh.launch("backend", MeshHarness.swiftmesh, ["demo-app", "--service", "backend", "--version", "v1", "--listen", "127.0.0.1:\(backend)"])

        let serverTLS: [String: Any] = ["@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                                        "require_client_certificate": true, "common_tls_context": Self.common(peer: "spiffe://cluster.local/ns/shop/sa/client")]
        let clientTLS: [String: Any] = ["@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                                        "sni": "outbound_.\(server)_._.server.shop.svc.cluster.local",
                                        "common_tls_context": Self.common(peer: "spiffe://cluster.local/ns/shop/sa/server")]
        let serverAdmin = try MeshHarness.freePort(), clientAdmin = try MeshHarness.freePort()
        let bootstraps = [
            ("server", Self.bootstrap(account: "server", admin: serverAdmin, listener: Self.listener(port: server, tls: serverTLS, cluster: "backend"),
                                      clusters: [Self.cluster("backend", port: backend)])),
            ("client", Self.bootstrap(account: "client", admin: clientAdmin, listener: Self.listener(port: client, tls: nil, cluster: "server"),
                                      clusters: [Self.cluster("server", port: server, tls: clientTLS)])),
        ]
        for (name, bootstrap) in bootstraps {
            let file = mesh.directory.appendingPathComponent("\(name).json")
            try JSONSerialization.data(withJSONObject: bootstrap).write(to: file)
            let agent = ["--ca-address", "127.0.0.1:\(secure)", "--ca-root", "\(ca)/root-cert.pem", "--token-file", "\(tokens)/\(name).shop.token"]
            let plane = dataPlane == "envoy"
                ? ["--data-plane", "envoy", "--envoy-binary", envoy, "--run-dir", mesh.directory.appendingPathComponent("agent-\(name)").path]
                : ["--concurrency", "1", "--prometheus-address", "127.0.0.1:0", "--health-address", "127.0.0.1:0"]
            try mesh.launch(name, MeshHarness.swiftmesh, ["proxy", "-c", file.path] + plane + agent)
        }
        try mesh.waitUntil("a 200 through client Envoy -> mTLS -> server Envoy", timeout: 30) {
            HTTPProbe.get("127.0.0.1", client, path: "/", timeoutSeconds: 2)?.status == 200
        }

        // Load while the 6 s certificates renew every ~3 s on both sides, and the
        // root is rotated under the running mesh (trust first, then sign).
        var failures: [String] = [], successes = 0
        var serials: Set<String> = []
        let start = Date(), end = start.addingTimeInterval(22)
        var rotation: Process?
        while Date() < end {
            if rotation == nil, Date().timeIntervalSince(start) > 4 {
                rotation = try mesh.launch("rotate-root", MeshHarness.swiftmesh, ["ca", "rotate-root", "--ca-dir", ca, "--overlap", "4s"])
            }
            if let response = HTTPProbe.get("127.0.0.1", client, path: "/", timeoutSeconds: 5), response.status == 200 {
                successes += 1
            } else {
                failures.append("\(Date()): \(HTTPProbe.get("127.0.0.1", client, path: "/", timeoutSeconds: 5)?.status ?? 0)")
            }
            if successes % 20 == 0, let certs = HTTPProbe.get("127.0.0.1", serverAdmin, path: "/certs", timeoutSeconds: 2)?.body,
               let serial = Self.leafSerial(certs) {
                serials.insert(serial)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        print("\(dataPlane): rotation under load: \(successes) requests ok, \(failures.count) failed, server certificates seen: \(serials.count)")
        rotation?.waitUntilExit()
        #expect(rotation?.terminationStatus == 0, "\(mesh.log("rotate-root"))")
        #expect(mesh.log("control-plane").components(separatedBy: "mesh CA reloaded").count - 1 >= 2, "both rotation steps reach the control plane")
        for name in ["server", "client"] {
            #expect(mesh.log(name).contains("the mesh roots changed"), "\(name)'s agent serves the new bundle")
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(successes > 100)
        #expect(serials.count >= 3, "\(dataPlane) served \(serials.count) certificate(s) from SDS in 16 s of 6 s certificates")
        let installs = mesh.log("server").components(separatedBy: "agent: installed certificate").count - 1
        #expect(installs >= 5, "the server's agent installed \(installs) certificates")
        let certs = HTTPProbe.get("127.0.0.1", serverAdmin, path: "/certs", timeoutSeconds: 2)?.body ?? ""
        #expect(certs.contains("spiffe://cluster.local/ns/shop/sa/server"), "\(certs.prefix(600))")

        // A peer with a certificate from another root (same SPIFFE ID) is refused.
        let foreign = try Self.foreignCertificate(in: mesh, identity: "spiffe://cluster.local/ns/shop/sa/client")
        let refused = try Self.curl(mesh, ["-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                                           "--cert", foreign.cert, "--key", foreign.key, "https://127.0.0.1:\(server)/"])
        #expect(refused.status != 0 && refused.output != "200", "foreign-root client got \(refused)")
        let anonymous = try Self.curl(mesh, ["-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:\(server)/"])
        #expect(anonymous.status != 0 && anonymous.output != "200", "client without a certificate got \(anonymous)")
    }

    /// The first serial number in Envoy's /certs cert_chain.
    static func leafSerial(_ json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let certificates = object["certificates"] as? [[String: Any]] else { return nil }
        for entry in certificates {
            if let chain = entry["cert_chain"] as? [[String: Any]], let serial = chain.first?["serial_number"] as? String { return serial }
        }
        return nil
    }

    static func foreignCertificate(in mesh: MeshHarness, identity: String) throws -> (cert: String, key: String) {
        let cert = mesh.directory.appendingPathComponent("foreign-cert.pem").path, key = mesh.directory.appendingPathComponent("foreign-key.pem").path
        let openssl = try mesh.launch("openssl-foreign", "/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                                                              "-nodes", "-days", "1", "-subj", "/O=cluster.local",
                                                                              "-addext", "subjectAltName=URI:\(identity)", "-keyout", key, "-out", cert])
        openssl.waitUntilExit()
        return (cert, key)
    }

    static func curl(_ mesh: MeshHarness, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
