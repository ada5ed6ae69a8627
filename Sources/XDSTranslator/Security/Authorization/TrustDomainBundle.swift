/// The mesh's trust domain and its aliases (MeshConfig `trustDomainAliases`), as
/// Istio applies them to authorization principals: a principal naming one of them,
/// or `cluster.local` (which stands for the local trust domain), is matched in
/// every one, so a policy keeps working while the mesh migrates trust domains.
struct TrustDomainBundle: Equatable {
    static let clusterLocal = "cluster.local"

    /// The local trust domain first, then its aliases.
    let trustDomains: [String]

    init(trustDomain: String, aliases: [String] = []) {
        trustDomains = [trustDomain] + aliases.filter { $0 != trustDomain }
    }

    /// `td/ns/NS/sa/SA` principals rewritten for every trust domain of the bundle;
    /// others (a `*` trust domain, not that shape, a foreign trust domain) as they are.
    func replacingAliases(_ principals: [String]) -> [String] {
        var result: [String] = []
        func add(_ value: String) { if !result.contains(value) { result.append(value) } }
        for principal in principals {
            let parts = principal.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 5, parts[0] != "*" else { add(principal); continue }
            let domain = parts[0]
            guard Self.matches(domain, trustDomains) || domain == Self.clusterLocal else { add(principal); continue }
            for trustDomain in trustDomains {
                // A wildcard trust domain (`*-td`) already covers this one: keep it as written.
                if domain.hasPrefix("*") && trustDomain.hasSuffix(String(domain.dropFirst())) {
                    add(principal)
                } else {
                    add(([trustDomain] + parts.dropFirst()).joined(separator: "/"))
                }
            }
        }
        return result
    }

    /// `trustDomains` values: one of the bundle's stands for all of them.
    func expanding(_ values: [String]) -> [String] {
        var result: [String] = []
        for value in values {
            for expanded in trustDomains.contains(value) ? trustDomains : [value] where !result.contains(expanded) {
                result.append(expanded)
            }
        }
        return result
    }

    /// Istio's authz string match: exact, `*`, `prefix*` or `*suffix`.
    static func matches(_ value: String, _ patterns: [String]) -> Bool {
        patterns.contains { pattern in
            pattern == value || pattern == "*"
                || (pattern.hasSuffix("*") && value.hasPrefix(String(pattern.dropLast())))
                || (pattern.hasPrefix("*") && value.hasSuffix(String(pattern.dropFirst())))
        }
    }
}
