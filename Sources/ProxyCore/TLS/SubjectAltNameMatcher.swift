/// Envoy's SubjectAltNameMatcher: a SAN of one type whose value a string matcher
/// accepts (Istio: URI SAN `spiffe://td/ns/N/sa/S` exact).
public struct SubjectAltNameMatcher: Sendable {
    public enum Kind: Sendable, Hashable {
        case dns, uri, email, ipAddress
    }

    public var kind: Kind
    public var matcher: StringMatch

    public init(kind: Kind, matcher: StringMatch) {
        self.kind = kind
        self.matcher = matcher
    }

    /// Whether any of `names` (the certificate's SANs) satisfies this matcher.
    public func matches(_ names: [SubjectAltName]) -> Bool {
        names.contains { name in
            name.kind == kind && Array(name.value.utf8).withUnsafeBytes { matcher.matches($0) }
        }
    }

    /// Envoy accepts a peer when no matchers are configured or any one matches.
    public static func accepts(_ matchers: [SubjectAltNameMatcher], _ names: [SubjectAltName]) -> Bool {
        matchers.isEmpty || matchers.contains { $0.matches(names) }
    }
}

/// One subject alternative name of a certificate.
public struct SubjectAltName: Sendable, Hashable {
    public var kind: SubjectAltNameMatcher.Kind
    public var value: String

    public init(kind: SubjectAltNameMatcher.Kind, value: String) {
        self.kind = kind
        self.value = value
    }
}

extension SubjectAltNameMatcher {
    /// The same check (kind, pattern, case handling): a cluster whose matchers
    /// changed gets fresh connections.
    public func sameAs(_ other: SubjectAltNameMatcher) -> Bool {
        guard kind == other.kind, matcher.ignoreCase == other.matcher.ignoreCase else { return false }
        switch (matcher.pattern, other.matcher.pattern) {
        case (.exact(let a), .exact(let b)), (.prefix(let a), .prefix(let b)), (.suffix(let a), .suffix(let b)), (.contains(let a), .contains(let b)):
            return a == b
        case (.regex(let a), .regex(let b)):
            return a.pattern == b.pattern
        default:
            return false
        }
    }
}
