/// Istio's security labels of a series as the downstream connection set them:
/// `connection_security_policy` (mutual_tls or none) and the principals the
/// certificates proved (`source_principal`: the peer's URI SAN,
/// `destination_principal`: the proxy's own), for the destination reporter.
public struct ConnectionSecurity: Sendable, Hashable {
    public var mutualTLS: Bool
    public var sourcePrincipal: String
    public var destinationPrincipal: String

    public init(mutualTLS: Bool, sourcePrincipal: String, destinationPrincipal: String) {
        self.mutualTLS = mutualTLS
        self.sourcePrincipal = sourcePrincipal
        self.destinationPrincipal = destinationPrincipal
    }

    /// Istio's policy label value.
    public var policy: String { mutualTLS ? "mutual_tls" : "none" }
}

extension TelemetryStore {
    /// The security-label slot of a connection's series: 0 (labels from the
    /// listener scope, as without TLS) unless the proxy terminated TLS on an
    /// inbound (destination-reporting) connection.
    public mutating func slot(forConnection facts: ConnectionFacts, reporter: TelemetryScope.Reporter) -> Int32 {
        guard reporter == .destination, facts.tlsTerminated else { return 0 }
        return slot(for: ConnectionSecurity(mutualTLS: facts.mutualTLS, sourcePrincipal: facts.peerURISAN, destinationPrincipal: facts.localURISAN))
    }

    /// Who reports the series of a listener scope slot.
    public func reporter(ofScope slot: Int32) -> TelemetryScope.Reporter {
        Int(slot) < scopes.values.count ? scopes[slot]?.reporter ?? .source : .source
    }
}

extension IstioLabelSet {
    /// Applies a connection's security labels over the scope's defaults.
    static func apply(_ security: ConnectionSecurity?, scope: TelemetryScope, to labels: inout [(String, String)]) {
        labels.append(("connection_security_policy", security?.policy ?? securityPolicy(scope)))
        guard let security else { return }
        for index in labels.indices {
            if labels[index].0 == "source_principal", !security.sourcePrincipal.isEmpty { labels[index].1 = security.sourcePrincipal }
            if labels[index].0 == "destination_principal", !security.destinationPrincipal.isEmpty { labels[index].1 = security.destinationPrincipal }
        }
    }
}
