/// The Istio objects the integration meshes are made of, written once: `reviews`
/// as a ServiceEntry over WorkloadEntries, and Sidecars whose listeners are bound
/// on a workload's own loopback address (no capture), so the meshes differ only
/// where their tests do.
enum MeshYAML {
    struct Port {
        var name: String
        var number: Int
        var `protocol`: String
        /// The workloads' port, for a service port; nil for a Sidecar listener.
        var targetPort: Int?
    }

    static func documents(_ documents: [String]) -> String {
        documents.joined(separator: "\n---\n")
    }

    /// `reviews.default.svc.cluster.local`, served by the WorkloadEntries labelled `app: reviews`.
    static func reviewsService(ports: [Port]) -> String {
        let list = ports.map { port in
            "{name: \(port.name), number: \(port.number), protocol: \(port.protocol)" + (port.targetPort.map { ", targetPort: \($0)" } ?? "") + "}"
        }
        return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [\(list.joined(separator: ", "))]
          workloadSelector: {labels: {app: reviews}}
        """
    }

    /// A WorkloadEntry in `default`; `labels` are the mapping's entries (`app: x, version: y`).
    static func workloadEntry(_ name: String, address: String, labels: String, serviceAccount: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: \(name), namespace: default}
        spec: {address: \(address), labels: {\(labels)}, serviceAccount: \(serviceAccount)}
        """
    }

    /// `reviews-VERSION`, a `reviews` workload running as service account `reviews`.
    static func reviewsEntry(_ version: String, address: String) -> String {
        workloadEntry("reviews-\(version)", address: address, labels: "app: reviews, version: \(version)", serviceAccount: "reviews")
    }

    /// A Sidecar for the workloads labelled `app: APP`; `spec` is the rest of its
    /// spec (`ingress:`, `egress:` ...), indented by two.
    static func sidecar(_ app: String, _ spec: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: \(app), namespace: default}
        spec:
          workloadSelector: {labels: {app: \(app)}}
        \(spec)
        """
    }

    /// An item of a Sidecar's `egress:` list: a listener on `address`, port, no
    /// capture, for every host in the namespace.
    static func boundEgress(_ port: Port, on address: String) -> String {
        """
          - port: {number: \(port.number), protocol: \(port.protocol), name: \(port.name)}
            bind: \(address)
            captureMode: NONE
            hosts: ["./*"]
        """
    }
}
