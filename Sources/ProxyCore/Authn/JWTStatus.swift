/// jwt_verify_lib's statuses, with the messages Envoy sends as the body of its
/// 401 (403 for audiences) local reply.
public enum JWTStatus: Error, Sendable, Equatable {
    case ok
    case missing
    case notYetValid
    case expired
    case badFormat
    case headerBadBase64
    case headerBadJSON
    case headerBadAlg
    case headerAlgNotImplemented
    case headerBadKid
    case payloadBadBase64
    case payloadBadJSON
    case payloadIssNotString
    case payloadSubNotString
    case payloadIatNotInteger
    case payloadNbfNotInteger
    case payloadExpNotInteger
    case payloadAudNotStringOrList
    case signatureBadBase64
    case unknownIssuer
    case audienceNotAllowed
    case verificationFailed
    case kidAlgMismatch
    case noValidKeys

    public var message: String {
        switch self {
        case .ok: "OK"
        case .missing: "Jwt is missing"
        case .notYetValid: "Jwt not yet valid"
        case .expired: "Jwt is expired"
        case .badFormat: "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"
        case .headerBadBase64: "Jwt header is an invalid Base64url encoded"
        case .headerBadJSON: "Jwt header is an invalid JSON"
        case .headerBadAlg: "Jwt header [alg] field is required and must be a string"
        case .headerAlgNotImplemented: "Jwt header [alg] is not supported"
        case .headerBadKid: "Jwt header [kid] field is not a string"
        case .payloadBadBase64: "Jwt payload is an invalid Base64url encoded"
        case .payloadBadJSON: "Jwt payload is an invalid JSON"
        case .payloadIssNotString: "Jwt payload [iss] field is not a string"
        case .payloadSubNotString: "Jwt payload [sub] field is not a string"
        case .payloadIatNotInteger: "Jwt payload [iat] field is not an integer"
        case .payloadNbfNotInteger: "Jwt payload [nbf] field is not an integer"
        case .payloadExpNotInteger: "Jwt payload [exp] field is not an integer"
        case .payloadAudNotStringOrList: "Jwt payload [aud] field is not a string or string list"
        case .signatureBadBase64: "Jwt signature is an invalid Base64url encoded"
        case .unknownIssuer: "Jwt issuer is not configured"
        case .audienceNotAllowed: "Audiences in Jwt are not allowed"
        case .verificationFailed: "Jwt verification fails"
        case .kidAlgMismatch: "Jwks doesn't have key to match kid or alg from Jwt"
        case .noValidKeys: "Jwks doesn't have any valid public key"
        }
    }

    /// Envoy answers 403 for audiences, 401 for everything else.
    public var httpStatus: Int { self == .audienceNotAllowed ? 403 : 401 }
}
