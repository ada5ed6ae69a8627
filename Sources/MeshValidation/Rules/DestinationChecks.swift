import MeshConfig
import MeshCore

/// Route destinations: host, subset, port, and the weights across a route.
enum DestinationChecks {
    static func destination(_ destination: Destination, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let host = destination.host ?? ""
        if host == "*" {
            sink.error(path / "host", "destination host cannot be the wildcard *")
        } else if IPAddress.family(of: host) == .v4 || CommonChecks.topLevelIsNumeric(host) {
            sink.error(path / "host", "destination host \"\(host)\" must be a service name, not an IP address")
        } else if !host.isEmpty {
            CommonChecks.wildcardHost(host, path / "host", &sink)
        }
        if let subset = destination.subset, !subset.isEmpty, !HostName.isLabel(subset) {
            sink.error(path / "subset", "subset \"\(subset)\" must be a DNS-1123 label")
        }
        if let port = destination.port?.number { CommonChecks.port(port, path / "port" / "number", &sink) }
    }

    static func weighted(_ routes: [(Destination?, Int?)], _ path: FieldPath, _ sink: inout DiagnosticSink) {
        var total = 0
        for (index, (destination, weight)) in routes.enumerated() {
            if let target = destination {
                Self.destination(target, path / index / "destination", &sink)
            } else {
                sink.error(path / index / "destination", "destination is required")
            }
            if let weight, weight < 0 { sink.error(path / index / "weight", "weight cannot be negative") }
            total += max(0, weight ?? 0)
        }
        if routes.count > 1 && total == 0 {
            sink.error(path, "total destination weight is 0: give at least one destination a weight")
        }
    }
}
