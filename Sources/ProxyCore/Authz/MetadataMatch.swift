/// Envoy's MetadataMatcher: the value at `filter` / `path` in the request's dynamic
/// metadata tested by a ValueMatcher, optionally inverted.
public struct MetadataMatch: Sendable {
    /// Envoy's ValueMatcher.
    public indirect enum ValueRule: Sendable {
        case null
        /// `[start, end)` or exact.
        case doubleRange(start: Double, end: Double)
        case doubleExact(Double)
        case string(StringMatch)
        case bool(Bool)
        /// true: any value is there; false never matches (as Envoy).
        case present(Bool)
        /// A list with some element matching.
        case listOneOf(ValueRule)
        case or([ValueRule])
    }

    public let filter: String
    public let path: [String]
    public let rule: ValueRule
    public let invert: Bool

    public init(filter: String, path: [String], rule: ValueRule, invert: Bool = false) {
        self.filter = filter
        self.path = path
        self.rule = rule
        self.invert = invert
    }

    public func matches(_ metadata: DynamicMetadata) -> Bool {
        Self.matches(rule, metadata.value(filter: filter, path: path)) != invert
    }

    static func matches(_ rule: ValueRule, _ value: MetadataValue?) -> Bool {
        switch rule {
        case .null:
            return value == .null
        case .doubleRange(let start, let end):
            guard case .number(let number)? = value else { return false }
            return number >= start && number < end
        case .doubleExact(let expected):
            guard case .number(let number)? = value else { return false }
            return number == expected
        case .string(let matcher):
            guard case .string(let text)? = value else { return false }
            var copy = text
            return copy.withUTF8 { matcher.matches(UnsafeRawBufferPointer($0)) }
        case .bool(let expected):
            guard case .bool(let flag)? = value else { return false }
            return flag == expected
        case .present(let expected):
            return expected && value != nil
        case .listOneOf(let element):
            guard case .list(let items)? = value else { return false }
            return items.contains { matches(element, $0) }
        case .or(let rules):
            return rules.contains { matches($0, value) }
        }
    }
}
