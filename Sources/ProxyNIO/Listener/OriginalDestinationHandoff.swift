#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import ProxyCore

/// Transparent capture (Istio's 15001 / 15006 with `use_original_dst`): iptables
/// REDIRECT sends a connection to the capture listener; its original destination
/// (SO_ORIGINAL_DST) picks the listener that really serves it - the one that does
/// not bind, for that `ip:port`, else for `0.0.0.0:port` - as Envoy hands the
/// connection over. Without a match the capture listener's own chains serve it
/// (Istio's passthrough / blackhole). The served chains see the original
/// destination as the connection's destination.
enum OriginalDestinationHandoff {
    /// Linux's SO_ORIGINAL_DST (netfilter), at level SOL_IP.
    static let socketOption: CInt = 80

    /// The redirected connection's original IPv4 destination; nil when it was not
    /// redirected (then the socket's own local address stands).
    static func originalDestination(of channel: any Channel) -> EventLoopFuture<SocketAddress?> {
        guard let provider = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
        let level = NIOBSDSocket.OptionLevel(rawValue: CInt(SOL_IP))
        let name = NIOBSDSocket.Option(rawValue: socketOption)
        let future: EventLoopFuture<sockaddr_in> = provider.unsafeGetSocketOption(level: level, name: name)
        return future.map { raw -> SocketAddress? in
            guard raw.sin_family == sa_family_t(AF_INET) else { return nil }
            return SocketAddress(raw, host: "")
        }.recover { _ in nil }
    }

    /// The listener that serves `ip:port` among those that do not bind.
    static func target(in config: ProxyConfig, ip: String, port: Int) -> String? {
        let candidates = config.listeners.filter { !$0.bindToPort && $0.port == port }
        return (candidates.first { $0.host == ip } ?? candidates.first { $0.host == "0.0.0.0" })?.name
    }
}
