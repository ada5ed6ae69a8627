#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IPv4 / IPv6 addresses and CIDR blocks as they appear in Istio config.
public enum IPAddress {
    public enum Family: Sendable { case v4, v6 }

    /// The family of `text` when it is a literal IP address, else nil.
    public static func family(of text: String) -> Family? {
        // IPv6 zones (`fe80::1%eth0`) are valid addresses; inet_pton does not take them.
        if let percent = text.firstIndex(of: "%") {
            let zone = text[text.index(after: percent)...]
            guard !zone.isEmpty, !zone.contains("/") else { return nil }
            var v6 = in6_addr()
            return inet_pton(AF_INET6, String(text[..<percent]), &v6) == 1 ? .v6 : nil
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return .v4 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return .v6 }
        return nil
    }

    public static func isAddress(_ text: String) -> Bool { family(of: text) != nil }

    /// Why `text` is not an address or `address/prefix` block, or nil.
    public static func cidrProblem(_ text: String) -> String? {
        guard let slash = text.firstIndex(of: "/") else {
            return isAddress(text) ? nil : "\"\(text)\" is not a valid IP address or CIDR block"
        }
        let address = String(text[..<slash])
        let bits = text[text.index(after: slash)...]
        guard let family = family(of: address) else {
            return "\"\(text)\" is not a valid CIDR block (bad address \"\(address)\")"
        }
        let maximum = family == .v4 ? 32 : 128
        guard let prefix = Int(bits), prefix >= 0, prefix <= maximum, !bits.hasPrefix("+") else {
            return "\"\(text)\" is not a valid CIDR block (prefix length must be 0-\(maximum))"
        }
        return nil
    }
}
