/// The console's files under `/ui`, compiled into the binary (no build step, no
/// files to ship): every page is the same shell; the script picks the view by path.
enum ConsoleAssets {
    static let pages: Set<String> = ["/ui", "/ui/", "/ui/topology", "/ui/config", "/ui/edit", "/ui/routing", "/ui/resilience", "/ui/traces"]

    static let scripts: [String: String] = [
        "core.js": ConsoleScript.core,
        "yaml.js": ConsoleScript.yaml,
        "overview.js": ConsoleScript.overview,
        "topology.js": ConsoleScript.topology,
        "config.js": ConsoleScript.config,
        "edit.js": ConsoleScript.edit,
        "routing.js": ConsoleScript.routing,
        "resilience.js": ConsoleScript.resilience,
        "traces.js": ConsoleScript.traces,
    ]

    static func response(for path: String) -> DebugHTTPServer.Response {
        // The console only talks to this server; forbid framing and other origins' scripts.
        let headers = [("cache-control", "no-cache"), ("x-frame-options", "DENY"),
                       ("content-security-policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")]
        if pages.contains(path) { return DebugHTTPServer.Response(200, "text/html; charset=utf-8", ConsolePage.html, headers: headers) }
        if path == "/ui/console.css" { return DebugHTTPServer.Response(200, "text/css; charset=utf-8", ConsolePage.css, headers: headers) }
        if path.hasPrefix("/ui/js/"), let script = scripts[String(path.dropFirst("/ui/js/".count))] {
            return DebugHTTPServer.Response(200, "text/javascript; charset=utf-8", script, headers: headers)
        }
        return DebugHTTPServer.Response(404, "text/plain", "not found: \(path)\n")
    }
}
