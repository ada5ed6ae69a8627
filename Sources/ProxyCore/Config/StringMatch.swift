import MeshCore

/// Envoy's StringMatcher, compiled: patterns are byte arrays (lower-cased up front
/// when matching ignores case), so matching reads request bytes in place.
public struct StringMatch: Sendable {
    public enum Pattern: Sendable {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        /// Whole-value RE2 match; `ignoreCase` does not apply (as in Envoy).
        case regex(RegexPattern)
    }

    public let pattern: Pattern
    public let ignoreCase: Bool

    public init(_ pattern: Pattern, ignoreCase: Bool = false) {
        self.ignoreCase = ignoreCase
        guard ignoreCase else {
            self.pattern = pattern
            return
        }
        switch pattern {
        case .exact(let bytes): self.pattern = .exact(bytes.map(ASCII.lower))
        case .prefix(let bytes): self.pattern = .prefix(bytes.map(ASCII.lower))
        case .suffix(let bytes): self.pattern = .suffix(bytes.map(ASCII.lower))
        case .contains(let bytes): self.pattern = .contains(bytes.map(ASCII.lower))
        case .regex: self.pattern = pattern
        }
    }

    public func matches(_ value: UnsafeRawBufferPointer) -> Bool {
        switch pattern {
        case .exact(let bytes):
            return value.count == bytes.count && ByteMatch.hasPrefix(value, bytes, ignoreCase: ignoreCase)
        case .prefix(let bytes):
            return ByteMatch.hasPrefix(value, bytes, ignoreCase: ignoreCase)
        case .suffix(let bytes):
            return ByteMatch.hasSuffix(value, bytes, ignoreCase: ignoreCase)
        case .contains(let bytes):
            return ByteMatch.contains(value, bytes, ignoreCase: ignoreCase)
        case .regex(let regex):
            // RE2 takes a String; regex matchers are the rare case, so the copy is accepted.
            return regex.fullMatch(String(decoding: value, as: UTF8.self))
        }
    }
}
