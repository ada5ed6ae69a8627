/// Lowercase hexadecimal for trace ids, read from and written to raw bytes.
public enum Hex {
    /// `count` (at most 16) hex digits at `start` as a number; nil on any other byte.
    @inline(__always) public static func parse(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> UInt64? {
        guard count <= 16, start >= 0, start + count <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in start..<(start + count) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// Writes `value` as 16 lowercase hex digits at `offset`; returns the next offset.
    @inline(__always) @discardableResult
    public static func write(_ value: UInt64, into out: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        for nibble in 0..<16 {
            let digit = UInt8(truncatingIfNeeded: (value >> UInt64(60 - 4 * nibble)) & 0xF)
            out[offset + nibble] = digit < 10 ? UInt8(ascii: "0") &+ digit : UInt8(ascii: "a") &+ digit &- 10
        }
        return offset + 16
    }

    /// 16 hex digits as a String (span ids in JSON, tests).
    public static func string(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            write(value, into: UnsafeMutableRawBufferPointer(buffer), at: 0)
        }
    }
}
