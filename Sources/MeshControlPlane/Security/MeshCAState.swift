import Foundation
import MeshCA
import Synchronization

/// The control plane's CA in force and who may call it; swapped whole when the
/// root rotates, read by every CreateCertificate call.
final class MeshCAState: Sendable {
    private let state: Mutex<(authority: CertificateAuthority, authenticator: CallerAuthenticator)>
    private let counters = Mutex(Counters())

    /// Istio's CA counters (`citadel_server_*` on the control plane's /metrics).
    struct Counters: Equatable {
        var requests = 0
        var authenticationFailures = 0
        var csrParsingErrors = 0
        var identityErrors = 0
        var signErrors: [String: Int] = [:]
        var issued = 0
    }

    var stats: Counters { counters.withLock { $0 } }

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
        do {
            let caller = try authenticator.authenticate(authorization: authorization, now: now)
            let issued = try authority.sign(csrPEM: csrPEM, authenticated: caller, requestedSeconds: requestedSeconds, now: now)
            counters.withLock { $0.requests += 1; $0.issued += 1 }
            return issued
        } catch {
            counters.withLock { counters in
                counters.requests += 1
                switch error {
                case .unauthenticated: counters.authenticationFailures += 1
                case .invalidCSR, .unsupportedKey, .invalidIdentity: counters.csrParsingErrors += 1
                case .permissionDenied: counters.identityErrors += 1
                case .invalidValidity: counters.signErrors["invalid_validity", default: 0] += 1
                case .invalidCAFiles, .signingFailed: counters.signErrors["signing", default: 0] += 1
                }
            }
            throw error
        }
    }

    /// Istio's citadel_server_* metrics, Prometheus text.
    func metricLines() -> [String] {
        let stats = self.stats
        let authority = self.authority
        var lines = [
            "# HELP citadel_server_csr_count The number of CSRs received by Citadel server.",
            "# TYPE citadel_server_csr_count counter",
            "citadel_server_csr_count \(stats.requests)",
            "# HELP citadel_server_authentication_failure_count The number of authentication failures.",
            "# TYPE citadel_server_authentication_failure_count counter",
            "citadel_server_authentication_failure_count \(stats.authenticationFailures)",
            "# HELP citadel_server_csr_parsing_err_count The number of errors occurred when parsing the CSR.",
            "# TYPE citadel_server_csr_parsing_err_count counter",
            "citadel_server_csr_parsing_err_count \(stats.csrParsingErrors)",
            "# HELP citadel_server_id_extraction_err_count The number of errors occurred when extracting the ID from CSR.",
            "# TYPE citadel_server_id_extraction_err_count counter",
            "citadel_server_id_extraction_err_count \(stats.identityErrors)",
            "# HELP citadel_server_csr_sign_err_count The number of errors occurred when signing the CSR.",
            "# TYPE citadel_server_csr_sign_err_count counter",
        ]
        for (kind, count) in stats.signErrors.sorted(by: { $0.key < $1.key }) {
            lines.append("citadel_server_csr_sign_err_count{error=\"\(kind)\"} \(count)")
        }
        lines += [
            "# HELP citadel_server_success_cert_issuance_count The number of certificates issuances that have succeeded.",
            "# TYPE citadel_server_success_cert_issuance_count counter",
            "citadel_server_success_cert_issuance_count \(stats.issued)",
            "# HELP citadel_server_root_cert_expiry_timestamp The unix timestamp, in seconds, when Citadel root cert will expire.",
            "# TYPE citadel_server_root_cert_expiry_timestamp gauge",
            "citadel_server_root_cert_expiry_timestamp \(Int(authority.root.notValidAfter.timeIntervalSince1970))",
            "# HELP citadel_server_cert_chain_expiry_timestamp The unix timestamp, in seconds, when Citadel cert chain will expire.",
            "# TYPE citadel_server_cert_chain_expiry_timestamp gauge",
            "citadel_server_cert_chain_expiry_timestamp \(Int(authority.chain.map(\.notValidAfter).min()!.timeIntervalSince1970))",
        ]
        return lines
    }
}
