import MeshConfig
import XDSAPI

/// One AuthorizationPolicy rule in Istio's model: each `from` source is a list of
/// principal attributes (ANDed), each `to` operation a list of permission
/// attributes (ANDed), and every `when` condition is added to all of them on its
/// side; sources are ORed, operations are ORed. A rule without `from` (or `to`)
/// has one entry holding only the conditions (any when there are none).
struct RBACRuleModel {
    struct Entry {
        var attribute: RBACAttribute
        var values: [String]
        var notValues: [String]
    }

    var permissions: [[Entry]] = []
    var principals: [[Entry]] = []

    init(_ rule: Rule, policyNamespace: String) throws(RBACGenerationError) {
        var basePermission: [Entry] = []
        var basePrincipal: [Entry] = []
        for condition in rule.when ?? [] {
            let key = condition.key ?? ""
            let attribute = try Self.attribute(forCondition: key, policyNamespace: policyNamespace)
            let entry = Entry(attribute: attribute, values: condition.values ?? [], notValues: condition.notValues ?? [])
            guard !entry.values.isEmpty || !entry.notValues.isEmpty else { continue }
            if attribute.isPermission { basePermission.append(entry) } else { basePrincipal.append(entry) }
        }
        for from in rule.from ?? [] {
            var merged = basePrincipal
            if let source = from.source {
                // Istio inserts each at the front, so the last listed comes first.
                let fields: [(RBACAttribute, [String]?, [String]?)] = [
                    (.sourceIP, source.ipBlocks, source.notIpBlocks),
                    (.remoteIP, source.remoteIpBlocks, source.notRemoteIpBlocks),
                    (.sourceNamespace, source.namespaces, source.notNamespaces),
                    (.trustDomain, source.trustDomains, source.notTrustDomains),
                    (.serviceAccount(policyNamespace: policyNamespace), source.serviceAccounts, source.notServiceAccounts),
                    (.requestPrincipal, source.requestPrincipals, source.notRequestPrincipals),
                    (.sourcePrincipal, source.principals, source.notPrincipals),
                ]
                for (attribute, values, notValues) in fields {
                    Self.insertFront(&merged, attribute, values, notValues)
                }
            }
            principals.append(merged)
        }
        if (rule.from ?? []).isEmpty { principals.append(basePrincipal) }
        for to in rule.to ?? [] {
            var merged = basePermission
            if let operation = to.operation {
                let fields: [(RBACAttribute, [String]?, [String]?)] = [
                    (.destinationPort, operation.ports, operation.notPorts),
                    (.path, operation.paths, operation.notPaths),
                    (.method, operation.methods, operation.notMethods),
                    (.host, operation.hosts, operation.notHosts),
                ]
                for (attribute, values, notValues) in fields {
                    Self.insertFront(&merged, attribute, values, notValues)
                }
            }
            permissions.append(merged)
        }
        if (rule.to ?? []).isEmpty { permissions.append(basePermission) }
    }

    static func insertFront(_ entries: inout [Entry], _ attribute: RBACAttribute, _ values: [String]?, _ notValues: [String]?) {
        let values = values ?? [], notValues = notValues ?? []
        guard !values.isEmpty || !notValues.isEmpty else { return }
        entries.insert(Entry(attribute: attribute, values: values, notValues: notValues), at: 0)
    }

    /// Istio's `when` keys; anything else is not a condition Istio knows.
    static func attribute(forCondition key: String, policyNamespace: String) throws(RBACGenerationError) -> RBACAttribute {
        switch key {
        case "destination.ip": return .destinationIP
        case "destination.port": return .destinationPort
        case "connection.sni": return .serverName
        case "source.ip": return .sourceIP
        case "remote.ip": return .remoteIP
        case "source.namespace": return .sourceNamespace
        case "source.principal": return .sourcePrincipal
        case "source.serviceAccount": return .serviceAccount(policyNamespace: policyNamespace)
        case "request.auth.principal": return .requestPrincipal
        case "request.auth.audiences": return .requestAudiences
        case "request.auth.presenter": return .requestPresenter
        default: break
        }
        if key.hasPrefix("request.headers[") && key.hasSuffix("]") {
            return .requestHeader(String(key.dropFirst("request.headers[".count).dropLast()))
        }
        if key.hasPrefix("request.auth.claims[") && key.hasSuffix("]") {
            // Nested claims: request.auth.claims[a][b] -> [a, b].
            let inner = key.dropFirst("request.auth.claims[".count).dropLast()
            return .requestClaim(inner.components(separatedBy: "]["))
        }
        if key.hasPrefix("experimental.envoy.filters.") && key.hasSuffix("]"), let open = key.firstIndex(of: "[") {
            let filter = String(key[key.index(key.startIndex, offsetBy: "experimental.".count)..<open])
            return .envoyMetadata(filter: filter, key: String(key[key.index(after: open)...].dropLast()))
        }
        throw RBACGenerationError("unknown attribute \(key)")
    }

    /// The Envoy policy. An attribute that cannot apply (an HTTP attribute on a TCP
    /// chain, a bad value) drops the whole rule from an ALLOW policy (allowing less)
    /// and only itself from DENY / AUDIT (denying more), as Istio does.
    func policy(forTCP: Bool, action: Envoy_Config_Rbac_V3_RBAC.Action) throws(RBACGenerationError) -> Envoy_Config_Rbac_V3_Policy {
        var policy = Envoy_Config_Rbac_V3_Policy()
        for entries in permissions {
            var and: [Envoy_Config_Rbac_V3_Permission] = []
            for entry in entries {
                do throws(RBACGenerationError) {
                    if forTCP && entry.attribute.isHTTPOnly { throw RBACGenerationError("\(entry.attribute) is HTTP only") }
                    if let values = try entry.attribute.permission(entry.values) { and.append(values) }
                    if let excluded = try entry.attribute.permission(entry.notValues) { and.append(RBACPolicyShapes.not(excluded)) }
                } catch {
                    if action == .allow { throw error }
                }
            }
            policy.permissions.append(RBACPolicyShapes.and(and))
        }
        for entries in principals {
            var and: [Envoy_Config_Rbac_V3_Principal] = []
            for entry in entries {
                do throws(RBACGenerationError) {
                    if forTCP && entry.attribute.isHTTPOnly { throw RBACGenerationError("\(entry.attribute) is HTTP only") }
                    if let values = try entry.attribute.principal(entry.values) { and.append(values) }
                    if let excluded = try entry.attribute.principal(entry.notValues) { and.append(RBACPolicyShapes.not(excluded)) }
                } catch {
                    if action == .allow { throw error }
                }
            }
            policy.principals.append(RBACPolicyShapes.and(and))
        }
        return policy
    }
}
