import MeshCore

/// What a connection manager writes about the current hop's client certificate
/// into `x-forwarded-client-cert` under APPEND_FORWARD / SANITIZE_SET
/// (`set_current_client_cert_details`). `By` (the proxy's own URI SAN) and
/// `Hash` are always written.
public struct ClientCertDetails: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let subject = ClientCertDetails(rawValue: 1 << 0)
    public static let cert = ClientCertDetails(rawValue: 1 << 1)
    public static let uri = ClientCertDetails(rawValue: 1 << 2)
    public static let dns = ClientCertDetails(rawValue: 1 << 3)
}

/// The facts of a peer certificate the XFCC element is made from, as the TLS
/// layer read them once per connection.
public struct PeerCertificateFacts: Sendable, Equatable {
    /// SHA-256 of the DER encoding, lower-case hex.
    public var sha256Hex: String
    /// The subject in RFC 2253 form (last RDN first), as OpenSSL prints it for Envoy.
    public var subject: String
    public var uriSANs: [String]
    public var dnsSANs: [String]
    /// The DER encoding (for `Cert`).
    public var der: [UInt8]

    public init(sha256Hex: String, subject: String, uriSANs: [String], dnsSANs: [String], der: [UInt8]) {
        self.sha256Hex = sha256Hex
        self.subject = subject
        self.uriSANs = uriSANs
        self.dnsSANs = dnsSANs
        self.der = der
    }
}

/// The element one hop adds to `x-forwarded-client-cert`, in Envoy's order:
/// `By`, `Hash`, then `Cert`, `Subject`, `URI`, `DNS` as configured, joined by `;`.
/// `Subject` and `URI` are written even when empty, as Envoy does.
public enum ClientCertElement {
    public static func make(localURISANs: [String], peer: PeerCertificateFacts, details: ClientCertDetails) -> [UInt8] {
        var parts: [String] = localURISANs.map { "By=" + $0 }
        if !peer.sha256Hex.isEmpty { parts.append("Hash=" + peer.sha256Hex) }
        if details.contains(.cert), !peer.der.isEmpty { parts.append("Cert=\"" + urlEncodedPEM(der: peer.der) + "\"") }
        if details.contains(.subject) { parts.append("Subject=\"" + peer.subject + "\"") }
        if details.contains(.uri) {
            if peer.uriSANs.isEmpty { parts.append("URI=") } else { parts += peer.uriSANs.map { "URI=" + $0 } }
        }
        if details.contains(.dns) { parts += peer.dnsSANs.map { "DNS=" + $0 } }
        return Array(parts.joined(separator: ";").utf8)
    }

    /// The certificate as PEM (64-character base64 lines), percent-encoded where
    /// PEM has characters a header value must not carry bare (newline, space, `+`,
    /// `/`, `=`), upper-case hex, as Envoy encodes it.
    public static func urlEncodedPEM(der: [UInt8]) -> String {
        let base64 = Base64Bytes.encode(der)
        var pem = Array("-----BEGIN CERTIFICATE-----\n".utf8)
        var index = 0
        while index < base64.count {
            let end = min(index + 64, base64.count)
            pem += base64[index..<end]
            pem.append(UInt8(ascii: "\n"))
            index = end
        }
        pem += Array("-----END CERTIFICATE-----\n".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(pem.count + pem.count / 8)
        for byte in pem {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                encoded.append(UInt8(ascii: "%"))
                HexText.appendUppercase(byte, to: &encoded)
            default:
                encoded.append(byte)
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
