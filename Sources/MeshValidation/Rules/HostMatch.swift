/// Host overlap as Istio computes it: equal, or one wildcard covers the other.
enum HostMatch {
    static func overlaps(_ a: String, _ b: String) -> Bool {
        let a = a.lowercased(), b = b.lowercased()
        if a == b { return true }
        return covers(a, b) || covers(b, a)
    }

    /// True when wildcard `pattern` (e.g. `*.example.com`, `*`) matches `host`.
    static func covers(_ pattern: String, _ host: String) -> Bool {
        guard pattern.hasPrefix("*") else { return pattern == host }
        let suffix = pattern.dropFirst()
        if suffix.isEmpty { return true }
        if host.hasPrefix("*") { return host.dropFirst().hasSuffix(suffix) }
        return host.hasSuffix(suffix) && host.count > suffix.count
    }
}
