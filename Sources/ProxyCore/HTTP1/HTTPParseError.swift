/// Why a head was rejected, with the status Envoy answers it with.
public enum HTTPParseError: Error, Sendable, Equatable {
    case badRequest(String)
    case headersTooLarge
    case notImplemented(String)

    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .headersTooLarge: return 431
        case .notImplemented: return 501
        }
    }

    /// Envoy's response-code detail for the access log.
    public var detail: String {
        switch self {
        case .badRequest(let what): return "http1.codec_error{\(what)}"
        case .headersTooLarge: return "http1.headers_too_large"
        case .notImplemented(let what): return "http1.invalid_transfer_encoding{\(what)}"
        }
    }
}
