extension HashPolicy {
    /// First `name=value` among `Cookie` header values; surrounding double quotes are removed.
    static func cookieValue(named name: String, in headers: [Substring]) -> Substring? {
        for header in headers {
            for pair in header.split(separator: ";", omittingEmptySubsequences: true) {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                var value = trimmed[trimmed.index(after: equals)...]
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = value.dropFirst().dropLast()
                }
                return value
            }
        }
        return nil
    }

    /// First value of `name` in the query string; a bare `name` (no `=`) has the empty value.
    static func queryValue(named name: String, path: Substring) -> Substring? {
        guard let question = path.firstIndex(of: "?") else { return nil }
        let query = path[path.index(after: question)...]
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = parameter.firstIndex(of: "=") {
                if parameter[..<equals] == name { return parameter[parameter.index(after: equals)...] }
            } else if parameter == name {
                return parameter[parameter.endIndex...]
            }
        }
        return nil
    }

    /// Envoy's generated cookie: hex of xxHash64(remote address + local address).
    static func generatedCookie(_ request: some HashPolicyRequest) -> String? {
        guard let remote = request.remoteAddress, let local = request.localAddress else { return nil }
        return hex16(XXHash64.hash(remote + local))
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `name="value"; Max-Age=N; Path=P; HttpOnly`, the shape Envoy emits.
    static func setCookieValue(name: String, value: String, path: String, maxAge: Int64) -> String {
        var cookie = "\(name)=\"\(value)\""
        if maxAge != 0 { cookie += "; Max-Age=\(maxAge)" }
        if !path.isEmpty { cookie += "; Path=\(path)" }
        return cookie + "; HttpOnly"
    }
}
