/// What the demo workload answers: status, header fields (lower-case names, including
/// content-length when there is one) and body. The HTTP/1 and HTTP/2 handlers write it
/// as is.
public struct DemoResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func value(of name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
