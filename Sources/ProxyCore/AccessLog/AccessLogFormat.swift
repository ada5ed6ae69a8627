/// An Envoy access-log format string (`%OPERATOR%` commands between literal
/// text), parsed once when the config is built so that writing a line is a walk
/// over segments. Operators the proxy has no value for print `-`, as Envoy
/// prints a missing value.
public struct AccessLogFormat: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case startTime
        /// `%REQ(NAME?ALT):MAX%`: the index into `requestHeaders`.
        case requestHeader(Int, maxLength: Int?)
        case responseHeader(Int, maxLength: Int?)
        case protocolName
        case responseCode
        case responseCodeDetails
        case responseFlags
        case bytesReceived
        case bytesSent
        case duration
        case upstreamHost
        case upstreamCluster
        case upstreamLocalAddress
        case connectionTerminationDetails
        case downstreamRemoteAddress
        case downstreamRemoteAddressWithoutPort
        case downstreamLocalAddress
        case routeName
        case downstreamPeerURISAN
        case downstreamLocalURISAN
        case requestedServerName
        case upstreamTransportFailureReason
        /// Known to Envoy, no value here yet.
        case missing
        /// A JSON value of a `json_format` log (see AccessLogFormat+JSON).
        case json(JSONSlot)
    }

    /// A header command: the name, and the alternative used when it is absent
    /// (lower-cased; `:method`, `:path`, `:authority`, `:scheme` are pseudo-headers).
    public struct HeaderRef: Sendable, Equatable {
        public var name: [UInt8]
        public var alternative: [UInt8]?
    }

    /// Envoy's default format (what it logs without a `log_format`).
    public static let envoyDefault = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n"

    public internal(set) var segments: [Segment] = []
    public internal(set) var requestHeaders: [HeaderRef] = []
    public internal(set) var responseHeaders: [HeaderRef] = []

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(_ format: String) throws(ParseError) {
        segments = try parseSegments(format)
    }

    /// The capture slot of a header a filter reads (shared with the format's own
    /// `%REQ(...)%` / `%RESP(...)%` commands of the same name).
    public mutating func headerSlot(_ name: String, response: Bool) -> Int {
        let ref = HeaderRef(name: Array(name.lowercased().utf8), alternative: nil)
        if response {
            if let index = responseHeaders.firstIndex(of: ref) { return index }
            responseHeaders.append(ref)
            return responseHeaders.count - 1
        }
        if let index = requestHeaders.firstIndex(of: ref) { return index }
        requestHeaders.append(ref)
        return requestHeaders.count - 1
    }

    /// Splits a format string into literal text and commands (registering header refs).
    mutating func parseSegments(_ format: String) throws(ParseError) -> [Segment] {
        var result: [Segment] = []
        let bytes = Array(format.utf8)
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                literal.append(bytes[index])
                index += 1
                continue
            }
            guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "%")) else {
                throw ParseError(description: "unterminated command at offset \(index) of \"\(format)\"")
            }
            if close == index + 1 {
                // `%%` is a literal percent sign.
                literal.append(UInt8(ascii: "%"))
                index = close + 1
                continue
            }
            if !literal.isEmpty {
                result.append(.literal(literal))
                literal = []
            }
            result.append(try command(String(decoding: bytes[(index + 1)..<close], as: UTF8.self)))
            index = close + 1
        }
        if !literal.isEmpty { result.append(.literal(literal)) }
        return result
    }

    private mutating func command(_ text: String) throws(ParseError) -> Segment {
        if text.hasPrefix("REQ(") || text.hasPrefix("RESP(") {
            guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else {
                throw ParseError(description: "malformed command %\(text)%")
            }
            let argument = text[text.index(after: open)..<close].lowercased()
            let names = argument.split(separator: "?", maxSplits: 1).map { Array($0.utf8) }
            guard let name = names.first, !name.isEmpty else { throw ParseError(description: "empty header name in %\(text)%") }
            var maxLength: Int?
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { maxLength = Int(rest.dropFirst()) }
            let ref = HeaderRef(name: name, alternative: names.count > 1 ? names[1] : nil)
            if text.hasPrefix("REQ(") {
                requestHeaders.append(ref)
                return .requestHeader(requestHeaders.count - 1, maxLength: maxLength)
            }
            responseHeaders.append(ref)
            return .responseHeader(responseHeaders.count - 1, maxLength: maxLength)
        }
        switch text {
        case "START_TIME": return .startTime
        case "PROTOCOL": return .protocolName
        case "RESPONSE_CODE": return .responseCode
        case "RESPONSE_CODE_DETAILS": return .responseCodeDetails
        case "RESPONSE_FLAGS": return .responseFlags
        case "BYTES_RECEIVED": return .bytesReceived
        case "BYTES_SENT": return .bytesSent
        case "DURATION": return .duration
        case "UPSTREAM_HOST": return .upstreamHost
        case "UPSTREAM_CLUSTER", "UPSTREAM_CLUSTER_RAW": return .upstreamCluster
        case "DOWNSTREAM_REMOTE_ADDRESS", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS": return .downstreamRemoteAddress
        case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT": return .downstreamRemoteAddressWithoutPort
        case "DOWNSTREAM_LOCAL_ADDRESS": return .downstreamLocalAddress
        case "ROUTE_NAME": return .routeName
        case "DOWNSTREAM_PEER_URI_SAN": return .downstreamPeerURISAN
        case "DOWNSTREAM_LOCAL_URI_SAN": return .downstreamLocalURISAN
        case "REQUESTED_SERVER_NAME": return .requestedServerName
        case "UPSTREAM_TRANSPORT_FAILURE_REASON": return .upstreamTransportFailureReason
        case "UPSTREAM_LOCAL_ADDRESS": return .upstreamLocalAddress
        case "CONNECTION_TERMINATION_DETAILS": return .connectionTerminationDetails
        case "UPSTREAM_SERVICE_TIME", "REQUEST_DURATION", "RESPONSE_DURATION":
            return .missing
        default:
            if text.hasPrefix("START_TIME(") { return .startTime }
            throw ParseError(description: "unsupported access-log command %\(text)%")
        }
    }
}
