/// Prefix / suffix / substring tests of request bytes against configured patterns.
/// Patterns for case-insensitive tests are already lower-case.
enum ByteMatch {
    @inline(__always) static func hasPrefix(_ value: UnsafeRawBufferPointer, _ pattern: [UInt8], ignoreCase: Bool) -> Bool {
        guard value.count >= pattern.count else { return false }
        return equal(value, offset: 0, pattern, ignoreCase: ignoreCase)
    }

    @inline(__always) static func hasSuffix(_ value: UnsafeRawBufferPointer, _ pattern: [UInt8], ignoreCase: Bool) -> Bool {
        guard value.count >= pattern.count else { return false }
        return equal(value, offset: value.count - pattern.count, pattern, ignoreCase: ignoreCase)
    }

    static func contains(_ value: UnsafeRawBufferPointer, _ pattern: [UInt8], ignoreCase: Bool) -> Bool {
        guard value.count >= pattern.count else { return false }
        var offset = 0
        while offset + pattern.count <= value.count {
            if equal(value, offset: offset, pattern, ignoreCase: ignoreCase) { return true }
            offset += 1
        }
        return false
    }

    @inline(__always) static func equal(_ value: UnsafeRawBufferPointer, offset: Int, _ pattern: [UInt8], ignoreCase: Bool) -> Bool {
        pattern.withUnsafeBufferPointer { pattern in
            var index = 0
            if ignoreCase {
                while index < pattern.count {
                    if ASCII.lower(value[offset + index]) != pattern[index] { return false }
                    index += 1
                }
            } else {
                while index < pattern.count {
                    if value[offset + index] != pattern[index] { return false }
                    index += 1
                }
            }
            return true
        }
    }
}
