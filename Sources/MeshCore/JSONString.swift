/// JSON string literals written on bytes (RFC 8259 §7): quote, backslash and
/// control characters are escaped, everything else (UTF-8 included) passes
/// through. Foundation-free, for the proxy's access logs and admin pages.
public enum JSONString {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    /// Appends `"…"` with `bytes` escaped.
    public static func write(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        out.append(quote)
        let start = out.count
        out.append(contentsOf: bytes)
        escapeInPlace(&out, from: start)
        out.append(quote)
    }

    /// JSON-escapes `out[start...]`; the common case (nothing to escape) only scans.
    public static func escapeInPlace(_ out: inout [UInt8], from start: Int) {
        guard out[start...].contains(where: { $0 < 0x20 || $0 == quote || $0 == backslash }) else { return }
        let raw = Array(out[start...])
        out.removeSubrange(start...)
        for byte in raw {
            switch byte {
            case quote: out.append(contentsOf: [backslash, quote])
            case backslash: out.append(contentsOf: [backslash, backslash])
            case UInt8(ascii: "\n"): out.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
    }
}
