/// The two HTTP/1 minor versions.
public enum HTTPVersion1: UInt8, Sendable {
    case http10
    case http11

    static func parse(_ bytes: UnsafeRawBufferPointer) -> HTTPVersion1? {
        guard bytes.count == 8,
              bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
              bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"), bytes[5] == UInt8(ascii: "1"),
              bytes[6] == UInt8(ascii: ".") else { return nil }
        switch bytes[7] {
        case UInt8(ascii: "1"): return .http11
        case UInt8(ascii: "0"): return .http10
        default: return nil
        }
    }
}
