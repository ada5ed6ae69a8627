/// The connection manager's Host options (`strip_any_host_port`,
/// `strip_matching_host_port`, `strip_trailing_host_dot`), applied after path
/// normalisation as Envoy's `maybeNormalizeHost` does: routing, RBAC's
/// `:authority` matchers and the upstream all see the stripped host.
public struct HostNormalization: Sendable, Equatable {
    public enum StripPort: Sendable, Equatable {
        case none
        /// Only when it is the listener's port.
        case matching
        case any
    }

    public var stripPort: StripPort
    public var stripTrailingDot: Bool

    public init(stripPort: StripPort = .none, stripTrailingDot: Bool = false) {
        self.stripPort = stripPort
        self.stripTrailingDot = stripTrailingDot
    }

    public var isIdentity: Bool { stripPort == .none && !stripTrailingDot }

    /// The new authority, or nil when it stays. CONNECT keeps its port.
    public func apply(_ authority: UnsafeRawBufferPointer, listenerPort: Int, isConnect: Bool = false) -> [UInt8]? {
        var host = Array(authority)
        if stripPort != .none, !isConnect, let colon = Self.portStart(host), let port = Int(String(decoding: host[(colon + 1)...], as: UTF8.self)),
           port >= 0, port <= Int(UInt32.max), stripPort == .any || port == listenerPort {
            host.removeSubrange(colon...)
        }
        if stripTrailingDot {
            if let colon = Self.portStart(host) {
                if colon > 0 && host[colon - 1] == UInt8(ascii: ".") { host.remove(at: colon - 1) }
            } else if host.last == UInt8(ascii: ".") {
                host.removeLast()
            }
        }
        return host.elementsEqual(authority) ? nil : host
    }

    /// Envoy's `getPortStart`: the last `:` outside an IPv6 literal.
    static func portStart(_ host: [UInt8]) -> Int? {
        guard let colon = host.lastIndex(of: UInt8(ascii: ":")) else { return nil }
        if let bracket = host.lastIndex(of: UInt8(ascii: "]")), bracket > colon { return nil }
        return colon
    }
}
