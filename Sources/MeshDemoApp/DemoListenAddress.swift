/// `ADDR:PORT` as given to `--listen`: `127.0.0.1:9080`, `[::1]:9080`, `localhost:0`.
/// Port 0 asks the kernel for a free port (tests read the bound port back).
public struct DemoListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(DemoOptionError) {
        guard let (host, port) = Self.splitHostPort(text) else {
            throw DemoOptionError("--listen \"\(text)\": expected ADDR:PORT, e.g. 127.0.0.1:9080 or [::1]:9080")
        }
        self.init(host: host, port: port)
    }

    /// `ADDR:PORT`, with IPv6 addresses in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Splits `host:port` / `[v6]:port`; nil when either part is missing or the port is
    /// not 0-65535.
    static func splitHostPort(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil } // bare IPv6 needs brackets
        }
        guard !host.isEmpty, !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0 >= "0" && $0 <= "9" }), let port = Int(portText), (0...65535).contains(port) else {
            return nil
        }
        return (String(host), port)
    }
}
