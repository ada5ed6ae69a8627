@testable import ProxyCore

/// Builds route tables and requests for matching tests.
enum RouteTestSupport {
    /// Parses `GET target` with the given headers and runs `body` on the view.
    static func withRequest<R>(_ target: String, host: String = "example.com", method: String = "GET",
                               headers: [(String, String)] = [], random: UInt64 = 0,
                               _ body: (RouteRequest) -> R) -> R {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            var head = HTTP1RequestHead()
            _ = try! HTTP1RequestParser().parse(buffer, into: &head)
            return body(RouteRequest(bytes: buffer, head: head, random: random))
        }
    }

    static func route(_ name: String, _ path: PathMatch, headers: [HeaderMatch] = [], query: [QueryParameterMatch] = [],
                      fraction: FractionalPercent? = nil, cluster: String? = nil) -> RouteEntry {
        RouteEntry(name: name, match: RouteMatchRule(path: path, headers: headers, queryParameters: query, runtimeFraction: fraction),
                   action: .forward(ForwardAction(target: .cluster(cluster ?? name))))
    }

    static func table(_ hosts: [(String, [String], [RouteEntry])]) throws -> RouteTable {
        try RouteTable(name: "test", virtualHosts: hosts.map { VirtualHostConfig(name: $0.0, domains: $0.1, routes: $0.2) })
    }

    /// Name of the selected route, or nil.
    static func select(_ table: RouteTable, _ target: String, host: String = "example.com", method: String = "GET",
                       headers: [(String, String)] = [], random: UInt64 = 0) -> String? {
        withRequest(target, host: host, method: method, headers: headers, random: random) { table.select($0)?.route.name }
    }

    static func prefix(_ text: String, caseSensitive: Bool = true) -> PathMatch {
        PathMatch(.prefix(Array(text.utf8)), caseSensitive: caseSensitive)
    }
}
