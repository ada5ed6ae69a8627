import NIOSSL

/// Envoy's transport failure reason for TLS errors: BoringSSL's error queue as
/// `TLS_error:|CODE:LIB:FUNC:REASON...:TLS_error_end` (as `%UPSTREAM_TRANSPORT_FAILURE_REASON%`
/// and 503 bodies show it).
enum TLSFailureReason {
    /// What Envoy reports when the chain verifies but no SAN matcher accepts it.
    static let sanMismatch = "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify cert failed: verify SAN list:TLS_error_end"

    static func envoyText(_ error: any Error) -> String {
        let failure: BoringSSLError
        if case NIOSSLError.handshakeFailed(let inner) = error {
            failure = inner
        } else if let inner = error as? BoringSSLError {
            failure = inner
        } else {
            // An EOF or reset during the handshake: Envoy has no BoringSSL error then.
            return "TLS_error:|\(error):TLS_error_end"
        }
        let stack: [BoringSSLInternalError]
        switch failure {
        case .sslError(let errors), .unknownError(let errors), .invalidSNIName(let errors), .failedToSetALPN(let errors): stack = errors
        default: stack = []
        }
        var text = "TLS_error:"
        for entry in stack { text += "|" + envoyEntry(entry.description) }
        return text + ":TLS_error_end"
    }

    /// NIOSSL's "Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at FILE:LINE"
    /// -> "268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED".
    static func envoyEntry(_ description: String) -> String {
        var rest = Substring(description)
        if rest.hasPrefix("Error: ") { rest = rest.dropFirst("Error: ".count) }
        let code = rest.prefix { $0 != " " }
        rest = rest.dropFirst(code.count).drop { $0 == " " }
        // Drop "error:HEX:".
        if rest.hasPrefix("error:"), let colon = rest.dropFirst("error:".count).firstIndex(of: ":") {
            rest = rest[rest.index(after: colon)...]
        }
        // Drop " at FILE:LINE" (BoringSSL's reason strings hold no " at ").
        var index = rest.startIndex
        while index < rest.endIndex {
            if rest[index...].hasPrefix(" at ") {
                rest = rest[..<index]
                break
            }
            index = rest.index(after: index)
        }
        return code.isEmpty ? String(rest) : "\(code):\(rest)"
    }
}
