import MeshConfig
import MeshCore

/// DestinationRule semantics: host, subsets, exportTo, traffic policies.
enum DestinationRuleRules {
    static func validate(_ rule: DestinationRule, meta: ObjectMeta, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        let namespace = meta.namespace ?? ConfigObject.defaultNamespace
        if let host = rule.host {
            if host.isEmpty { sink.error(spec / "host", "host is required") }
            else if IPAddress.isAddress(host) {
                // Istio's ValidateWildcardDomain: an IPv4 address fails (all-numeric top-level domain).
                sink.error(spec / "host", "host \"\(host)\" is invalid: the top-level domain cannot be all-numeric (IP addresses are not host names)")
            } else { CommonChecks.wildcardHost(host, spec / "host", &sink) }
        }
        var names = Set<String>()
        for (index, subset) in (rule.subsets ?? []).enumerated() {
            let path = spec / "subsets" / index
            let name = subset.name ?? ""
            if name.isEmpty {
                sink.error(path / "name", "subset name is required")
            } else {
                if !HostName.isLabel(name) { sink.error(path / "name", "subset name \"\(name)\" must be a DNS-1123 label") }
                if !names.insert(name).inserted { sink.error(path / "name", "duplicate subset name \"\(name)\"") }
            }
            CommonChecks.labels(subset.labels, path / "labels", &sink)
            if let policy = subset.trafficPolicy { TrafficPolicyRules.validate(policy, path / "trafficPolicy", namespace: namespace, &sink) }
        }
        if let policy = rule.trafficPolicy { TrafficPolicyRules.validate(policy, spec / "trafficPolicy", namespace: namespace, &sink) }
        CommonChecks.exportTo(rule.exportTo, namespace: namespace, allowNone: false, spec / "exportTo", &sink)
        if let selector = rule.workloadSelector {
            CommonChecks.selector(selector.matchLabels, present: true, spec / "workloadSelector", &sink, emptyMeaning: "it applies to every workload in the namespace")
            let exports = rule.exportTo ?? []
            if exports.count > 1 {
                sink.error(spec / "exportTo", "a DestinationRule with a workloadSelector can only be exported to its own namespace")
            } else if let only = exports.first, only != ".", only != namespace {
                sink.error(spec / "exportTo", "a DestinationRule with a workloadSelector cannot be exported beyond its own namespace")
            }
        }
    }
}
