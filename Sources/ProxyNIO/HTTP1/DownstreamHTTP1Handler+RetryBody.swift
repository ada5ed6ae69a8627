import NIOCore
import ProxyCore

/// Envoy's router keeps a copy of a request body it may have to send again (a
/// retry), up to the connection's buffer limit (`per_connection_buffer_limit_bytes`,
/// 1 MiB by default); a larger body is streamed without a copy and the request is
/// no longer retried. The copy lives in one buffer per connection, reused.
extension DownstreamHTTP1Handler {
    static let retryBodyLimit = 1 << 20

    /// A request forwarded under a retry policy with a body starts keeping it.
    func beginRetryBody() {
        retryBodyKept = retryPolicy != nil && requestHead.framing != .none && !upgrading
        if retryBodyKept { retryBody?.clear() }
    }

    /// Keeps a slice of the body as it goes upstream, or gives up past the limit.
    func keepForRetry(_ slice: ByteBuffer) {
        guard retryBodyKept else { return }
        let kept = retryBody?.readableBytes ?? 0
        guard kept + slice.readableBytes <= Self.retryBodyLimit else {
            retryBodyKept = false
            retryBody = nil
            return
        }
        var slice = slice
        // A buffer of its own (not the read buffer's storage), reused by later requests.
        if retryBody == nil { retryBody = ByteBufferAllocator().buffer(capacity: max(slice.readableBytes, 1024)) }
        retryBody!.writeBuffer(&slice)
    }

    /// The body so far, to send after the retried head (nil: body-less or not kept).
    var keptRetryBody: ByteBuffer? {
        retryBodyKept ? (retryBody ?? ByteBuffer()) : nil
    }

    func endRetryBody() {
        retryBodyKept = false
        // A large body's buffer is not held for the connection's next requests.
        if let body = retryBody, body.capacity > 1 << 16 { retryBody = nil }
    }
}
