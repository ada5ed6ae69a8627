import NIOCore

/// Writes a random UUID v4 (Envoy's `x-request-id` form) straight into a buffer.
enum RequestIDWriter {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func write(into buffer: inout ByteBuffer, random: inout FastRandom) {
        var high = random.next()
        var low = random.next()
        // Version 4 and the RFC 4122 variant bits.
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 36) { out in
            hex.withUnsafeBufferPointer { hex in
                var index = 0
                func put(_ value: UInt64, nibbles: Int, shift: Int) {
                    for nibble in 0..<nibbles {
                        out[index] = hex[Int((value >> UInt64(shift - 4 * nibble)) & 0xF)]
                        index += 1
                    }
                }
                put(high, nibbles: 8, shift: 60)
                out[index] = UInt8(ascii: "-"); index += 1
                put(high, nibbles: 4, shift: 28)
                out[index] = UInt8(ascii: "-"); index += 1
                put(high, nibbles: 4, shift: 12)
                out[index] = UInt8(ascii: "-"); index += 1
                put(low, nibbles: 4, shift: 60)
                out[index] = UInt8(ascii: "-"); index += 1
                put(low, nibbles: 12, shift: 44)
            }
            return 36
        }
    }
}
