/// Bytes as hex text: lower-case for trace and span ids (OTLP), certificate serial
/// numbers (Envoy's `/certs`) and digests; upper-case pairs for escapes (`%XX`, `\\XX`).
public enum HexText {
    private static let lower = Array("0123456789abcdef".utf8)
    private static let upper = Array("0123456789ABCDEF".utf8)

    public static func lowercase(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(lower[Int(byte >> 4)])
            out.append(lower[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `byte` as two upper-case hex digits.
    public static func appendUppercase(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(upper[Int(byte >> 4)])
        out.append(upper[Int(byte & 0xF)])
    }
}
