/// gRPC status codes for the proxy's own replies to gRPC requests. Envoy answers a
/// gRPC request's local reply as HTTP 200 with `grpc-status` / `grpc-message`
/// (a trailers-only response), the status derived from the HTTP one by
/// `Grpc::Utility::httpToGrpcStatus`.
public enum GRPCStatus {
    public static let unknown = 2
    static let contentType = Array("application/grpc".utf8)
    public static let internalError = 13

    /// Envoy's mapping (source/common/grpc/status.cc).
    public static func fromHTTP(_ status: Int) -> Int {
        switch status {
        case 400: return internalError
        case 401: return 16 // UNAUTHENTICATED
        case 403: return 7 // PERMISSION_DENIED
        case 404: return 12 // UNIMPLEMENTED
        case 429, 502, 503, 504: return 14 // UNAVAILABLE
        default: return unknown
        }
    }

    /// Whether a `content-type` value names gRPC (`application/grpc`, optionally
    /// followed by `+proto`, `;...`), as Envoy's `Grpc::Common::isGrpcRequestHeaders`.
    public static func isGRPCContentType(_ value: UnsafeRawBufferPointer) -> Bool {
        let count = contentType.count
        guard value.count >= count, ASCII.equalsLowercased(UnsafeRawBufferPointer(rebasing: value[0..<count]), contentType) else {
            return false
        }
        return value.count == count || value[count] == UInt8(ascii: "+") || value[count] == UInt8(ascii: ";")
    }
}
