import Crypto
import _CryptoExtras
import Foundation
import Testing
@testable import MeshCA

@Suite struct CallerAuthenticatorTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let issuer = BootstrapTokenIssuer(key: P256.Signing.PrivateKey())

    var authenticator: CallerAuthenticator { CallerAuthenticator(issuers: [issuer.verifier], trustDomain: "cluster.local") }

    @Test func aBootstrapTokenNamesItsWorkload() throws {
        let token = try issuer.token(namespace: "shop", serviceAccount: "catalog", ttl: .seconds(3600), now: now)
        #expect(try authenticator.authenticate(authorization: ["Bearer \(token)"], now: now) == CSRFixtures.shop)
    }

    @Test func refusesExpiredForeignAndMissingTokens() throws {
        let token = try issuer.token(namespace: "shop", serviceAccount: "catalog", ttl: .seconds(60), now: now)
        #expect(throws: CAError.unauthenticated("the token expired at \(now.addingTimeInterval(60))")) {
            try authenticator.authenticate(token: token, now: now.addingTimeInterval(3600))
        }
        let stranger = try BootstrapTokenIssuer(key: P256.Signing.PrivateKey()).token(namespace: "shop", serviceAccount: "catalog", ttl: .seconds(60), now: now)
        #expect(throws: CAError.unauthenticated("the token's ES256 signature does not verify with the keys of issuer \"swiftmesh-control-plane\"")) {
            try authenticator.authenticate(token: stranger, now: now)
        }
        #expect(throws: CAError.self) { try authenticator.authenticate(authorization: [], now: now) }
        #expect(throws: CAError.unauthenticated("the authorization metadata is not \"Bearer <token>\"")) {
            try authenticator.authenticate(authorization: ["Basic abc"], now: now)
        }
        #expect(throws: CAError.self) { try authenticator.authenticate(token: "a.b", now: now) }
    }

    @Test func acceptsAKubernetesServiceAccountTokenFromTheConfiguredJWKS() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try key.publicKey.getKeyPrimitives()
        let jwks = try JSONSerialization.data(withJSONObject: ["keys": [[
            "kty": "RSA", "kid": "k1", "alg": "RS256",
            "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent),
        ]]])
        let kubernetes = CallerAuthenticator.TokenIssuer(issuer: "https://kubernetes.default.svc.cluster.local",
                                                          keys: try JWTVerificationKey.jwks(jwks, source: "jwks.json"), audiences: ["istio-ca"])
        let authenticator = CallerAuthenticator(issuers: [issuer.verifier, kubernetes], trustDomain: "cluster.local")
        func token(_ payload: [String: Any]) throws -> String {
            let header = Base64URL.encode(try JSONSerialization.data(withJSONObject: ["alg": "RS256", "kid": "k1"]))
            let body = Base64URL.encode(try JSONSerialization.data(withJSONObject: payload))
            let signature = try key.signature(for: Data("\(header).\(body)".utf8), padding: .insecurePKCS1v1_5)
            return "\(header).\(body).\(Base64URL.encode(signature.rawRepresentation))"
        }
        let good = try token(["iss": "https://kubernetes.default.svc.cluster.local", "aud": ["istio-ca"], "exp": 1_800_003_600,
                              "sub": "system:serviceaccount:shop:catalog"])
        #expect(try authenticator.authenticate(token: good, now: now) == CSRFixtures.shop)
        let wrongAudience = try token(["iss": "https://kubernetes.default.svc.cluster.local", "aud": ["api"], "exp": 1_800_003_600,
                                       "sub": "system:serviceaccount:shop:catalog"])
        #expect(throws: CAError.unauthenticated("the token's audience api is not one of istio-ca")) {
            try authenticator.authenticate(token: wrongAudience, now: now)
        }
        let forever = try token(["iss": "https://kubernetes.default.svc.cluster.local", "aud": ["istio-ca"], "sub": "system:serviceaccount:shop:catalog"])
        #expect(throws: CAError.unauthenticated("the token has no expiry (exp); tokens that never expire are not accepted")) {
            try authenticator.authenticate(token: forever, now: now)
        }
        let notAccount = try token(["iss": "https://kubernetes.default.svc.cluster.local", "aud": "istio-ca", "exp": 1_800_003_600, "sub": "alice"])
        #expect(throws: CAError.self) { try authenticator.authenticate(token: notAccount, now: now) }
    }

    @Test func theTokenKeyIsPersistedPrivately() throws {
        let directory = CADirectory(path: CSRFixtures.temporaryDirectory())
        let first = try BootstrapTokenIssuer.loadOrCreate(in: directory)
        let second = try BootstrapTokenIssuer.loadOrCreate(in: directory)
        #expect(first.keyID == second.keyID)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file(BootstrapTokenIssuer.keyFile))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
