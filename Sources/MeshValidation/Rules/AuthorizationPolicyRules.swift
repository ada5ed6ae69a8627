import MeshConfig
import MeshCore

/// AuthorizationPolicy semantics: action/provider, rule structure, value formats and
/// the attributes allowed in `when`.
enum AuthorizationPolicyRules {
    static func validate(_ policy: AuthorizationPolicy, meta: ObjectMeta, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        PolicyTargetChecks.validate(selector: policy.selector, targetRef: policy.targetRef, targetRefs: policy.targetRefs, spec, &sink)
        let action = policy.action ?? .allow
        if action == .custom {
            // Valid Istio, but nothing here could enforce it: say so rather than let
            // the policy silently do nothing.
            sink.error(spec / "action", "CUSTOM (external authorization through an extension provider) is not supported by SwiftMesh: use ALLOW, DENY or AUDIT")
            // Istio checks the provider only once rules are present.
            if policy.rules == nil { sink.error(spec / "rules", "a CUSTOM policy without rules matches nothing: add rules (use [{}] to match all)") }
            else if (policy.provider?.name ?? "").isEmpty { sink.error(spec / "provider" / "name", "a CUSTOM policy needs a provider name") }
        } else if policy.provider != nil {
            sink.error(spec / "provider", "provider is only allowed with action CUSTOM")
        }
        if action == .deny && policy.rules == nil {
            sink.error(spec / "rules", "a DENY policy without rules matches nothing: add rules")
        }
        if let dryRun = meta.annotations?["istio.io/dry-run"] {
            if action != .allow && action != .deny {
                sink.error(FieldPath([.key("metadata"), .key("annotations"), .key("istio.io/dry-run")]), "dry-run only supports ALLOW and DENY policies")
            }
            if !["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].contains(dryRun) {
                sink.error(FieldPath([.key("metadata"), .key("annotations"), .key("istio.io/dry-run")]), "dry-run must be true or false")
            }
        }
        for (index, rule) in (policy.rules ?? []).enumerated() {
            validateRule(rule, spec / "rules" / index, action: action, &sink)
        }
    }

    static func validateRule(_ rule: Rule, _ path: FieldPath, action: AuthorizationPolicy.Action, _ sink: inout DiagnosticSink) {
        if let from = rule.from, from.isEmpty { sink.error(path / "from", "from must not be an empty list (omit it to match any source)") }
        if let to = rule.to, to.isEmpty { sink.error(path / "to", "to must not be an empty list (omit it to match any operation)") }
        var tcpCapableSource = false
        for (index, from) in (rule.from ?? []).enumerated() {
            let fromPath = path / "from" / index
            guard let source = from.source else { sink.error(fromPath / "source", "source is required"); continue }
            if Self.isEmpty(source) { sink.error(fromPath / "source", "source must set at least one field") }
            tcpCapableSource = tcpCapableSource || [source.principals, source.notPrincipals, source.ipBlocks, source.notIpBlocks, source.remoteIpBlocks, source.notRemoteIpBlocks, source.namespaces, source.notNamespaces, source.serviceAccounts, source.notServiceAccounts].contains { $0 != nil }
            checkSource(source, fromPath / "source", action: action, &sink)
        }
        var hasPorts = false
        for (index, to) in (rule.to ?? []).enumerated() {
            let toPath = path / "to" / index
            guard let operation = to.operation else { sink.error(toPath / "operation", "operation is required"); continue }
            if Self.isEmpty(operation) { sink.error(toPath / "operation", "operation must set at least one field") }
            hasPorts = hasPorts || operation.ports != nil || operation.notPorts != nil
            checkOperation(operation, toPath / "operation", &sink)
        }
        for (index, condition) in (rule.when ?? []).enumerated() {
            ConditionRules.validate(condition, path / "when" / index, action: action, &sink)
        }
        if action == .deny {
            let httpOnlyFrom = rule.from != nil && rule.to == nil && !tcpCapableSource
            let httpOnlyTo = rule.to != nil && !hasPorts
            if httpOnlyFrom || httpOnlyTo {
                sink.warning(path, "this DENY rule uses HTTP-only attributes: it denies all traffic to TCP ports; specify ports to limit it")
            }
        }
    }

    /// Istio counts a field as set only when its list is non-empty (`principals: []` is unset).
    static func isEmpty(_ source: Source) -> Bool {
        [source.principals, source.notPrincipals, source.requestPrincipals, source.notRequestPrincipals, source.namespaces,
         source.notNamespaces, source.ipBlocks, source.notIpBlocks, source.remoteIpBlocks, source.notRemoteIpBlocks,
         source.serviceAccounts, source.notServiceAccounts, source.trustDomains, source.notTrustDomains].allSatisfy { ($0 ?? []).isEmpty }
    }

