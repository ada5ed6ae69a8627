import ArgumentParser
import Dispatch
import MeshDemoApp

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct DemoAppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-app",
        abstract: "Run the demo workload of tests and the local mesh (HTTP/1.1 and h2c).",
        discussion: """
        Answers every request with JSON describing who answered and what it saw:
          {"service": NAME, "version": V, "instance": ID, "method": "GET",
           "path": "/p?q=1", "headers": {"x-request-id": "...", ...},
           "calls": [...]}
        with Content-Type application/json and the header x-served-by: NAME-V.
        HTTP/1.1 (keep-alive) and HTTP/2 with prior knowledge (h2c) share the
        port: a connection that starts with the HTTP/2 preface gets HTTP/2.

        --call URL (repeatable) makes the workload GET each URL (HTTP/1.1, in
        order) for every request, forwarding the headers bookinfo forwards:
        x-request-id, traceparent, tracestate, x-b3-*, b3, end-user,
        user-agent, cookie, authorization. Each outcome is an entry of "calls":
        {"url", "status", "body"} (body parsed when the callee answers JSON,
        else a string) or {"url", "error"} when no complete response came back.
        The workload's own status stays 200 whatever its callees answered.

        Special paths:
          GET /healthz   200 "ok" (text/plain); never delayed, failed or calling
          /status/CODE   the echo document with status CODE (200-599)

        Faults: --delay waits before every answer (except /healthz);
        --fail-ratio answers that random fraction of requests with
        --fail-status and {"error": "injected failure", "status": ..., ...}
        without making the calls; --dead accepts connections and closes them
        at once.

        Prints "demo-app NAME v=V listening on ADDR:PORT" once listening (the
        real port when --listen gave port 0); exits 0 on SIGTERM or SIGINT.

        Example:
          swiftmesh demo-app --service productpage --version v1 \\
            --listen 127.0.0.1:9080 --call http://127.0.0.1:9081/details
        """
    )

    @Option(help: ArgumentHelp("Service name, reported as \"service\" and in x-served-by.", valueName: "name"))
    var service: String

    @Option(help: ArgumentHelp("Version label (v1, v2, ...), reported as \"version\" and in x-served-by.", valueName: "v"))
    var version: String

    @Option(help: ArgumentHelp("Address to listen on: ADDR:PORT, [IPv6]:PORT; port 0 picks a free port.", valueName: "addr:port"))
    var listen: String

    @Option(help: ArgumentHelp("Instance id reported as \"instance\" (default: the listen address).", valueName: "id"))
    var instance: String?

    @Option(name: .customLong("call"), help: ArgumentHelp("An http:// URL to GET for every request, in order. Repeatable.", valueName: "url"))
    var calls: [String] = []

    @Option(name: .customLong("call-via"), help: ArgumentHelp("Connect calls to this address (the sidecar's egress) instead of the URL's host; the URL still gives the Host header.", valueName: "host:port"))
    var callVia: String?

    @Option(help: ArgumentHelp("Wait this long before answering (Go duration: 500ms, 2s, 1m).", valueName: "duration"))
    var delay: String?

    @Option(name: .customLong("fail-ratio"), help: ArgumentHelp("Fraction of requests (0 to 1) answered with --fail-status.", valueName: "ratio"))
    var failRatio: Double = 0

    @Option(name: .customLong("fail-status"), help: ArgumentHelp("Status of injected failures (200-599).", valueName: "code"))
    var failStatus: Int = 503

    @Flag(help: "Accept TCP connections and close them immediately (a dead upstream).")
    var dead = false

    func validate() throws {
        _ = try makeOptions()
    }

    func makeOptions() throws -> DemoAppOptions {
        do {
            return try DemoAppOptions(
                service: service, version: version, listen: listen, instance: instance, calls: calls,
                delay: delay, failRatio: failRatio, failStatus: failStatus, dead: dead, callVia: callVia
            )
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let options = try makeOptions()
        var output = StandardStreams()
        let server: DemoAppServer
        do {
            server = try DemoAppServer.startBlocking(options)
        } catch {
            output.error("demo-app: cannot listen on \(options.listen): \(error)")
            throw ExitCode(1)
        }

        // Handle SIGTERM/SIGINT on a dispatch queue instead of the default (die at once).
        let stop = DispatchSemaphore(value: 0)
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }

        // Written straight to fd 1 so that a parent reading a pipe sees it at once.
        var line = server.listeningLine + "\n"
        line.withUTF8 { buffer in _ = write(1, buffer.baseAddress, buffer.count) }

        stop.wait()
        for source in signals { source.cancel() }
        try? server.shutdownBlocking()
    }
}
