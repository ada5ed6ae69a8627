/// What went wrong in the CA, in words an operator can act on. The gRPC service maps
/// `.permissionDenied` / `.unauthenticated` to the matching status codes, the rest to
/// INVALID_ARGUMENT or INTERNAL.
public enum CAError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidIdentity(String, reason: String)
    case invalidCSR(String)
    case unsupportedKey(String)
    case invalidValidity(String)
    case unauthenticated(String)
    case permissionDenied(String)
    case invalidCAFiles(String)
    case signingFailed(String)

    public var description: String {
        switch self {
        case .invalidIdentity(let uri, let reason): "identity \"\(uri)\" \(reason)"
        case .invalidCSR(let text): "CSR: \(text)"
        case .unsupportedKey(let text): "CSR key: \(text)"
        case .invalidValidity(let text): "validity: \(text)"
        case .unauthenticated(let text): "unauthenticated: \(text)"
        case .permissionDenied(let text): "permission denied: \(text)"
        case .invalidCAFiles(let text): "CA files: \(text)"
        case .signingFailed(let text): "signing failed: \(text)"
        }
    }
}
