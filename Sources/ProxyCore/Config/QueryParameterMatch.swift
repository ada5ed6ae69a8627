/// Envoy's QueryParameterMatcher: the first parameter with this exact name (no
/// decoding, as Envoy compares the raw query) must match, or just be present.
public struct QueryParameterMatch: Sendable {
    public enum Rule: Sendable {
        case string(StringMatch)
        case present
    }

    public let name: [UInt8]
    public let rule: Rule

    public init(name: String, rule: Rule) {
        self.name = Array(name.utf8)
        self.rule = rule
    }

    func matches(path: UnsafeRawBufferPointer) -> Bool {
        guard let value = Self.value(of: name, in: path) else { return false }
        switch rule {
        case .present: return true
        case .string(let matcher): return matcher.matches(value)
        }
    }

    /// The raw value of the first `name=` (or bare `name`) parameter in the query.
    static func value(of name: [UInt8], in path: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var index = 0
        while index < path.count, path[index] != UInt8(ascii: "?") {
            if path[index] == UInt8(ascii: "#") { return nil }
            index += 1
        }
        var start = index + 1
        while start < path.count {
            var end = start
            while end < path.count, path[end] != UInt8(ascii: "&"), path[end] != UInt8(ascii: "#") { end += 1 }
            var equals = start
            while equals < end, path[equals] != UInt8(ascii: "=") { equals += 1 }
            let key = UnsafeRawBufferPointer(rebasing: path[start..<equals])
            if ASCII.equals(key, name) {
                return UnsafeRawBufferPointer(rebasing: path[min(equals + 1, end)..<end])
            }
            if end < path.count, path[end] == UInt8(ascii: "#") { return nil }
            start = end + 1
        }
        return nil
    }
}
