import MeshConfig
import MeshCore
import MeshSnapshot
import NIOCore

/// istiod's JWKS resolver: the control plane fetches every RequestAuthentication
/// `jwksUri` and hands the keys to the translator (inlined for the proxies); a
/// fetch that fails is logged and retried, meanwhile tokens of that issuer are
/// refused. Fetched keys are refreshed every 20 minutes (istiod's default).
extension ControlPlane {
    static let jwksRefresh: Duration = .seconds(20 * 60)
    static let jwksRetry: Duration = .seconds(5)

    /// The URIs the config references (rules without inline keys), with the rule's timeout.
    static func jwksURIs(in snapshot: MeshSnapshot) -> [String: TimeAmount] {
        var result: [String: TimeAmount] = [:]
        for policy in snapshot.requestAuthentications {
            for rule in policy.spec.jwtRules ?? [] where (rule.jwks ?? "").isEmpty {
                guard let uri = rule.jwksUri ?? rule.jwks_uri, !uri.isEmpty else { continue }
                let timeout = rule.timeout.flatMap { try? GoDuration.parse($0) }.map { TimeAmount.nanoseconds($0) } ?? .seconds(5)
                result[uri] = timeout
            }
        }
        return result
    }

    /// Fetches what is missing, failed a while ago or due for refresh; true when
    /// the keys in force changed (the snapshot was rebuilt).
    func refreshJWKS(now: ContinuousClock.Instant = .now) async -> Bool {
        let wanted = Self.jwksURIs(in: snapshot)
        var changed = false
        for (uri, timeout) in wanted.sorted(by: { $0.key < $1.key }) {
            if let last = jwksAttempts[uri] {
                let wait = jwks[uri].map { if case .keys = $0 { Self.jwksRefresh } else { Self.jwksRetry } } ?? Self.jwksRetry
                guard now - last >= wait else { continue }
            }
            jwksAttempts[uri] = now
            let result: JWKSFetch
            switch await JWKSClient.fetch(uri, timeout: timeout) {
            case .success(let document): result = .keys(document)
            case .failure(let failure):
                result = .failed(failure.description)
                logger.error("jwksUri fetch failed; tokens of this issuer are refused until it succeeds", metadata: ["uri": "\(uri)", "error": "\(failure)"])
            }
            if jwks[uri] != result {
                // Keep keys that worked when a refresh fails (istiod keeps the last good keys).
                if case .failed = result, case .keys? = jwks[uri] { continue }
                jwks[uri] = result
                changed = true
            }
        }
        for uri in jwks.keys where wanted[uri] == nil {
            jwks[uri] = nil
            jwksAttempts[uri] = nil
        }
        if changed { rebuildSnapshot() }
        return changed
    }
}
