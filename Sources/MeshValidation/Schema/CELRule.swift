import MeshConfig
import MeshCore

/// A CRD `x-kubernetes-validations` rule. Istio's CRDs use a small, fixed set of CEL
/// expressions; each is recognised by its text and checked natively. A rule we do
/// not recognise is kept as `.unrecognised` and skipped (the semantic validators
/// cover the same ground).
struct CELRule: Sendable {
    let rule: String
    let message: String
    let check: CELCheck

    init(rule: String, message: String) {
        self.rule = rule
        self.message = message
        self.check = CELCheck(rule: rule)
    }
}

enum CELCheck: Sendable, Equatable {
    case durationAtLeastOneMillisecond
    case portRange
    case emptyString
    case mapKeysWithoutWildcard
    case mapKeysNotEmpty
    case stringWithoutWildcard
    case unixAddressHasNoPorts
    case unixPathAbsolute
    case unixPathNotDirectory
    case mapKeysArePortNames
    case mapKeysArePortNumbers
    /// `(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) ... <= 1`
    case atMostOneOf([String])
    /// `has(self.a) || has(self.b)`
    case atLeastOneOf([String])
    case httpURL
    case cidrOnlyForNoneOrStatic
    case noneResolutionWithoutEndpoints
    case dnsRoundRobinSingleEndpoint
    case notWildcard
    case uniquePortNumbers
    case schemeHTTPOrHTTPS
    case valueOnlyWhenInline
    case serviceAccountsExclusive
    case portLevelRequiresSelector
    case upsertNeedsValue
    case removeHasNoValue
    case unrecognised

    init(rule: String) {
        switch rule {
        case "duration(self) >= duration('1ms')": self = .durationAtLeastOneMillisecond
        case "0 < self && self <= 65535": self = .portRange
        case "self.size() == 0": self = .emptyString
        case "self.all(key, !key.contains(\"*\"))": self = .mapKeysWithoutWildcard
        case "self.all(key, key.size() != 0)": self = .mapKeysNotEmpty
        case "!self.contains(\"*\")": self = .stringWithoutWildcard
        case "(has(self.address) ? self.address : \"\").startsWith(\"unix://\") ? !has(self.ports) : true": self = .unixAddressHasNoPorts
        case "self.startsWith(\"unix://\") ? (self.substring(7, 8) == \"/\" || self.substring(7, 8) == \"@\") : true": self = .unixPathAbsolute
        case "self.startsWith(\"unix://\") ? !self.endsWith(\"/\") : true": self = .unixPathNotDirectory
        case "self.all(key, size(key) < 63 && key.matches(\"^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$\"))": self = .mapKeysArePortNames
        case "self.all(key, 0 < int(key) && int(key) <= 65535)": self = .mapKeysArePortNumbers
        case "url(self).getScheme() in [\"http\", \"https\"]": self = .httpURL
        case "self != \"*\"": self = .notWildcard
        case "self.all(l1, self.exists_one(l2, l1.number == l2.number))": self = .uniquePortNumbers
        case "self in [\"\", \"HTTP\", \"HTTPS\"]": self = .schemeHTTPOrHTTPS
        case "(has(self.valueFrom) ? self.valueFrom : \"\") != \"HOST\" || !has(self.value)": self = .valueOnlyWhenInline
        default:
            if rule.contains("CIDR") || rule.contains("exists(k, k.contains(\"/\"))") { self = .cidrOnlyForNoneOrStatic }
            else if rule.contains("== \"NONE\") ? !has(self.endpoints)") { self = .noneResolutionWithoutEndpoints }
            else if rule.contains("DNS_ROUND_ROBIN") { self = .dnsRoundRobinSingleEndpoint }
            else if rule.contains("has(self.serviceAccounts) || has(self.notServiceAccounts)") { self = .serviceAccountsExclusive }
            else if rule.hasPrefix("has(self.portLevelMtls)") { self = .portLevelRequiresSelector }
            else if rule.contains("== \"UPSERT\")") { self = .upsertNeedsValue }
            else if rule.contains("== \"REMOVE\")") { self = .removeHasNoValue }
            else if rule.hasSuffix("<= 1"), rule.contains("? 1 : 0") { self = .atMostOneOf(Self.hasFields(in: rule)) }
            else if rule.contains(" || "), rule.hasPrefix("has(self."), !rule.contains("?") { self = .atLeastOneOf(Self.hasFields(in: rule)) }
            else { self = .unrecognised }
        }
    }

