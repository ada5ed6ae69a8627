import MeshConfig

/// IST0128 / IST0129 (TLS without CA verification), IST0174 (unknown host) and
/// SM0001 (subsets no VirtualService routes to).
enum DestinationRuleAnalyzer {
    static func run(_ context: AnalysisContext, into messages: inout [AnalysisMessage]) {
        var referenced = Set<String>()
        for (object, vs) in context.virtualServices {
            var destinations: [Destination] = []
            for route in vs.http ?? [] {
                destinations += (route.route ?? []).compactMap(\.destination)
                destinations += [route.mirror].compactMap { $0 } + (route.mirrors ?? []).compactMap(\.destination)
            }
            for route in vs.tcp ?? [] { destinations += (route.route ?? []).compactMap(\.destination) }
            for route in vs.tls ?? [] { destinations += (route.route ?? []).compactMap(\.destination) }
            for destination in destinations {
                guard let subset = destination.subset, let host = destination.host else { continue }
                referenced.insert("\(ServiceIndex.fqdn(host, namespace: object.namespace))+\(subset)")
            }
        }
        for (object, rule) in context.destinationRules {
            let host = rule.host ?? ""
            let name = "\(object.namespace)/\(object.name)"
            if let tls = rule.trafficPolicy?.tls, let mode = tls.mode, mode == .simple || mode == .mutual,
               (tls.caCertificates ?? "").isEmpty, !(tls.credentialName != nil && rule.workloadSelector != nil) {
                messages.append(AnalysisMessage(.noServerCertificateVerificationDestinationLevel, origin: object,
                    "DestinationRule \(name) in namespace \(object.namespace) has TLS mode set to \(mode.rawValue) but no caCertificates are set to validate server identity for host: \(host)"))
            }
            for port in rule.trafficPolicy?.portLevelSettings ?? [] {
                guard let tls = port.tls, let mode = tls.mode, mode == .simple || mode == .mutual, (tls.caCertificates ?? "").isEmpty else { continue }
                messages.append(AnalysisMessage(.noServerCertificateVerificationPortLevel, origin: object,
                    "DestinationRule \(name) in namespace \(object.namespace) has TLS mode set to \(mode.rawValue) but no caCertificates are set to validate server identity for host: \(host) at port number:\(port.port?.number ?? 0)"))
            }
            if !host.isEmpty, context.services.lookup(host, from: object.namespace, exportTo: rule.exportTo ?? []) == nil {
                messages.append(AnalysisMessage(.unknownDestinationRuleHost, origin: object,
                    "The host \(host) defined in the DestinationRule does not match any services in the mesh."))
            }
            let fqdn = ServiceIndex.fqdn(host, namespace: object.namespace)
            for subset in rule.subsets ?? [] {
                guard let subsetName = subset.name, !referenced.contains("\(fqdn)+\(subsetName)") else { continue }
                messages.append(AnalysisMessage(.unusedSubset, origin: object,
                    "Subset \"\(subsetName)\" of host \(host) is not used by any VirtualService route."))
            }
        }
    }
}
