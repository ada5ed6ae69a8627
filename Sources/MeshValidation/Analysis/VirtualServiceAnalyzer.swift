import MeshConfig

/// IST0101 (hosts, host:port, subsets, gateways), IST0112, IST0132, IST0130/0131, IST0002.
enum VirtualServiceAnalyzer {
    static func run(_ context: AnalysisContext, into messages: inout [AnalysisMessage]) {
        let subsets = Set(context.destinationRules.flatMap { object, rule in
            (rule.subsets ?? []).compactMap { subset in
                subset.name.map { SubsetKey(host: ServiceIndex.fqdn(rule.host ?? "", namespace: object.namespace), subset: $0) }
            }
        })
        for (object, vs) in context.virtualServices {
            let ns = object.namespace
            var destinations: [(Destination, Bool)] = []
            for route in vs.tcp ?? [] { destinations += (route.route ?? []).compactMap(\.destination).map { ($0, false) } }
            for route in vs.tls ?? [] { destinations += (route.route ?? []).compactMap(\.destination).map { ($0, false) } }
            for route in vs.http ?? [] {
                destinations += (route.route ?? []).compactMap(\.destination).map { ($0, false) }
                if let mirror = route.mirror { destinations.append((mirror, true)) }
                destinations += (route.mirrors ?? []).compactMap(\.destination).map { ($0, true) }
            }
            for (destination, isMirror) in destinations {
                check(destination, isMirror: isMirror, object: object, vs: vs, context: context, subsets: subsets, into: &messages)
            }
            for gateway in vs.gateways ?? [] where gateway != "mesh" {
                let found = context.gateway(named: gateway, from: ns)
                if found == nil {
                    messages.append(AnalysisMessage(.referencedResourceNotFound, origin: object, "Referenced gateway not found: \"\(gateway)\""))
                }
                checkHostsInGateway(gateway, found?.1, gatewayObject: found?.0, object: object, vs: vs, into: &messages)
            }
            for finding in UnreachableRoutes.findings(vs) {
                let type: MessageType = finding.kind == .unreachableRule ? .virtualServiceUnreachableRule : .virtualServiceIneffectiveMatch
                messages.append(AnalysisMessage(type, origin: object, finding.analyzerText))
            }
            for route in vs.http ?? [] where (route.fault?.delay?.percent ?? 0) > 0 {
                messages.append(AnalysisMessage(.deprecated, origin: object, "Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage"))
            }
        }
    }

    struct SubsetKey: Hashable {
        var host: String
        var subset: String
    }

    static func check(_ destination: Destination, isMirror: Bool, object: ConfigObject, vs: VirtualService, context: AnalysisContext, subsets: Set<SubsetKey>, into messages: inout [AnalysisMessage]) {
        guard let host = destination.host else { return }
        let what = isMirror ? "mirror host" : "host"
        guard let service = context.services.lookup(host, from: object.namespace, exportTo: vs.exportTo ?? []) else {
            messages.append(AnalysisMessage(.referencedResourceNotFound, origin: object, "Referenced \(what) not found: \"\(host)\""))
            return
        }
        if let port = destination.port?.number {
            if !service.ports.contains(port) {
                messages.append(AnalysisMessage(.referencedResourceNotFound, origin: object, "Referenced \(what):port not found: \"\(host):\(port)\""))
            }
        } else if service.ports.count > 1 {
            messages.append(AnalysisMessage(.destinationPortSelectorRequired, origin: object,
                "This VirtualService routes to a service \"\(host)\" that exposes multiple ports [\(service.ports.map(String.init).joined(separator: " "))]. Specifying a port in the destination is required to disambiguate."))
        }
        if let subset = destination.subset, !subset.isEmpty,
           !subsets.contains(SubsetKey(host: ServiceIndex.fqdn(host, namespace: object.namespace), subset: subset)) {
            messages.append(AnalysisMessage(.referencedResourceNotFound, origin: object,
                "Referenced \(isMirror ? "mirror" : "host")+subset in destinationrule not found: \"\(host)+\(subset)\""))
        }
    }

    /// IST0132: the VirtualService's hosts must be served by the Gateway it binds to.
    static func checkHostsInGateway(_ reference: String, _ gateway: Gateway?, gatewayObject: ConfigObject?, object: ConfigObject, vs: VirtualService, into messages: inout [AnalysisMessage]) {
        var gatewayHosts: [String] = []
        let gatewayNamespace = gatewayObject?.namespace ?? object.namespace
        for server in gateway?.servers ?? [] {
            for host in server.hosts ?? [] {
                guard let slash = host.firstIndex(of: "/") else { gatewayHosts.append(host); continue }
                var ns = String(host[..<slash])
                let name = String(host[host.index(after: slash)...])
                if ns == "." { ns = gatewayNamespace }
                if ns == "*" || ns == object.namespace { gatewayHosts.append(name) }
            }
        }
        let hosts = vs.hosts ?? []
        if !hosts.contains(where: { vsHost in gatewayHosts.contains { HostMatch.overlaps($0, vsHost) } }) {
            let gatewayName = gatewayObject.map { "\($0.namespace)/\($0.name)" } ?? (reference.contains("/") ? reference : "\(object.namespace)/\(reference)")
            messages.append(AnalysisMessage(.virtualServiceHostNotFoundInGateway, origin: object,
                "one or more host [\(hosts.joined(separator: " "))] defined in VirtualService \(object.namespace)/\(object.name) not found in Gateway \(gatewayName)."))
        }
    }
}
