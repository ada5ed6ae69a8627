import NIOCore
import ProxyCore

extension ConnectionFacts {
    /// Addresses of an accepted connection, from its socket.
    static func of(_ channel: any Channel) -> ConnectionFacts {
        let local = channel.localAddress
        let remote = channel.remoteAddress
        return ConnectionFacts(destinationAddress: local?.ipAddress.flatMap { IPAddress($0) }, destinationPort: local?.port ?? 0,
                               sourceAddress: remote?.ipAddress.flatMap { IPAddress($0) }, sourcePort: remote?.port ?? 0)
    }
}
