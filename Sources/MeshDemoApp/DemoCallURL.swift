/// A `--call` target: `http://HOST[:PORT][/PATH][?QUERY]`. Only plain HTTP: the demo
/// workload talks to its sidecar (or directly to another demo workload) in cleartext.
public struct DemoCallURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL as given (used as "url" in the response).
    public var text: String
    /// Host to connect to (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// `HOST[:PORT]` exactly as written, sent as the Host header.
    public var authority: String
    /// Request target: path plus query, `/` when the URL has no path.
    public var pathAndQuery: String

    public var description: String { text }

    public init(parsing text: String) throws(DemoOptionError) {
        let scheme = "http://"
        guard text.lowercased().hasPrefix(scheme) else {
            throw DemoOptionError("--call \"\(text)\": only http:// URLs are supported (e.g. http://127.0.0.1:9080/ratings)")
        }
        let rest = text.dropFirst(scheme.count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.hasPrefix("?") { target = "/" + target }
        if target.isEmpty { target = "/" }
        guard !authority.isEmpty, !authority.contains("@") else {
            throw DemoOptionError("--call \"\(text)\": missing or unsupported host")
        }
        if authority.hasPrefix("[") || authority.contains(":") {
            if let (host, port) = DemoListenAddress.splitHostPort(authority), port > 0 {
                self.host = host
                self.port = port
            } else if authority.hasPrefix("["), authority.hasSuffix("]") {
                self.host = String(authority.dropFirst().dropLast())
                self.port = 80
            } else {
                throw DemoOptionError("--call \"\(text)\": invalid host or port")
            }
        } else {
            self.host = authority
            self.port = 80
        }
        guard !host.isEmpty else { throw DemoOptionError("--call \"\(text)\": missing host") }
        self.text = text
        self.authority = authority
        self.pathAndQuery = target
    }
}
