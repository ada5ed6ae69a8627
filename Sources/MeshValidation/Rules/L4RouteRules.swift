import MeshConfig
import MeshCore

/// `tcp` and `tls` routes of a VirtualService.
enum L4RouteRules {
    static func validateTLS(_ route: TLSRoute, _ path: FieldPath, hosts: [String], _ sink: inout DiagnosticSink) {
        let matches = route.match ?? []
        if matches.isEmpty { sink.error(path / "match", "a tls route needs at least one match") }
        for (index, match) in matches.enumerated() {
            let matchPath = path / "match" / index
            let sniHosts = match.sniHosts ?? []
            if sniHosts.isEmpty { sink.error(matchPath / "sniHosts", "sniHosts is required for a tls match") }
            for (sniIndex, sni) in sniHosts.enumerated() {
                let sniPath = matchPath / "sniHosts" / sniIndex
                if IPAddress.isAddress(sni) {
                    sink.warning(sniPath, "\"\(sni)\" is an IP address: SNI carries host names only")
                    continue
                }
                var local = DiagnosticSink()
                CommonChecks.wildcardHost(sni, sniPath, &local)
                sink.append(contentsOf: local.diagnostics)
                if !local.hasErrors, !hosts.contains(where: { HostMatch.covers($0.lowercased(), sni.lowercased()) }) {
                    sink.error(sniPath, "SNI host \"\(sni)\" is not covered by any of the VirtualService hosts")
                }
            }
            checkL4(match.destinationSubnets, match.port, match.sourceLabels, match.gateways, matchPath, &sink)
        }
        if (route.route ?? []).isEmpty { sink.error(path / "route", "a tls route needs at least one destination") }
        DestinationChecks.weighted((route.route ?? []).map { ($0.destination, $0.weight) }, path / "route", &sink)
    }

    static func validateTCP(_ route: TCPRoute, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (index, match) in (route.match ?? []).enumerated() {
            checkL4(match.destinationSubnets, match.port, match.sourceLabels, match.gateways, path / "match" / index, &sink)
            if let subnet = match.sourceSubnet, let problem = IPAddress.cidrProblem(subnet) {
                sink.error(path / "match" / index / "sourceSubnet", problem)
            }
        }
        if (route.route ?? []).isEmpty { sink.error(path / "route", "a tcp route needs at least one destination") }
        DestinationChecks.weighted((route.route ?? []).map { ($0.destination, $0.weight) }, path / "route", &sink)
    }

    static func checkL4(_ subnets: [String]?, _ port: Int?, _ labels: [String: String]?, _ gateways: [String]?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (index, subnet) in (subnets ?? []).enumerated() {
            if let problem = IPAddress.cidrProblem(subnet) { sink.error(path / "destinationSubnets" / index, problem) }
        }
        if let port, port != 0 { CommonChecks.port(port, path / "port", &sink) }
        CommonChecks.labels(labels, path / "sourceLabels", &sink)
        GatewayReferences.validate(gateways ?? [], path / "gateways", &sink)
    }
}
