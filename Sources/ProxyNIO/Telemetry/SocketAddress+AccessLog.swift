import NIOCore

extension SocketAddress {
    /// The address as Envoy's access log prints it: `ip:port`, `[ip]:port` for IPv6.
    var accessLogBytes: [UInt8] { Self.accessLogBytes(ip: ipAddress ?? "", port: port ?? 0) }

    static func accessLogBytes(ip: String, port: Int) -> [UInt8] {
        Array((ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)").utf8)
    }
}
