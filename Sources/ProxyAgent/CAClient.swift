#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore
import MeshCore
import GRPCNIOTransportHTTP2
import SwiftASN1
import X509
import XDSAPI

/// Calls Istio's CreateCertificate with the workload's token (re-read per call:
/// the control plane refreshes token files), over TLS verified against the mesh
/// root when one is given (15012), else plaintext (15010).
public struct CAClient: Sendable {
    public var host: String
    public var port: Int
    /// PEM roots the CA's server certificate must chain to; nil: plaintext.
    public var trustedRootsPEM: String?
    /// The name the CA's certificate must carry (istiod's DNS SAN).
    public var serverName = "istiod.istio-system.svc"
    public var tokenPath: String?

    public init(host: String, port: Int, trustedRootsPEM: String?, tokenPath: String?) {
        self.host = host
        self.port = port
        self.trustedRootsPEM = trustedRootsPEM
        self.tokenPath = tokenPath
    }

    public struct Response: Sendable {
        /// [leaf, intermediates..., root].
        public let chainPEM: [String]
        public let notBefore: Double
        public let notAfter: Double
        /// The leaf's serial number, lowercase hex (as Envoy's /certs prints it).
        public let serialNumber: String
    }

    public func createCertificate(csrPEM: String, validitySeconds: Int64) async throws -> Response {
        var request = Istio_V1_Auth_IstioCertificateRequest()
        request.csr = csrPEM
        request.validityDuration = validitySeconds
        var metadata = Metadata()
        if let tokenPath {
            let token = try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingWhitespace()
            metadata.addString("Bearer \(token)", forKey: "authorization")
        }
        let chain = try await withGRPCClient(transport: try transport()) { client in
            try await Istio_V1_Auth_IstioCertificateService.Client(wrapping: client).createCertificate(request, metadata: metadata).certChain
        }
        guard let first = chain.first else { throw AgentError("the CA answered with an empty cert_chain") }
        let leaf = try Certificate(pemEncoded: first)
        return Response(chainPEM: chain, notBefore: leaf.notValidBefore.timeIntervalSince1970, notAfter: leaf.notValidAfter.timeIntervalSince1970,
                        serialNumber: HexText.lowercase(leaf.serialNumber.bytes))
    }

    func transport() throws -> HTTP2ClientTransport.Posix {
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.http2.authority = serverName
        return try .http2NIOPosix(target: .ipv4(address: host, port: port), transportSecurity: XDSTransportSecurity.make(trustedRootsPEM),
                                  config: config)
    }
}

/// The TLS settings shared by the CA client and the xDS client: verify the control
/// plane against the mesh roots (hostname included), or plaintext without roots.
public enum XDSTransportSecurity {
    public static func make(_ trustedRootsPEM: String?) -> HTTP2ClientTransport.Posix.TransportSecurity {
        guard let trustedRootsPEM else { return .plaintext }
        return .tls { config in
            config.trustRoots = .certificates([.bytes(Array(trustedRootsPEM.utf8), format: .pem)])
        }
    }
}

public struct AgentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
