/// Header values may use Envoy's `%VARIABLE%` substitutions; `%%` is a literal `%`.
/// Control characters (except tab) are never allowed.
enum HeaderValueFormat {
    static func problem(_ value: String) -> String? {
        for byte in value.utf8 where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            return "header value contains a control character"
        }
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else { index += 1; continue }
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "%") { index += 2; continue }
            if index + 1 >= bytes.count { return "header value has an un-escaped '%' (write %% for a literal %)" }
            // A variable: %NAME% or %NAME(args)%
            var cursor = index + 1
            var depth = 0
            var closed = false
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "(") { depth += 1 }
                else if byte == UInt8(ascii: ")") { depth -= 1 }
                else if byte == UInt8(ascii: "%") && depth <= 0 { closed = true; break }
                else if depth == 0 && !(HostName_isVariableByte(byte)) {
                    return "header value has an un-escaped '%' (write %% for a literal %)"
                }
                cursor += 1
            }
            if !closed { return "header value has an unterminated %VARIABLE% expression" }
            index = cursor + 1
        }
        return nil
    }

    private static func HostName_isVariableByte(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "_") || (byte >= 97 && byte <= 122)
    }
}
