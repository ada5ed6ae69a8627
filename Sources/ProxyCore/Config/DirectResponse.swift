/// Envoy's DirectResponseAction: answered by the proxy itself.
public struct DirectResponse: Sendable, Equatable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8] = []) {
        self.status = status
        self.body = body
    }
}
