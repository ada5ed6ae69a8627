import NIOCore

extension ByteBuffer {
    /// Writes a non-negative integer in decimal, without building a String.
    mutating func writeDecimal(_ value: Int) {
        var value = Swift.max(0, value)
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var start = raw.count
            repeat {
                start -= 1
                raw[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            writeBytes(UnsafeRawBufferPointer(rebasing: raw[start...]))
        }
    }
}
