/// Istio's security labels of a series as TLS set them: for the destination
/// reporter the downstream connection's (`connection_security_policy` mutual_tls
/// or none, `source_principal` the client certificate's URI SAN,
/// `destination_principal` the proxy's own); for the source reporter the upstream
/// connection's (policy `unknown` as Istio reports it, `source_principal` the
/// proxy's own URI SAN, `destination_principal` the server's).
public struct ConnectionSecurity: Sendable, Hashable {
    /// Istio's policy label value.
    public var policy: String
    public var sourcePrincipal: String
    public var destinationPrincipal: String

    public init(mutualTLS: Bool, sourcePrincipal: String, destinationPrincipal: String) {
        self.policy = mutualTLS ? "mutual_tls" : "none"
        self.sourcePrincipal = sourcePrincipal
        self.destinationPrincipal = destinationPrincipal
    }

    /// The source reporter's view of an upstream TLS connection.
    public init(upstreamLocal: String, upstreamPeer: String) {
        self.policy = "unknown"
        self.sourcePrincipal = upstreamLocal
        self.destinationPrincipal = upstreamPeer
    }
}

extension TelemetryStore {
    /// The security-label slot of a connection's series: 0 (labels from the
    /// listener scope, as without TLS) unless the proxy terminated TLS on an
    /// inbound (destination-reporting) connection.
    public mutating func slot(forConnection facts: ConnectionFacts, reporter: TelemetryScope.Reporter) -> Int32 {
        guard reporter == .destination, facts.tlsTerminated else { return 0 }
        return slot(for: ConnectionSecurity(mutualTLS: facts.mutualTLS, sourcePrincipal: facts.peerURISAN, destinationPrincipal: facts.localURISAN))
    }

    /// The security-label slot of an exchange the source reporter counts, from its
    /// upstream TLS connection's identities (0 without TLS or identities).
    public mutating func slot(upstreamLocal: String, upstreamPeer: String) -> Int32 {
        guard !upstreamLocal.isEmpty || !upstreamPeer.isEmpty else { return 0 }
        return slot(for: ConnectionSecurity(upstreamLocal: upstreamLocal, upstreamPeer: upstreamPeer))
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
