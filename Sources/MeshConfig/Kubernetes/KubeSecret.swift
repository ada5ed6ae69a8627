/// Kubernetes Secret: what gateways read through `credentialName` (TLS key pair,
/// CA bundle). `data` values are base64, `stringData` plain (as the API server
/// merges them, stringData wins). Values are never logged or echoed.
public struct KubeSecret: Codable, Sendable, Equatable {
    public var type: String?
    public var data: [String: String]?
    public var stringData: [String: String]?

    public init(type: String? = nil, data: [String: String]? = nil, stringData: [String: String]? = nil) {
        self.type = type
        self.data = data
        self.stringData = stringData
    }

    /// The bytes under `key`, or nil when absent or not valid base64.
    public func value(_ key: String) -> [UInt8]? {
        if let text = stringData?[key] { return Array(text.utf8) }
        guard let encoded = data?[key] else { return nil }
        return Base64.decode(encoded)
    }

    public static func decodeBase64(_ text: String) -> [UInt8]? { Base64.decode(text) }

    /// Istio's key names: `tls.crt`/`tls.key`/`ca.crt` (kubernetes.io/tls) or the
    /// generic `cert`/`key`/`cacert`.
    public var certificateChain: [UInt8]? { value("tls.crt") ?? value("cert") }
    public var privateKey: [UInt8]? { value("tls.key") ?? value("key") }
    public var caCertificate: [UInt8]? { value("ca.crt") ?? value("cacert") }
}
