import Foundation
import MeshConfig
import MeshCore

/// RequestAuthentication: JWT rules (issuer, JWKS source, token locations, outputs).
enum RequestAuthenticationRules {
    static func validate(_ policy: RequestAuthentication, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        PolicyTargetChecks.validate(selector: policy.selector, targetRef: policy.targetRef, targetRefs: policy.targetRefs, spec, &sink)
        var issuers: [String: Int] = [:]
        for (index, rule) in (policy.jwtRules ?? []).enumerated() {
            let path = spec / "jwtRules" / index
            CommonChecks.nonEmptyStrings(rule.audiences, path / "audiences", &sink)
            let issuer = rule.issuer ?? ""
            let jwksUri = rule.jwksUri ?? rule.jwks_uri ?? ""
            if issuer.isEmpty && jwksUri.isEmpty { sink.error(path / "issuer", "issuer or jwksUri must be set") }
            if !issuer.isEmpty {
                if let first = issuers[issuer] { sink.warning(path / "issuer", "issuer \"\(issuer)\" is already configured by jwtRules[\(first)]") }
                else { issuers[issuer] = index }
            }
            if !jwksUri.isEmpty, let problem = urlProblem(jwksUri) {
                sink.error(path / (rule.jwksUri != nil ? "jwksUri" : "jwks_uri"), problem)
            }
            if let jwks = rule.jwks, !looksLikeJWKS(jwks) {
                sink.error(path / "jwks", "jwks must be a JSON Web Key Set ({\"keys\": [...]}) or a single JSON Web Key")
            }
            for (headerIndex, header) in (rule.fromHeaders ?? []).enumerated() where (header.name ?? "").isEmpty {
                sink.error(path / "fromHeaders" / headerIndex / "name", "header name is required")
            }
            CommonChecks.nonEmptyStrings(rule.fromParams, path / "fromParams", &sink)
            CommonChecks.nonEmptyStrings(rule.fromCookies, path / "fromCookies", &sink)
            for (outputIndex, output) in (rule.outputClaimToHeaders ?? []).enumerated() {
                let outputPath = path / "outputClaimToHeaders" / outputIndex
                if (output.claim ?? "").isEmpty { sink.error(outputPath / "claim", "claim is required") }
                let header = output.header ?? ""
                if header.isEmpty { sink.error(outputPath / "header", "header is required") }
                else if !header.utf8.allSatisfy({ HostName.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) {
                    sink.error(outputPath / "header", "\"\(header)\" is not a valid header name (letters, digits and '-')")
                }
            }
            // Istio's webhook does not check this field; Envoy rejects a bad name later.
            if let header = rule.outputPayloadToHeader, !CommonChecks.isToken(header) {
                sink.warning(path / "outputPayloadToHeader", "\"\(header)\" is not a valid header name: the proxy will reject this rule")
            }
        }
    }

    static func urlProblem(_ uri: String) -> String? {
        let scheme: String
        if uri.hasPrefix("https://") { scheme = "https://" } else if uri.hasPrefix("http://") { scheme = "http://" } else {
            return "jwksUri \"\(uri)\" must start with http:// or https://"
        }
        let rest = uri.dropFirst(scheme.count)
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if authority.isEmpty { return "jwksUri \"\(uri)\" has no host" }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            if Int(port) == nil { return "jwksUri \"\(uri)\" has a non-numeric port" }
        }
        return nil
    }

    /// What `jwk.Parse` needs at the JSON level: a key set `{"keys": [...]}` whose
    /// entries are keys, or a single key — each a JSON object with a known `kty`.
    static func looksLikeJWKS(_ text: String) -> Bool {
        guard let data = text.data(using: .utf8),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return false }
        func isKey(_ value: Any) -> Bool {
            guard let key = value as? [String: Any], let type = key["kty"] as? String else { return false }
            return ["RSA", "EC", "OKP", "oct"].contains(type)
        }
        if let keys = root["keys"] {
            guard let list = keys as? [Any] else { return false }
            return list.allSatisfy(isKey)
        }
        return isKey(root)
    }
}
