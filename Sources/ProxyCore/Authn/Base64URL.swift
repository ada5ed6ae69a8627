/// Base64url (RFC 4648 §5) as JWTs use it: padding optional.
public enum Base64URL {
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for byte in text {
            if byte == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0, let value = value(byte) else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        // A lone leftover character (6 bits) cannot encode a byte.
        guard bits < 6, padding <= 2 else { return nil }
        return output
    }

    /// Standard padding added to a base64url text (Envoy's `pad_forward_payload_header`).
    public static func padded(_ text: [UInt8]) -> [UInt8] {
        let remainder = text.count % 4
        return remainder == 0 ? text : text + [UInt8](repeating: UInt8(ascii: "="), count: 4 - remainder)
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"), UInt8(ascii: "+"): return 62
        case UInt8(ascii: "_"), UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
