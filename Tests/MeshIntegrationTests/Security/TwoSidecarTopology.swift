import MeshLocal

/// The services both security meshes run: a `client` workload whose sidecar binds
/// egress listeners on its own address, and `reviews` (v1) whose sidecar has bound
/// inbound listeners in front of the app on 18080. Ports are (service port, the
/// sidecar's inbound port, Istio protocol).
struct TwoSidecarTopology {
    var ports: [(service: Int, inbound: Int, protocol: String)] = [(9080, 19080, "HTTP")]
    /// A WorkloadEntry for the client too (its service account signs its certificate).
    var clientWorkloadEntry = false

    func yaml(_ harness: MeshHarness, clientHost: Int, serverHost: Int) -> String {
        func name(_ port: (service: Int, inbound: Int, protocol: String)) -> String { port.protocol.lowercased() }
        let servicePorts = ports.map { "{name: \(name($0)), number: \($0.service), protocol: \($0.protocol), targetPort: \($0.inbound)}" }
        let egress = ports.map { port in
            """
              - port: {number: \(port.service), protocol: \(port.protocol), name: \(name(port))}
                bind: \(harness.address(clientHost))
                captureMode: NONE
                hosts: ["./*"]
            """
        }
        let ingress = ports.map { port in
            """
              - port: {number: \(port.inbound), protocol: \(port.protocol), name: \(name(port))}
                defaultEndpoint: 0.0.0.0:18080
                captureMode: NONE
            """
        }
        let client = clientWorkloadEntry ? """
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: client, namespace: default}
        spec: {address: \(harness.address(clientHost)), labels: {app: client}, serviceAccount: client}

        """ : ""
        return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [\(servicePorts.joined(separator: ", "))]
          workloadSelector: {labels: {app: reviews}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: reviews-v1, namespace: default}
        spec: {address: \(harness.address(serverHost)), labels: {app: reviews, version: v1}, serviceAccount: reviews}
        \(client)---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: client, namespace: default}
        spec:
          workloadSelector: {labels: {app: client}}
          egress:
        \(egress.joined(separator: "\n"))
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: reviews, namespace: default}
        spec:
          workloadSelector: {labels: {app: reviews}}
          ingress:
        \(ingress.joined(separator: "\n"))
          # Bound egress only: nothing listens on the shared capture ports 15001 / 15006.
          egress:
          - port: {number: 9081, protocol: HTTP, name: http-out}
            bind: \(harness.address(serverHost))
            captureMode: NONE
            hosts: ["./*"]
        """
    }
}
