/// Envoy's HeaderMatcher. Pseudo-headers (`:method`, `:authority`, `:path`,
/// `:scheme`) read the request line and Host. A missing header fails every rule
/// except `present_match: false`; `invert_match` then flips the result.
public struct HeaderMatch: Sendable {
    public enum Rule: Sendable {
        case string(StringMatch)
        case present(Bool)
        /// `[start, end)` on the value read as a signed integer.
        case range(start: Int64, end: Int64)
    }

    /// Lower-case name.
    public let name: [UInt8]
    public let rule: Rule
    public let invert: Bool
    public let treatMissingAsEmpty: Bool

    public init(name: String, rule: Rule, invert: Bool = false, treatMissingAsEmpty: Bool = false) {
        self.name = Array(name.utf8).map(ASCII.lower)
        self.rule = rule
        self.invert = invert
        self.treatMissingAsEmpty = treatMissingAsEmpty
    }

    func matches(_ request: RouteRequest) -> Bool {
        let result: Bool = request.withHeaderValue(named: name) { value in
            switch rule {
            case .present(let expected):
                return (value != nil) == expected
            case .string(let matcher):
                if let value { return matcher.matches(value) }
                return treatMissingAsEmpty && matcher.matches(UnsafeRawBufferPointer(start: nil, count: 0))
            case .range(let start, let end):
                guard let value, let number = Self.signedDecimal(value) else { return false }
                return number >= start && number < end
            }
        }
        return result != invert
    }

    /// The result for a request without this header (RBAC on TCP sees no headers).
    func matchesAbsent() -> Bool {
        let result: Bool
        switch rule {
        case .present(let expected): result = !expected
        case .string(let matcher): result = treatMissingAsEmpty && matcher.matches(UnsafeRawBufferPointer(start: nil, count: 0))
        case .range: result = false
        }
        return result != invert
    }

    static func signedDecimal(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let first = bytes.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        let digits = UnsafeRawBufferPointer(rebasing: bytes[(negative ? 1 : 0)...])
        guard let value = ASCII.decimal(digits) else { return nil }
        return negative ? -Int64(value) : Int64(value)
    }
}
