import Foundation
import GRPCCore
import Logging
import MeshCA
import XDSAPI

/// Istio's `istio.v1.auth.IstioCertificateService/CreateCertificate` on the xDS
/// ports: the bearer token in `authorization` says who calls, the CSR must ask
/// for that identity, and the answer is Istio's `cert_chain` [leaf, ..., root].
struct CertificateService: Istio_V1_Auth_IstioCertificateService.ServiceProtocol {
    let authority: MeshCAState
    let logger: Logger

    func createCertificate(request: ServerRequest<Istio_V1_Auth_IstioCertificateRequest>,
                           context: ServerContext) async throws -> ServerResponse<Istio_V1_Auth_IstioCertificateResponse> {
        let authorization = request.metadata[stringValues: "authorization"].map { $0 }
        do {
            let issued = try authority.sign(csrPEM: request.message.csr, authorization: authorization,
                                            requestedSeconds: request.message.validityDuration)
            var response = Istio_V1_Auth_IstioCertificateResponse()
            response.certChain = issued.chainPEM
            logger.info("certificate issued", metadata: ["identity": "\(issued.identity.uri)", "notAfter": "\(issued.leaf.notValidAfter)",
                                                        "peer": "\(context.remotePeer)"])
            return ServerResponse(message: response)
        } catch {
            logger.warning("certificate refused", metadata: ["error": "\(error)", "peer": "\(context.remotePeer)"])
            throw RPCError(code: Self.code(error), message: error.description)
        }
    }

    static func code(_ error: CAError) -> RPCError.Code {
        switch error {
        case .unauthenticated: .unauthenticated
        case .permissionDenied: .permissionDenied
        case .invalidCSR, .unsupportedKey, .invalidValidity, .invalidIdentity: .invalidArgument
        case .invalidCAFiles, .signingFailed: .internalError
        }
    }
}
