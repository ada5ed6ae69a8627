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

    public static let missingHost = HTTPParseError.badRequest("missing host header")

    /// Envoy 1.40's `%RESPONSE_CODE_DETAILS%` for the codec's refusal (checked in
    /// DataPlaneDifferentialTests; what it does not single out is `http1.codec_error`).
    public var detail: String {
        switch self {
        case .badRequest("invalid target"): return "http1.invalid_url"
        case .badRequest("content-length with transfer-encoding"): return "http1.content_length_and_chunked_not_allowed"
        case .badRequest: return "http1.codec_error"
        case .headersTooLarge: return "http1.headers_too_large"
        case .notImplemented: return "http1.invalid_transfer_encoding"
        }
    }
}
