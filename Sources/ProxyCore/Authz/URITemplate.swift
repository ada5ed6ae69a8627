import MeshCore

/// Envoy's URI template matcher (`envoy.path.match.uri_template`), which Istio
/// uses for authorization paths with `{*}` (one segment) and `{**}` (any
/// rest): the template is parsed with Envoy's rules and turned into the same
/// RE2 expression Envoy builds, matched against the path without query.
public struct URITemplate: Sendable {
    public struct InvalidTemplate: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// RFC 3986 pchar without `*` and `=` (Envoy's kLiteral).
    static let literalClass = "a-zA-Z0-9-._~%!$&'()+,;:@"
    static let literalCharacters: Set<Character> = {
        var set = Set("-._~%!$&'()+,;:@")
        for scalar in UnicodeScalar("a").value...UnicodeScalar("z").value { set.insert(Character(UnicodeScalar(scalar)!)) }
        for scalar in UnicodeScalar("A").value...UnicodeScalar("Z").value { set.insert(Character(UnicodeScalar(scalar)!)) }
        for scalar in UnicodeScalar("0").value...UnicodeScalar("9").value { set.insert(Character(UnicodeScalar(scalar)!)) }
        return set
    }()

    public let template: String
    /// The RE2 expression Envoy would build (a full match is required).
    public let expression: String
    let regex: RegexPattern

    public init(_ template: String) throws(InvalidTemplate) {
        self.template = template
        expression = try Self.expression(for: template)
        do {
            regex = try RegexPattern(expression)
        } catch {
            throw InvalidTemplate(reason: "\(error)")
        }
    }

    /// Whether the path (query and fragment ignored) fits the template.
    public func matches(_ path: UnsafeRawBufferPointer) -> Bool {
        var end = 0
        while end < path.count, path[end] != UInt8(ascii: "?"), path[end] != UInt8(ascii: "#") { end += 1 }
        return regex.fullMatch(String(decoding: UnsafeRawBufferPointer(rebasing: path[..<end]), as: UTF8.self))
    }

    enum Glob { case path, text }

    static func expression(for template: String) throws(InvalidTemplate) -> String {
        guard template.first == "/", template.allSatisfy({ $0.isASCII && $0 > " " && $0 != "\u{7F}" }) else {
            throw InvalidTemplate(reason: "Invalid pattern")
        }
        var rest = Substring(template.dropFirst())
        var segments: [String] = []
        var suffix = ""
        var variables: Set<Substring> = []
        var sawTextGlob = false
        func glob(_ kind: Glob) throws(InvalidTemplate) -> String {
            if sawTextGlob { throw InvalidTemplate(reason: "Glob after text glob.") }
            if kind == .text { sawTextGlob = true }
            return kind == .path ? "[\(literalClass)]+" : "[\(literalClass)/]*"
        }
        while !rest.isEmpty {
            if rest.hasPrefix("**") {
                segments.append(try glob(.text))
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("*") {
                segments.append(try glob(.path))
                rest = rest.dropFirst()
            } else if rest.hasPrefix("{") {
                guard let close = rest.firstIndex(of: "}") else { throw InvalidTemplate(reason: "Unmatched variable bracket") }
                let body = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0]
                guard let first = name.first, first.isLetter, first.isASCII, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw InvalidTemplate(reason: "Invalid variable name")
                }
                guard name.count <= 16 else { throw InvalidTemplate(reason: "Invalid variable length") }
                guard variables.insert(name).inserted else { throw InvalidTemplate(reason: "Repeated variable name") }
                guard variables.count <= 5 else { throw InvalidTemplate(reason: "Exceeded variable count limit") }
                var inner: [String] = []
                if parts.count == 2 {
                    guard !parts[1].isEmpty else { throw InvalidTemplate(reason: "Empty variable match") }
                    for piece in parts[1].split(separator: "/", omittingEmptySubsequences: false) {
                        switch piece {
                        case "**": inner.append(try glob(.text))
                        case "*": inner.append(try glob(.path))
                        default: inner.append(try literal(piece))
                        }
                    }
                } else {
                    inner.append(try glob(.path))
                }
                segments.append("(?P<\(name)>\(inner.joined(separator: "/")))")
            } else {
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                segments.append(try literal(rest[..<end]))
                rest = rest[end...]
            }
            guard !rest.isEmpty else { break }
            if rest == "/" {
                // A trailing slash: an empty last segment.
                segments.append("")
                break
            } else if rest.first == "/" {
                rest = rest.dropFirst()
            } else {
                // Text right after a glob or variable is a suffix, and must end the template.
                guard !rest.contains("/") else { throw InvalidTemplate(reason: "Prefix match not supported.") }
                suffix = try literal(rest)
                break
            }
        }
        return "/" + segments.joined(separator: "/") + suffix
    }

    static func literal(_ text: Substring) throws(InvalidTemplate) -> String {
        guard !text.isEmpty, text.allSatisfy({ literalCharacters.contains($0) }) else { throw InvalidTemplate(reason: "Invalid literal") }
        var escaped = ""
        for character in text {
            if "$()+.".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
