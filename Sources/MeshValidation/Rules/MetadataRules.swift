import Foundation
import MeshConfig
import MeshCore

/// Object metadata: name and namespace syntax, labels, reserved annotations.
enum MetadataRules {
    static func validate(_ header: ObjectHeader, into sink: inout DiagnosticSink) {
        let path = FieldPath([.key("metadata")])
        let meta = header.metadata
        let name = meta.name ?? ""
        if name.isEmpty {
            if (meta.generateName ?? "").isEmpty { sink.error(path / "name", "name is required") }
        } else if header.kind == .service {
            // Service names become DNS labels: RFC 1035 (starts with a letter, no dots).
            let bytes = Array(name.utf8)
            if !HostName.isDNS1123LowercaseLabel(name) || !(bytes[0] >= UInt8(ascii: "a") && bytes[0] <= UInt8(ascii: "z")) {
                sink.error(path / "name", "Service name \"\(name)\" must be a DNS-1035 label (lower case letters, digits and '-', starting with a letter, at most 63 characters)")
            }
        } else if header.kind == .namespace {
            if !HostName.isDNS1123LowercaseLabel(name) {
                sink.error(path / "name", "Namespace name \"\(name)\" must be a DNS-1123 label (lower case letters, digits and '-', at most 63 characters)")
            }
        } else if !HostName.isDNS1123Subdomain(name) {
            sink.error(path / "name", "name \"\(name)\" must be lower case letters, digits, '-' and '.', starting and ending alphanumeric (at most 253 characters)")
        }
        if let namespace = meta.namespace {
            if !header.kind.isNamespaced {
                sink.warning(path / "namespace", "\(header.kind.rawValue) is not namespaced; namespace is ignored")
            } else if !HostName.isDNS1123LowercaseLabel(namespace) {
                sink.error(path / "namespace", "namespace \"\(namespace)\" must be a DNS-1123 label (lower case, at most 63 characters)")
            }
        }
        CommonChecks.labels(meta.labels, path / "labels", &sink)
        for key in (meta.annotations ?? [:]).keys.sorted() {
            if let problem = LabelRules.keyProblem(key) { sink.error(path / "annotations" / key, problem.replacingLabelWord()) }
            if key == "istio.io/dry-run" && header.kind != .authorizationPolicy {
                sink.error(path / "annotations" / key, "istio.io/dry-run is only supported on AuthorizationPolicy")
            }
            if key == "internal.istio.io/webhook-always-reject" {
                sink.error(path / "annotations" / key, "objects carrying this annotation are always rejected")
            }
        }
        if let root = header.root.entries, header.kind.isIstio {
            for entry in root where !["apiVersion", "kind", "metadata", "spec", "status"].contains(entry.key) {
                sink.append(Diagnostic(.error, FieldPath([.key(entry.key)]), "unknown field \"\(entry.key)\"", location: entry.keyLocation))
            }
        }
    }
}

private extension String {
    func replacingLabelWord() -> String {
        replacingOccurrences(of: "label key", with: "annotation key")
    }
}
