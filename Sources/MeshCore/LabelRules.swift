/// Kubernetes label syntax (keys `prefix/name`, values), used by selectors and subsets.
public enum LabelRules {
    /// Why `key` is not a valid label key, or nil.
    public static func keyProblem(_ key: String) -> String? {
        if key.isEmpty { return "label key must not be empty" }
        var name = Substring(key)
        if let slash = key.firstIndex(of: "/") {
            let prefix = key[..<slash]
            name = key[key.index(after: slash)...]
            if prefix.isEmpty || !HostName.isDNS1123Subdomain(String(prefix)) {
                return "label key \"\(key)\" has an invalid prefix (must be a DNS-1123 subdomain)"
            }
        }
        if !isQualifiedNamePart(name) {
            return "label key \"\(key)\" is invalid (name part must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric)"
        }
        return nil
    }

    /// Why `value` is not a valid label value, or nil.
    public static func valueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if !isQualifiedNamePart(Substring(value)) {
            return "label value \"\(value)\" is invalid (at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric)"
        }
        return nil
    }

    static func isQualifiedNamePart(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        return HostName.isAlphanumeric(first) && HostName.isAlphanumeric(last) && bytes.allSatisfy {
            HostName.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }
}
