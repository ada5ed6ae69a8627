/// The request methods Envoy's HTTP/1 codec accepts (its Balsa parser's list,
/// `MSEARCH` without a dash included); anything else, lower-case spellings too, is a 400.
enum HTTPMethods {
    static func isKnown(_ method: UnsafeRawBufferPointer) -> Bool {
        known.contains { $0.count == method.count && $0.elementsEqual(method) }
    }

    static let known: [[UInt8]] = [
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE",
        "ACL", "BIND", "CHECKOUT", "COPY", "LINK", "LOCK", "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL",
        "MOVE", "MSEARCH", "NOTIFY", "PROPFIND", "PROPPATCH", "PURGE", "REBIND", "REPORT", "SEARCH",
        "SOURCE", "SUBSCRIBE", "UNBIND", "UNLINK", "UNLOCK", "UNSUBSCRIBE",
    ].map { Array($0.utf8) }
}
