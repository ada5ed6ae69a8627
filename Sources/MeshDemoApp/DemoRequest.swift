/// One incoming request, the same for HTTP/1.1 and HTTP/2.
public struct DemoRequest: Sendable, Equatable {
    public var method: String
    /// Request target: path and query as received (`/productpage?u=normal`).
    public var target: String
    /// Header fields in arrival order, names lower-cased. HTTP/2 pseudo-headers are not
    /// here; `:authority` appears as `host` when the request has no Host field.
    public var headers: [(name: String, value: String)]

    public init(method: String, target: String, headers: [(name: String, value: String)]) {
        self.method = method
        self.target = target
        self.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
    }

    /// The path without the query.
    public var path: Substring {
        if let question = target.firstIndex(of: "?") { return target[..<question] }
        return target[...]
    }

    /// All values of a header (name compared case-insensitively).
    public func values(of name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name == lowered }.map(\.value)
    }

    public static func == (lhs: DemoRequest, rhs: DemoRequest) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target
            && lhs.headers.count == rhs.headers.count
            && zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
