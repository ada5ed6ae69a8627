/// RFC 3986 path canonicalisation as Envoy's `normalize_path` does it (Envoy hands
/// the path before `?` to the googleurl library; this follows the version Envoy
/// 1.40 ships, checked against the binary): `.` and `..` segments (also written
/// `%2e`) are resolved and never climb above the root, `\` becomes `/`,
/// escapes of unreserved characters (letters, digits, `-` `_` `~`) are decoded,
/// other valid escapes are kept with their original hex case, characters that are
/// not allowed in a path are escaped (upper-case hex), and a malformed `%` stays.
/// An escaped NUL (`%00`) makes the path invalid (Envoy: 400).
public enum URLPathCanonicalizer {
    enum Kind: UInt8 {
        /// Copied as is.
        case pass
        /// Decoded when escaped, copied as is otherwise.
        case unescape
        /// Written escaped.
        case escape
        /// `.`, `\`, `%`: handled one by one.
        case special
        /// NUL: refused when escaped, escaped when raw.
        case invalid
    }

    /// nil: the path cannot be canonicalised (the request is rejected).
    public static func canonicalize(_ path: UnsafeRawBufferPointer) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(path.count + 8)
        if path.isEmpty || !isSlash(path[0]) { output.append(slash) }
        var valid = true
        var index = 0
        let end = path.count
        while index < end {
            let byte = path[index]
            switch table[Int(byte)] {
            case .pass, .unescape:
                output.append(byte)
            case .escape:
                appendEscaped(byte, to: &output)
            case .invalid:
                appendEscaped(byte, to: &output)
                valid = false
            case .special:
                if let dot = dotLength(path, index) {
                    index = handleDot(path, at: index, length: dot, output: &output)
                    continue
                } else if byte == backslash {
                    output.append(slash)
                } else if byte == percent {
                    if let value = decodedEscape(path, index) {
                        switch table[Int(value)] {
                        case .unescape:
                            output.append(value)
                        case .invalid:
                            output.append(contentsOf: [percent, path[index + 1], path[index + 2]])
                            valid = false
                        default:
                            output.append(contentsOf: [percent, path[index + 1], path[index + 2]])
                        }
                        index += 3
                        continue
                    }
                    output.append(percent)
                } else {
                    appendEscaped(byte, to: &output)
                }
            }
            index += 1
        }
        return valid ? output : nil
    }

    /// A dot (or `%2e`) at `index`; returns the next input index.
    private static func handleDot(_ path: UnsafeRawBufferPointer, at index: Int, length: Int, output: inout [UInt8]) -> Int {
        // Only a dot right after a slash can start a `.` / `..` segment.
        guard output.last == slash else {
            output.append(dot)
            return index + length
        }
        let after = index + length
        if after == path.count { return after }
        if isSlash(path[after]) { return after + 1 }
        if let second = dotLength(path, after) {
            let afterSecond = after + second
            if afterSecond == path.count || isSlash(path[afterSecond]) {
                backUpToPreviousSlash(&output)
                return afterSecond == path.count ? afterSecond : afterSecond + 1
            }
        }
        output.append(dot)
        return after
    }

    /// Drops the last segment: the output ends with a slash and keeps the root one.
    private static func backUpToPreviousSlash(_ output: inout [UInt8]) {
        var position = output.count - 1
        guard position > 0 else { return }
        repeat { position -= 1 } while position > 0 && output[position] != slash
        output.removeSubrange((position + 1)...)
    }

    static func dotLength(_ path: UnsafeRawBufferPointer, _ index: Int) -> Int? {
        if path[index] == dot { return 1 }
        if path[index] == percent, index + 2 < path.count, path[index + 1] == UInt8(ascii: "2"),
           path[index + 2] | 0x20 == UInt8(ascii: "e") {
            return 3
        }
        return nil
    }

    static func decodedEscape(_ path: UnsafeRawBufferPointer, _ index: Int) -> UInt8? {
        guard index + 2 < path.count, let high = hexValue(path[index + 1]), let low = hexValue(path[index + 2]) else { return nil }
        return high << 4 | low
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(percent)
        output.append(upperHex[Int(byte >> 4)])
        output.append(upperHex[Int(byte & 0x0F)])
    }

    @inline(__always) private static func isSlash(_ byte: UInt8) -> Bool { byte == slash || byte == backslash }

    static let slash = UInt8(ascii: "/")
    static let backslash = UInt8(ascii: "\\")
    static let percent = UInt8(ascii: "%")
    static let dot = UInt8(ascii: ".")
    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// googleurl's path character classes.
    static let table: [Kind] = {
        var table = [Kind](repeating: .escape, count: 256)
        table[0] = .invalid
        for byte in UInt8(0x21)...UInt8(0x7E) { table[Int(byte)] = .pass }
        for byte in "\"#<>?[\\]^`{|}".utf8 { table[Int(byte)] = .escape }
        // '[' and ']' pass in googleurl; '\' is special (a separator).
        table[Int(UInt8(ascii: "["))] = .pass
        table[Int(UInt8(ascii: "]"))] = .pass
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = .unescape }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = .unescape }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = .unescape }
        for byte in "-_~".utf8 { table[Int(byte)] = .unescape }
        for byte in ".\\%".utf8 { table[Int(byte)] = .special }
        return table
    }()
}
