extension RBACPermission {
    func matches(_ input: AuthzInput) -> Bool {
        switch self {
        case .and(let rules): return rules.allSatisfy { $0.matches(input) }
        case .or(let rules): return rules.contains { $0.matches(input) }
        case .any: return true
        case .header(let header): return RBACMatching.header(header, input)
        case .urlPath(let matcher): return RBACMatching.urlPath(matcher, input)
        case .destinationIP(let range):
            guard let local = input.connection.local else { return false }
            return range.contains(local)
        case .destinationPort(let port): return input.connection.localPort == port
        case .destinationPortRange(let start, let end): return input.connection.localPort >= start && input.connection.localPort < end
        case .metadata(let matcher): return matcher.matches(input.metadata)
        case .not(let rule): return !rule.matches(input)
        case .requestedServerName(let matcher):
            var name = input.connection.requestedServerName
            return name.withUTF8 { matcher.matches(UnsafeRawBufferPointer($0)) }
        case .uriTemplate(let template):
            guard let request = input.request else { return false }
            return template.matches(request.pathBytes)
        }
    }
}

extension RBACPrincipal {
    func matches(_ input: AuthzInput) -> Bool {
        switch self {
        case .and(let ids): return ids.allSatisfy { $0.matches(input) }
        case .or(let ids): return ids.contains { $0.matches(input) }
        case .any: return true
        case .authenticated(let name):
            guard let peer = input.connection.tls else { return false }
            guard let name else { return true }
            for candidate in peer.uriSANs + peer.dnsSANs + [peer.subject] where RBACMatching.string(name, candidate) {
                return true
            }
            return false
        case .directRemoteIP(let range):
            guard let address = input.connection.directRemote else { return false }
            return range.contains(address)
        case .remoteIP(let range):
            guard let address = input.remote else { return false }
            return range.contains(address)
        case .header(let header): return RBACMatching.header(header, input)
        case .urlPath(let matcher): return RBACMatching.urlPath(matcher, input)
        case .metadata(let matcher): return matcher.matches(input.metadata)
        case .not(let id): return !id.matches(input)
        }
    }
}

/// Leaf matchers shared by permissions and principals.
enum RBACMatching {
    static func header(_ header: HeaderMatch, _ input: AuthzInput) -> Bool {
        guard let request = input.request else { return header.matchesAbsent() }
        return header.matches(request)
    }

    /// Envoy strips the query and fragment; no request (TCP) never matches.
    static func urlPath(_ matcher: StringMatch, _ input: AuthzInput) -> Bool {
        guard let request = input.request else { return false }
        let path = request.pathBytes
        var end = 0
        while end < path.count, path[end] != UInt8(ascii: "?"), path[end] != UInt8(ascii: "#") { end += 1 }
        return matcher.matches(UnsafeRawBufferPointer(rebasing: path[..<end]))
    }

    static func string(_ matcher: StringMatch, _ value: String) -> Bool {
        var copy = value
        return copy.withUTF8 { matcher.matches(UnsafeRawBufferPointer($0)) }
    }
}