    static func isEmpty(_ operation: Operation) -> Bool {
        [operation.hosts, operation.notHosts, operation.methods, operation.notMethods, operation.paths, operation.notPaths,
         operation.ports, operation.notPorts].allSatisfy { ($0 ?? []).isEmpty }
    }

    static func checkSource(_ source: Source, _ path: FieldPath, action: AuthorizationPolicy.Action, _ sink: inout DiagnosticSink) {
        let lists: [(String, [String]?)] = [
            ("principals", source.principals), ("notPrincipals", source.notPrincipals), ("requestPrincipals", source.requestPrincipals),
            ("notRequestPrincipals", source.notRequestPrincipals), ("namespaces", source.namespaces), ("notNamespaces", source.notNamespaces),
            ("ipBlocks", source.ipBlocks), ("notIpBlocks", source.notIpBlocks), ("remoteIpBlocks", source.remoteIpBlocks),
            ("notRemoteIpBlocks", source.notRemoteIpBlocks), ("serviceAccounts", source.serviceAccounts), ("notServiceAccounts", source.notServiceAccounts),
            ("trustDomains", source.trustDomains), ("notTrustDomains", source.notTrustDomains),
        ]
        for (field, values) in lists { CommonChecks.nonEmptyStrings(values, path / field, &sink) }
        for field in ["ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"] {
            for (index, value) in (lists.first { $0.0 == field }?.1 ?? []).enumerated() where !value.isEmpty {
                if let problem = IPAddress.cidrProblem(value) { sink.error(path / field / index, problem) }
            }
        }
        for field in ["serviceAccounts", "notServiceAccounts"] {
            let values = lists.first { $0.0 == field }?.1 ?? []
            if values.count > 16 { sink.error(path / field, "at most 16 service accounts are allowed") }
            for (index, value) in values.enumerated() {
                if let problem = ConditionRules.serviceAccountProblem(value) { sink.error(path / field / index, problem) }
            }
        }
        if action == .custom {
            for (field, values) in lists where values != nil && ["namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts", "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals"].contains(field) {
                sink.error(path / field, "\(field) is not supported with action CUSTOM")
            }
        }
    }

    static func checkOperation(_ operation: Operation, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let lists: [(String, [String]?)] = [("hosts", operation.hosts), ("notHosts", operation.notHosts), ("methods", operation.methods),
                                            ("notMethods", operation.notMethods), ("paths", operation.paths), ("notPaths", operation.notPaths),
                                            ("ports", operation.ports), ("notPorts", operation.notPorts)]
        for (field, values) in lists { CommonChecks.nonEmptyStrings(values, path / field, &sink) }
        for (field, values) in [("ports", operation.ports), ("notPorts", operation.notPorts)] {
            for (index, value) in (values ?? []).enumerated() where !value.isEmpty {
                if let port = Int(value), (0...65535).contains(port), !value.hasPrefix("+") { continue }
                sink.error(path / field / index, "bad port \"\(value)\": must be a number in the range 0..65535")
            }
        }
        for (field, values) in [("paths", operation.paths), ("notPaths", operation.notPaths)] {
            for (index, value) in (values ?? []).enumerated() {
                if let problem = PathTemplate.problem(value) { sink.error(path / field / index, problem) }
            }
        }
    }
}

/// Istio path templates: `{*}` matches one segment, `{**}` the rest (last only).
enum PathTemplate {
    static func problem(_ path: String) -> String? {
        guard path.contains("{") || path.contains("}") else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var sawDoubleStar = false
        for segment in segments {
            if segment == "{**}" {
                if sawDoubleStar { return "path \"\(path)\": {**} may appear only once, as the last operator" }
                sawDoubleStar = true
            } else if segment == "{*}" {
                if sawDoubleStar { return "path \"\(path)\": {*} cannot follow {**}" }
            } else if segment.contains("{") || segment.contains("}") {
                return "path \"\(path)\": { and } are only allowed as whole segments {*} or {**}"
            } else if !segment.utf8.allSatisfy({ HostName.isAlphanumeric($0) || "-._~%!$&'()+,;:@=".utf8.contains($0) }) {
                return "path \"\(path)\": segment \"\(segment)\" has characters not allowed in a path template"
            }
        }
        return nil
    }
}
