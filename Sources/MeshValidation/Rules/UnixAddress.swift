import MeshCore

/// `unix://` addresses (Istio's `ValidateUnixAddress`): an absolute file path, or an
/// abstract socket `@name`.
enum UnixAddress {
    static let prefix = "unix://"

    /// Why `address` (with its `unix://` prefix) is not a usable socket address, or nil.
    static func problem(_ address: String) -> String? {
        let path = address.hasPrefix(prefix) ? String(address.dropFirst(prefix.count)) : address
        if path.isEmpty { return "unix address must not be empty" }
        if path.hasPrefix("@") { return nil }
        if !path.hasPrefix("/") || path.hasSuffix("/") {
            return "unix socket \"\(path)\" must be an absolute path to a file (or @abstract)"
        }
        return nil
    }
}
