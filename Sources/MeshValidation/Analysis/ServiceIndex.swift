import MeshConfig

/// Services known to the mesh (Kubernetes Services and ServiceEntry hosts), with
/// their visibility scope, as `analyze` resolves hosts.
struct ServiceIndex {
    struct Entry {
        var host: String
        var scope: String
        var ports: [Int]
    }

    private(set) var entries: [Entry] = []
    static let clusterDomain = "cluster.local"

    init(_ objects: [ConfigObject]) {
        for object in objects {
            switch object.spec {
            case .service(let service):
                let exportTo = object.metadata.annotations?["networking.istio.io/exportTo"].map {
                    $0.split(separator: ",").map { String($0).trimmingWhitespace() }
                } ?? []
                let fqdn = "\(object.name).\(object.namespace).svc.\(Self.clusterDomain)"
                let ports = (service.spec?.ports ?? []).compactMap(\.port)
                for scope in Self.scopes(exportTo, namespace: object.namespace) {
                    entries.append(Entry(host: fqdn, scope: scope, ports: ports))
                }
            case .serviceEntry(let entry):
                let ports = (entry.ports ?? []).compactMap(\.number)
                for host in entry.hosts ?? [] {
                    for scope in Self.scopes(entry.exportTo ?? [], namespace: object.namespace) {
                        entries.append(Entry(host: Self.fqdn(host, namespace: object.namespace), scope: scope, ports: ports))
                    }
                }
            default:
                break
            }
        }
    }

    static func scopes(_ exportTo: [String], namespace: String) -> [String] {
        if exportTo.isEmpty || exportTo.contains("*") { return ["*"] }
        return exportTo.map { $0 == "." ? namespace : $0 }
    }

    /// Short names (no dot) are expanded within the referring namespace.
    static func fqdn(_ host: String, namespace: String) -> String {
        if host.contains(".") || host.hasPrefix("*") { return host }
        return "\(host).\(namespace).svc.\(clusterDomain)"
    }

    /// The service a reference from `namespace` (with the referrer's exportTo) resolves to.
    func lookup(_ host: String, from namespace: String, exportTo: [String]) -> Entry? {
        let name = Self.fqdn(host, namespace: namespace)
        let scopes = ["*"] + (exportTo.isEmpty ? [namespace] : exportTo.map { $0 == "." ? namespace : $0 })
        if let exact = entries.first(where: { $0.host == name && scopes.contains($0.scope) }) { return exact }
        return entries.first { entry in
            entry.host.hasPrefix("*") && (entry.scope == "*" || entry.scope == namespace)
                && (entry.host == "*" || name.hasSuffix(String(entry.host.dropFirst())))
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
