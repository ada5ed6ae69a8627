/// Envoy's RBAC Permission (what is done) as ProxyCore evaluates it.
public indirect enum RBACPermission: Sendable {
    case and([RBACPermission])
    case or([RBACPermission])
    case any
    /// A request header (no request: an empty header map, as Envoy's network filter).
    case header(HeaderMatch)
    /// The path without query and fragment.
    case urlPath(StringMatch)
    case destinationIP(CIDRRange)
    case destinationPort(Int)
    /// `[start, end)`.
    case destinationPortRange(start: Int, end: Int)
    case metadata(MetadataMatch)
    case not(RBACPermission)
    case requestedServerName(StringMatch)
    /// `uri_template` (Envoy's path template matcher), on the path without query.
    case uriTemplate(URITemplate)
}

/// Envoy's RBAC Principal (who asks).
public indirect enum RBACPrincipal: Sendable {
    case and([RBACPrincipal])
    case or([RBACPrincipal])
    case any
    /// A TLS peer; nil name: any TLS connection. The name is tried against each URI
    /// SAN, then each DNS SAN, then the subject.
    case authenticated(StringMatch?)
    /// `source_ip` (legacy) and `direct_remote_ip`: the connected peer.
    case directRemoteIP(CIDRRange)
    /// The client address after x-forwarded-for detection.
    case remoteIP(CIDRRange)
    case header(HeaderMatch)
    case urlPath(StringMatch)
    case metadata(MetadataMatch)
    case not(RBACPrincipal)
}
