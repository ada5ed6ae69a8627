#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

extension Channel {
    /// Closes with a TCP reset (SO_LINGER 0): what the client sees when Envoy
    /// closes a socket with its bytes unread (peeked by listener filters, or held
    /// back by tcp_proxy until an upstream connect that failed). This proxy has
    /// read them already, so it asks for the reset.
    func closeResetting() {
        if let socket = self as? any SocketOptionProvider {
            _ = socket.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        }
        close(promise: nil)
    }
}
