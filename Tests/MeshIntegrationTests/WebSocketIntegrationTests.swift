import Foundation
import Testing

/// WebSocket through the client sidecar on both data planes: the connection
/// manager's upgrade_configs (websocket, as Istio sends) let the Upgrade
/// through, the echo server's 101 comes back, then frames go both ways - text,
/// a large binary message, and a clean close - with the same results.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil && MeshHarness.python != nil, "needs stock Envoy and .venv's websocket-client"))
struct WebSocketIntegrationTests {
    static let echoHost = 3

    /// A minimal RFC 6455 echo server (handshake, masked client frames, echo, close).
    static let server = #"""
    import base64, hashlib, socket, sys, threading
    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    def read_exact(conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk: raise EOFError
            data += chunk
        return data
    def serve(conn):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk: return
            head += chunk
        headers = {l.split(b":", 1)[0].strip().lower(): l.split(b":", 1)[1].strip() for l in head.split(b"\r\n")[1:] if b":" in l}
        if b"sec-websocket-key" not in headers:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            conn.close()
            return
        accept = base64.b64encode(hashlib.sha1(headers[b"sec-websocket-key"] + GUID.encode()).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        try:
            while True:
                b0, b1 = read_exact(conn, 2)
                length = b1 & 0x7F
                if length == 126: length = int.from_bytes(read_exact(conn, 2), "big")
                elif length == 127: length = int.from_bytes(read_exact(conn, 8), "big")
                mask = read_exact(conn, 4) if b1 & 0x80 else b"\0\0\0\0"
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(read_exact(conn, length)))
                if b0 & 0x0F == 1: payload = b"echo:" + payload
                n = len(payload)
                size = bytes([n]) if n < 126 else (bytes([126]) + n.to_bytes(2, "big") if n < 65536 else bytes([127]) + n.to_bytes(8, "big"))
                conn.sendall(bytes([b0]) + size + payload)
                if b0 & 0x0F == 8: break
        except EOFError:
            pass
        conn.close()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((sys.argv[1], 0))
    listener.listen(16)
    print("listening on", listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
    """#

    /// The client: prints one line per check.
    static let client = #"""
    import sys, websocket
    ws = websocket.create_connection("ws://%s:9080/chat" % sys.argv[1], host="ws.example.com", timeout=10)
    ws.send("hello")
    print("text", ws.recv())
    ws.send("again")
    print("text", ws.recv())
    blob = bytes(range(256)) * 400
    ws.send_binary(blob)
    print("binary", ws.recv() == blob)
    ws.close()
    print("closed", ws.connected)
    """#

    func run(_ script: String, _ arguments: [String], harness: MeshHarness, name: String) throws -> Process {
        let path = harness.directory.appendingPathComponent("\(name).py").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return try harness.launch(name, MeshHarness.python!, ["-u", path] + arguments)
    }

    @Test(arguments: DataPlane.allCases) func webSocketThroughTheSidecar(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        let harness = mesh.harness
        _ = try run(Self.server, [harness.address(Self.echoHost)], harness: harness, name: "ws-echo")
        var port = 0
        try harness.waitUntil("echo server listening", timeout: 10) {
            port = harness.log("ws-echo").split(separator: "\n").compactMap { $0.hasPrefix("listening on ") ? Int($0.dropFirst(13)) : nil }.first ?? 0
            return port != 0
        }
        try harness.write("ws.yaml", """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: ws, namespace: default}
        spec:
          hosts: [ws.example.com]
          location: MESH_EXTERNAL
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: \(harness.address(Self.echoHost)), ports: {http: \(port)}}]
        """)
        try harness.waitUntil("ws.example.com routed", timeout: 20) {
            mesh.get(host: "ws.example.com")?.status == 200
        }
        let client = try run(Self.client, [harness.address(mesh.clientHost)], harness: harness, name: "ws-client")
        client.waitUntilExit()
        let output = harness.log("ws-client")
        #expect(client.terminationStatus == 0, "\(output)")
        #expect(output.split(separator: "\n").filter { !$0.isEmpty } == ["text echo:hello", "text echo:again", "binary True", "closed False"])
    }
}

extension MeshHarness {
    /// The project's Python (`.venv`, with websocket-client), if installed.
    static let python: String? = {
        let path = packageRoot + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()
}
