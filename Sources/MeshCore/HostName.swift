/// Host-name rules shared by every Istio kind that names hosts (DNS-1123 labels,
/// Istio's wildcard prefix, `namespace/host` references). Checked on bytes: these
/// run for every host of every object.
public enum HostName {
    public static let maxLength = 255
    public static let maxLabelLength = 63

    /// A DNS-1123 label, letters of either case: `[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?`.
    public static func isLabel<S: StringProtocol>(_ label: S) -> Bool {
        let bytes = Array(label.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLabelLength else { return false }
        guard isAlphanumeric(bytes.first!), isAlphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// A first label with Istio's wildcard prefix: `*`, `*foo`, `*-foo` or a plain label.
    public static func isWildcardLabel<S: StringProtocol>(_ label: S) -> Bool {
        if label == "*" { return true }
        if label.hasPrefix("*-") { return isLabel(label.dropFirst(2)) && label.count <= maxLabelLength }
        if label.hasPrefix("*") { return isLabel(label.dropFirst()) && label.count <= maxLabelLength }
        return isLabel(label)
    }

    /// Why `host` is not a valid DNS name (wildcards allowed only in the first label),
    /// or nil when it is. A single trailing dot (absolute name) is accepted.
    public static func wildcardDomainProblem(_ host: String, allowWildcard: Bool = true) -> String? {
        if host.isEmpty { return "empty host name" }
        if host.utf8.count > maxLength { return "host name \"\(host)\" is too long (max \(maxLength) characters)" }
        var name = Substring(host)
        if name.hasSuffix(".") && name.count > 1 { name = name.dropLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            let ok = index == 0 && allowWildcard ? isWildcardLabel(label) : isLabel(label)
            if !ok {
                if label.contains("*") && (!allowWildcard || index > 0) {
                    return "host \"\(host)\" is invalid: a wildcard is only allowed as the prefix of the first label"
                }
                return "host \"\(host)\" is invalid (label \"\(label)\" is not a DNS-1123 label)"
            }
        }
        return nil
    }

    public static func isWildcard(_ host: String) -> Bool { host.hasPrefix("*") }

    /// Kubernetes DNS-1123 subdomain (object names, namespaces with dots): lower case only.
    public static func isDNS1123Subdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = label.utf8
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
                && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// Kubernetes DNS-1123 label (namespaces, port names): lower case, at most 63.
    public static func isDNS1123LowercaseLabel<S: StringProtocol>(_ name: S) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= maxLabelLength else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    public static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    public static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 122)
    }
}
