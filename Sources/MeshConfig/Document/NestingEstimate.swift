/// A cheap upper bound on how deep a YAML text nests, used to decide whether the
/// recursive parser needs a thread with a large stack.
enum NestingEstimate {
    /// Below this estimate the caller's stack (512 KiB on worker threads) is ample.
    static let inlineLimit = 40

    static func mayExceedStack(_ bytes: [UInt8]) -> Bool {
        var flowDepth = 0
        var indent = 0
        var dashes = 0
        var atLineStart = true
        var quote: UInt8 = 0
        for byte in bytes {
            if quote != 0 {
                if byte == quote { quote = 0 }
                if byte == UInt8(ascii: "\n") { atLineStart = true; indent = 0; dashes = 0 }
                continue
            }
            switch byte {
            case UInt8(ascii: "\n"):
                atLineStart = true
                indent = 0
                dashes = 0
                continue
            case UInt8(ascii: " ") where atLineStart:
                indent += 1
                continue
            case UInt8(ascii: "-") where atLineStart:
                dashes += 1
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flowDepth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flowDepth = max(0, flowDepth - 1)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quote = byte
            default:
                break
            }
            atLineStart = false
            if flowDepth + 2 * (indent + dashes) + 2 > inlineLimit { return true }
        }
        return false
    }
}
