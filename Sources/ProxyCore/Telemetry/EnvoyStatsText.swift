import MeshCore

/// Envoy's admin `/stats` text: one `name: value` line per stat, sorted by name, and
/// `?filter=REGEX` keeping the names the regex finds anywhere in them (Envoy's
/// default filter is a partial match, RE2 as here).
public enum EnvoyStatsText {
    public static func render(_ counters: [String: UInt64], filter: String? = nil) throws(RegexPattern.CompileError) -> String {
        // A partial match through RE2's full match: anything around the pattern.
        var pattern: RegexPattern?
        if let filter { pattern = try RegexPattern("(?s).*(?:\(filter)).*") }
        var text = ""
        for name in counters.keys.sorted() where pattern?.fullMatch(name) ?? true {
            text += "\(name): \(counters[name]!)\n"
        }
        return text
    }

    /// The `filter` value of a query string, percent-decoded ('+' is a space).
    public static func filter(inQuery query: Substring) -> String? {
        for pair in query.split(separator: "&") where pair.hasPrefix("filter=") {
            return percentDecoded(pair.dropFirst("filter=".count))
        }
        return nil
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
