/// Byte-level helpers for HTTP/1 text: everything the parser and the route matcher
/// need without building Strings.
public enum ASCII {
    @inline(__always) public static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// RFC 9110 `tchar`: the characters allowed in methods and header names.
    @inline(__always) static func isToken(_ byte: UInt8) -> Bool {
        tokenTable[Int(byte)]
    }

    /// Field values may hold visible characters, spaces, tabs and obs-text, never
    /// other controls (a bare CR or a NUL is how request smuggling starts).
    @inline(__always) static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == 0x09
    }

    private static let tokenTable: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for byte in "!#$%&'*+-.^_`|~".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// Case-insensitive equality of `bytes` with an already lower-case pattern.
    @inline(__always) public static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowered: [UInt8]) -> Bool {
        guard bytes.count == lowered.count else { return false }
        return lowered.withUnsafeBufferPointer { pattern in
            for index in 0..<pattern.count where lower(bytes[index]) != pattern[index] { return false }
            return true
        }
    }

    @inline(__always) public static func equals(_ bytes: UnsafeRawBufferPointer, _ other: [UInt8]) -> Bool {
        guard bytes.count == other.count else { return false }
        return other.withUnsafeBytes { pattern in
            pattern.count == 0 || memcmpEqual(bytes.baseAddress!, pattern.baseAddress!, pattern.count)
        }
    }

    @inline(__always) static func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var index = 0
        while index < count {
            if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
            index &+= 1
        }
        return true
    }

    /// Parses a non-negative decimal without sign or spaces; nil when it is not one
    /// or would overflow (Content-Length, chunk sizes are checked separately).
    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }
}
