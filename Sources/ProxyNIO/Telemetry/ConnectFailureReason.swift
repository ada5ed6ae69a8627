#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import ProxyCore

/// Envoy's `%UPSTREAM_TRANSPORT_FAILURE_REASON%` for a failed upstream connect:
/// the system error (`delayed_connect_error:_Connection_refused`) or the TLS
/// failure, spaces as `_`; empty when neither is known (a timeout).
enum ConnectFailureReason {
    static func bytes(_ error: any Error) -> [UInt8] {
        if let tls = error as? UpstreamTLSFailure { return DownstreamHTTP1Handler.logged(tls.reason) }
        var io = error as? IOError
        if io == nil, let connection = error as? NIOConnectionError {
            io = connection.connectionErrors.lazy.compactMap { $0.error as? IOError }.first
        }
        guard let io else { return [] }
        return TCPAccessLogFacts.connectFailureReason(String(cString: strerror(io.errnoCode)))
    }

    /// The connect ran out of `connect_timeout` (Envoy's pool failure reason `Timeout`:
    /// details `upstream_reset_before_response_started{connection_timeout}`).
    static func isTimeout(_ error: any Error) -> Bool {
        if case ChannelError.connectTimeout? = error as? ChannelError { return true }
        guard let connection = error as? NIOConnectionError else { return false }
        return connection.connectionErrors.contains { if case ChannelError.connectTimeout? = $0.error as? ChannelError { true } else { false } }
    }
}
