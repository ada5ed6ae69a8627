/// An address prefix (`10.0.0.0/8`, `::/0`) as filter chain matches use it.
public struct CIDRRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public let address: IPAddress
    public let length: Int

    public init?(address text: String, length: Int) {
        guard let address = IPAddress(text), length >= 0, length <= address.bitCount else { return nil }
        self.address = address.masked(length)
        self.length = length
    }

    public func contains(_ ip: IPAddress) -> Bool {
        ip.family == address.family && ip.masked(length) == address
    }

    public var description: String { "\(address)/\(length)" }
}
