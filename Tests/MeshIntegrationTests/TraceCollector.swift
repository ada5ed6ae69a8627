import Foundation
import Testing
import XDSAPI

/// A small OTLP/HTTP collector for tests: a Python `http.server` that stores
/// each `POST /v1/traces` body in a directory and answers 200; the bodies are
/// decoded here as OTLP ExportTraceServiceRequests. Stopped by its PID.
final class TraceCollector {
    let port: Int
    let directory: URL
    private let process = Process()

    struct Span {
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var name: String
        var kind: Opentelemetry_Proto_Trace_V1_Span.SpanKind
        var service: String
        var attributes: [String: String]
        var isError: Bool
    }

    static let script = """
    import http.server, os, sys, itertools
    directory, port = sys.argv[1], int(sys.argv[2])
    counter = itertools.count()
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            if self.headers.get('transfer-encoding', '').lower() == 'chunked':   # what Envoy sends
                body = b''
                while True:
                    size = int(self.rfile.readline().split(b';')[0], 16)
                    body += self.rfile.read(size)
                    self.rfile.readline()
                    if size == 0: break
            else:
                body = self.rfile.read(int(self.headers.get('content-length', '0')))
            ok = self.path == '/v1/traces' and self.headers.get('content-type', '').startswith('application/x-protobuf')
            if ok:
                name = os.path.join(directory, '%06d.bin' % next(counter))
                with open(name + '.tmp', 'wb') as f: f.write(body)
                os.rename(name + '.tmp', name)
            self.send_response(200 if ok else 415)
            self.send_header('content-type', 'application/x-protobuf')
            self.send_header('content-length', '0')
            self.end_headers()
        def log_message(self, *args): pass
    http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler).serve_forever()
    """

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try MeshHarness.freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, directory.path, "\(port)"]
        try process.run()
        // Ready when it accepts connections.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func stop() {
        guard process.isRunning else { return }
        // SIGKILL: the test process may hand its children a blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Every span received so far.
    func spans() throws -> [Span] {
        let files = (try FileManager.default.contentsOfDirectory(atPath: directory.path)).filter { $0.hasSuffix(".bin") }.sorted()
        var result: [Span] = []
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let request = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest(serializedBytes: data)
            for resource in request.resourceSpans {
                let service = resource.resource.attributes.first { $0.key == "service.name" }?.value.stringValue ?? ""
                for scope in resource.scopeSpans {
                    for span in scope.spans {
                        var attributes: [String: String] = [:]
                        for attribute in span.attributes { attributes[attribute.key] = attribute.value.stringValue }
                        result.append(Span(traceID: Self.hex(span.traceID), spanID: Self.hex(span.spanID), parentSpanID: Self.hex(span.parentSpanID),
                                           name: span.name, kind: span.kind, service: service, attributes: attributes,
                                           isError: span.status.code == .error))
                    }
                }
            }
        }
        return result
    }

    /// Waits until `condition` holds for the spans received (exporters flush
    /// every 1 s (ours) or 5 s (Envoy's)).
    func waitFor(seconds: Double = 20, _ condition: ([Span]) -> Bool) throws -> [Span] {
        let deadline = Date().addingTimeInterval(seconds)
        var spans = try self.spans()
        while !condition(spans) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.25)
            spans = try self.spans()
        }
        return spans
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }
}
