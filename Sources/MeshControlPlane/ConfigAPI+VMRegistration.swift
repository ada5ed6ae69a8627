import Foundation
import MeshConfig

/// Manual registration of a VM service and its instances: stored as one
/// ServiceEntry plus a WorkloadEntry per instance in `vm-<namespace>-<name>.yaml`
/// of the config directory (so nothing is lost on restart, and the files are
/// ordinary Istio config), validated like any other write.
extension ConfigAPI {
    static let vmLabel = "swiftmesh.io/vm"

    struct VMRegistration {
        var name: String
        var namespace: String
        var host: String
        var ports: [[String: Any]]
        var serviceAccount: String
        var labels: [String: String]
        var instances: [[String: Any]]
    }

    /// `POST /api/v1/vms`: create or replace a VM service with its instances.
    func registerVM(body: [UInt8]) -> Outcome {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return Outcome(status: 400, body: ["error": "the body must be a JSON object"])
        }
        var problems: [String] = []
        let name = json["name"] as? String ?? ""
        let namespace = json["namespace"] as? String ?? "default"
        if name.isEmpty { problems.append("name: required") }
        let ports = json["ports"] as? [[String: Any]] ?? []
        if ports.isEmpty { problems.append("ports: at least one port is required") }
        let instances = json["instances"] as? [[String: Any]] ?? []
        for (index, instance) in instances.enumerated() where (instance["address"] as? String ?? "").isEmpty {
            problems.append("instances[\(index)].address: required")
        }
        guard problems.isEmpty else { return Outcome(status: 400, body: ["error": "invalid VM registration", "errors": problems]) }
        let registration = VMRegistration(
            name: name, namespace: namespace,
            host: json["host"] as? String ?? "\(name).\(namespace).svc.cluster.local",
            ports: ports, serviceAccount: json["serviceAccount"] as? String ?? name,
            labels: (json["labels"] as? [String: String] ?? [:]).merging(["app": name]) { current, _ in current },
            instances: instances)
        let path = "\(directory)/vm-\(namespace)-\(name).yaml"
        let text = Self.vmDocuments(registration)
        var candidate = store
        if case .rejected(_, let errors) = candidate.apply(file: path, bytes: Array(text.utf8)) {
            return Outcome(status: 400, body: ["error": "invalid VM registration", "errors": errors])
        }
        let existed = store.text(of: path) != nil
        let objects = candidate.objects(in: path).map(\.displayName)
        return Outcome(status: existed ? 200 : 201, body: ["file": path, "objects": objects], change: .write(path: path, text: text))
    }

    /// `GET /api/v1/vms`: the registered VM services and their instances.
    func listVMs() -> Outcome {
        var items: [[String: Any]] = []
        for object in store.objects where object.kind == .serviceEntry && object.metadata.labels?[Self.vmLabel] == "true" {
            guard case .serviceEntry(let entry) = object.spec else { continue }
            let selector = entry.workloadSelector?.labels ?? [:]
            let instances = store.objects.compactMap { candidate -> [String: Any]? in
                guard candidate.namespace == object.namespace, case .workloadEntry(let workload) = candidate.spec,
                      selector.allSatisfy({ workload.labels?[$0.key] == $0.value }) else { return nil }
                return ["name": candidate.name, "address": workload.address ?? "", "labels": workload.labels ?? [:]]
            }
            items.append(["name": object.name, "namespace": object.namespace, "hosts": entry.hosts ?? [], "file": object.source?.file ?? "",
                          "instances": instances])
        }
        return Outcome(status: 200, body: ["items": items])
    }

    /// `DELETE /api/v1/vms/{namespace}/{name}`: removes the registration's file.
    func unregisterVM(namespace: String, name: String) -> Outcome {
        let path = "\(directory)/vm-\(namespace)-\(name).yaml"
        guard store.text(of: path) != nil else { return Outcome(status: 404, body: ["error": "no VM registration \(namespace)/\(name)"]) }
        return Outcome(status: 200, body: ["deleted": path], change: .delete(path: path))
    }

    /// YAML documents written as JSON (valid YAML, no quoting pitfalls).
    static func vmDocuments(_ vm: VMRegistration) -> String {
        let metadataLabels = [vmLabel: "true"]
        var documents: [[String: Any]] = [[
            "apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
            "metadata": ["name": vm.name, "namespace": vm.namespace, "labels": metadataLabels],
            "spec": ["hosts": [vm.host], "location": "MESH_INTERNAL", "resolution": "STATIC", "ports": vm.ports,
                     "workloadSelector": ["labels": ["app": vm.labels["app"] ?? vm.name]]],
        ]]
        for (index, instance) in vm.instances.enumerated() {
            let address = instance["address"] as? String ?? ""
            let own = instance["labels"] as? [String: String] ?? [:]
            let instanceName = instance["name"] as? String ?? "\(vm.name)-\(index + 1)"
            var spec: [String: Any] = ["address": address, "labels": vm.labels.merging(own) { _, new in new },
                                       "serviceAccount": instance["serviceAccount"] as? String ?? vm.serviceAccount]
            if let weight = instance["weight"] { spec["weight"] = weight }
            if let ports = instance["ports"] { spec["ports"] = ports }
            documents.append(["apiVersion": "networking.istio.io/v1", "kind": "WorkloadEntry",
                              "metadata": ["name": instanceName, "namespace": vm.namespace, "labels": metadataLabels], "spec": spec])
        }
        let texts = documents.compactMap { document in
            (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
        }
        return "# Registered through the management API (POST /api/v1/vms).\n" + texts.joined(separator: "\n---\n") + "\n"
    }
}