    /// Field names inside `has(self.NAME)`.
    static func hasFields(in rule: String) -> [String] {
        var names: [String] = []
        var rest = Substring(rule)
        while let start = rest.range(of: "has(self.") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: ")") else { break }
            names.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return names
    }

    /// True when `node` satisfies the rule.
    func holds(for node: ConfigNode) -> Bool {
        switch self {
        case .durationAtLeastOneMillisecond:
            guard let text = node.string, let value = try? GoDuration.parse(text) else { return false }
            return value >= GoDuration.millisecond
        case .portRange:
            guard case .int(let value) = node.value else { return true }
            return value > 0 && value <= 65535
        case .emptyString:
            return (node.string ?? "").isEmpty
        case .mapKeysWithoutWildcard:
            return (node.entries ?? []).allSatisfy { !$0.key.contains("*") }
        case .mapKeysNotEmpty:
            return (node.entries ?? []).allSatisfy { !$0.key.isEmpty }
        case .stringWithoutWildcard:
            return !(node.string ?? "").contains("*")
        case .unixAddressHasNoPorts:
            guard let address = node["address"]?.string, address.hasPrefix("unix://") else { return true }
            return node["ports"] == nil
        case .unixPathAbsolute:
            guard let text = node.string, text.hasPrefix("unix://") else { return true }
            let rest = text.dropFirst(7)
            return rest.hasPrefix("/") || rest.hasPrefix("@")
        case .unixPathNotDirectory:
            guard let text = node.string, text.hasPrefix("unix://") else { return true }
            return !text.hasSuffix("/")
        case .mapKeysArePortNames:
            return (node.entries ?? []).allSatisfy { $0.key.utf8.count < 63 && HostName.isLabel($0.key) }
        case .mapKeysArePortNumbers:
            return (node.entries ?? []).allSatisfy { entry in
                guard let port = Int(entry.key) else { return false }
                return port > 0 && port <= 65535
            }
        case .atMostOneOf(let fields):
            return fields.filter { node[$0] != nil }.count <= 1
        case .atLeastOneOf(let fields):
            return fields.contains { node[$0] != nil }
        case .httpURL:
            guard let text = node.string else { return true }
            return text.hasPrefix("http://") || text.hasPrefix("https://")
        case .cidrOnlyForNoneOrStatic:
            let resolution = node["resolution"]?.string ?? "NONE"
            let hasCIDR = (node["addresses"]?.items ?? []).contains { ($0.string ?? "").contains("/") }
            return !(hasCIDR && resolution != "STATIC" && resolution != "NONE")
        case .noneResolutionWithoutEndpoints:
            return (node["resolution"]?.string ?? "NONE") != "NONE" || node["endpoints"] == nil
        case .dnsRoundRobinSingleEndpoint:
            return node["resolution"]?.string != "DNS_ROUND_ROBIN" || (node["endpoints"]?.items?.count ?? 0) <= 1
        case .notWildcard:
            return node.string != "*"
        case .uniquePortNumbers:
            var seen = Set<Int64>()
            for item in node.items ?? [] {
                guard case .int(let number) = item["number"]?.value else { continue }
                if !seen.insert(number).inserted { return false }
            }
            return true
        case .schemeHTTPOrHTTPS:
            return ["", "HTTP", "HTTPS"].contains(node.string ?? "")
        case .valueOnlyWhenInline:
            return node["valueFrom"]?.string != "HOST" || node["value"] == nil
        case .serviceAccountsExclusive:
            guard node["serviceAccounts"] != nil || node["notServiceAccounts"] != nil else { return true }
            return ["principals", "notPrincipals", "namespaces", "notNamespaces"].allSatisfy { node[$0] == nil }
        case .portLevelRequiresSelector:
            guard node["portLevelMtls"] != nil else { return true }
            return !(node["selector"]?["matchLabels"]?.entries ?? []).isEmpty
        case .upsertNeedsValue:
            return node["operation"]?.string != "UPSERT" || !(node["value"]?.string ?? "").isEmpty
        case .removeHasNoValue:
            return node["operation"]?.string != "REMOVE" || node["value"] == nil
        case .unrecognised:
            return true
        }
    }
}
