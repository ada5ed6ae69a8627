/// The demo workload's answers, as pure functions of the request, the workload's
/// identity and the outcome of its calls. No I/O, no clock, no randomness: the server
/// passes in the random roll and the call results.
public struct DemoResponseBuilder: Sendable {
    public var service: String
    public var version: String
    public var instance: String

    public init(service: String, version: String, instance: String) {
        self.service = service
        self.version = version
        self.instance = instance
    }

    /// Headers a bookinfo service copies from its request onto the requests it makes
    /// (tracing, routing by user, auth), in this order.
    public static let forwardedHeaderNames: [String] = [
        "x-request-id", "traceparent", "tracestate",
        "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "b3",
        "end-user", "user-agent", "cookie", "authorization",
    ]

    /// How a request is served.
    public enum Route: Equatable, Sendable {
        /// `GET|HEAD /healthz`: 200 "ok"; never delayed, failed, nor calling out.
        case health
        /// The echo document with this status (200, or CODE for `/status/CODE`).
        case echo(status: Int)
        /// `/status/X` where X is not a status 200-599: 400 with this message.
        case badRequest(String)
    }

    public static func route(for request: DemoRequest) -> Route {
        let path = request.path
        if path == "/healthz" && (request.method == "GET" || request.method == "HEAD") { return .health }
        let prefix = "/status/"
        if path.hasPrefix(prefix) {
            let code = path.dropFirst(prefix.count)
            guard !code.contains("/") else { return .echo(status: 200) }
            guard code.count <= 3, code.allSatisfy({ $0.isASCII && $0.isNumber }), let status = Int(code), (200...599).contains(status) else {
                return .badRequest("/status/CODE needs a status code 200-599 (got \"\(code)\")")
            }
            return .echo(status: status)
        }
        return .echo(status: 200)
    }

    /// Whether a request with random `roll` in [0, 1) gets the injected failure.
    public static func shouldFail(roll: Double, ratio: Double) -> Bool {
        ratio > 0 && roll < ratio
    }

    /// The request's headers to copy onto each outbound call.
    public static func forwardedHeaders(from request: DemoRequest) -> [(name: String, value: String)] {
        forwardedHeaderNames.flatMap { name in request.values(of: name).map { (name: name, value: $0) } }
    }

    // MARK: documents

    /// `{"service", "version", "instance", "method", "path", "headers", "calls"}`.
    public func echoDocument(for request: DemoRequest, calls: [JSONValue]) -> JSONValue {
        .object(identityMembers(for: request) + [
            ("headers", Self.headersObject(request.headers)),
            ("calls", .array(calls)),
        ])
    }

    /// `{"error": "injected failure", "status", "service", ...}` for `--fail-ratio`.
    public func failureDocument(for request: DemoRequest, status: Int) -> JSONValue {
        .object([("error", .string("injected failure")), ("status", .int(status))] + identityMembers(for: request))
    }

    /// Request headers as one JSON object: lower-case names, sorted; repeated fields
    /// joined with ", " (cookies with "; ", as HTTP/2 splits them).
    public static func headersObject(_ headers: [(name: String, value: String)]) -> JSONValue {
        var joined: [String: String] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            if let existing = joined[name] {
                joined[name] = existing + (name == "cookie" ? "; " : ", ") + value
            } else {
                joined[name] = value
            }
        }
        return .object(joined.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    private func identityMembers(for request: DemoRequest) -> [(String, JSONValue)] {
        [
            ("service", .string(service)),
            ("version", .string(version)),
            ("instance", .string(instance)),
            ("method", .string(request.method)),
            ("path", .string(request.target)),
        ]
    }

    // MARK: call results

    /// `{"url", "status", "body"}`; the body parsed when the callee says it is JSON
    /// (a Content-Type containing "json") and it parses, else as a string.
    public static func callResult(url: String, status: Int, contentType: String?, body: [UInt8]) -> JSONValue {
        var parsed: JSONValue = .string(String(decoding: body, as: UTF8.self))
        if let contentType, contentType.lowercased().contains("json"), let value = try? JSONParser.parse(body) {
            parsed = value
        }
        return .object([("url", .string(url)), ("status", .int(status)), ("body", parsed)])
    }

    /// `{"url", "error"}` when the call got no complete response.
    public static func callError(url: String, message: String) -> JSONValue {
        .object([("url", .string(url)), ("error", .string(message))])
    }

    // MARK: responses

    public func healthResponse(for request: DemoRequest) -> DemoResponse {
        finish(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok".utf8), method: request.method)
    }

    /// The echo document. The status stays 200 whatever the calls returned (their
    /// results are in "calls"), except for `/status/CODE`.
    public func echoResponse(for request: DemoRequest, calls: [JSONValue], status: Int = 200) -> DemoResponse {
        finish(status: status, contentType: "application/json", body: echoDocument(for: request, calls: calls).encoded, method: request.method)
    }

    public func failureResponse(for request: DemoRequest, status: Int) -> DemoResponse {
        finish(status: status, contentType: "application/json", body: failureDocument(for: request, status: status).encoded, method: request.method)
    }

    public func badRequestResponse(for request: DemoRequest, message: String) -> DemoResponse {
        let document = JSONValue.object([("error", .string(message)), ("status", .int(400))] + identityMembers(for: request))
        return finish(status: 400, contentType: "application/json", body: document.encoded, method: request.method)
    }

    /// Adds the common headers and drops the body where HTTP forbids one: 204 and 304
    /// carry none; HEAD gets the GET answer's Content-Length and no body.
    func finish(status: Int, contentType: String, body: [UInt8], method: String) -> DemoResponse {
        let servedBy = (name: "x-served-by", value: "\(service)-\(version)")
        if status == 204 || status == 304 {
            return DemoResponse(status: status, headers: [servedBy], body: [])
        }
        let headers = [
            (name: "content-type", value: contentType),
            (name: "content-length", value: String(body.count)),
            servedBy,
        ]
        return DemoResponse(status: status, headers: headers, body: method == "HEAD" ? [] : body)
    }
}
