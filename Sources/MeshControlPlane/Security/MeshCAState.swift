import Foundation
import MeshCA
import Synchronization

/// The control plane's CA in force and who may call it; swapped whole when the
/// root rotates, read by every CreateCertificate call.
final class MeshCAState: Sendable {
    private let state: Mutex<(authority: CertificateAuthority, authenticator: CallerAuthenticator)>

    init(authority: CertificateAuthority, authenticator: CallerAuthenticator) {
        state = Mutex((authority, authenticator))
    }

    var authority: CertificateAuthority { state.withLock { $0.authority } }

    func replace(_ authority: CertificateAuthority) {
        state.withLock { $0.authority = authority }
    }

    /// Authenticates the caller, then signs: PERMISSION_DENIED when the CSR names
    /// anyone but the caller.
    func sign(csrPEM: String, authorization: [String], requestedSeconds: Int64, now: Date = Date()) throws(CAError) -> CertificateAuthority.Issued {
        let (authority, authenticator) = state.withLock { ($0.authority, $0.authenticator) }
        let caller = try authenticator.authenticate(authorization: authorization, now: now)
        return try authority.sign(csrPEM: csrPEM, authenticated: caller, requestedSeconds: requestedSeconds, now: now)
    }
}
