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
        let client = harness.address(clientHost), server = harness.address(serverHost)
        let servicePorts = ports.map { MeshYAML.Port(name: $0.protocol.lowercased(), number: $0.service, protocol: $0.protocol, targetPort: $0.inbound) }
        let ingress = ports.map { port in
            """
              - port: {number: \(port.inbound), protocol: \(port.protocol), name: \(port.protocol.lowercased())}
                defaultEndpoint: 0.0.0.0:18080
                captureMode: NONE
            """
        }
        var documents = [MeshYAML.reviewsService(ports: servicePorts), MeshYAML.reviewsEntry("v1", address: server)]
        if clientWorkloadEntry {
            documents.append(MeshYAML.workloadEntry("client", address: client, labels: "app: client", serviceAccount: "client"))
        }
        documents.append(MeshYAML.sidecar("client", """
          egress:
        \(servicePorts.map { MeshYAML.boundEgress($0, on: client) }.joined(separator: "\n"))
        """))
        documents.append(MeshYAML.sidecar("reviews", """
          ingress:
        \(ingress.joined(separator: "\n"))
          # Bound egress only: nothing listens on the shared capture ports 15001 / 15006.
          egress:
        \(MeshYAML.boundEgress(MeshYAML.Port(name: "http-out", number: 9081, protocol: "HTTP"), on: server))
        """))
        return MeshYAML.documents(documents)
    }
}
