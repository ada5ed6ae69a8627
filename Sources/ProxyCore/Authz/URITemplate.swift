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

    /// RFC 3986 pchar without `*` (Envoy's kLiteral, `=` included).
    static let literalClass = "a-zA-Z0-9-._~%!$&'()+,;:@="
    static let literalCharacters: Set<Character> = {
        var set = Set("-._~%!$&'()+,;:@=")
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

    /// One token of Envoy's template grammar: `/`, a literal, an operator, a variable.
    enum Token {
        case slash
        case literal(Substring)
        case glob(Glob)
        case variable(name: Substring, match: [Token])
    }

    static func expression(for template: String) throws(InvalidTemplate) -> String {
        guard template.first == "/", template.allSatisfy({ $0.isASCII && $0 > " " && $0 != "\u{7F}" }) else {
            throw InvalidTemplate(reason: "Invalid pattern")
        }
        var rest = Substring(template)
        var tokens: [Token] = []
        while !rest.isEmpty {
            if rest.first == "*" {
                tokens.append(.glob(glob(&rest)))
            } else if rest.first == "{" {
                tokens.append(try variable(&rest))
            } else {
                tokens.append(try literalToken(&rest))
            }
        }
        try validate(tokens)
        return tokens.map(regex).joined()
    }

    static func glob(_ rest: inout Substring) -> Glob {
        if rest.hasPrefix("**") {
            rest = rest.dropFirst(2)
            return .text
        }
        rest = rest.dropFirst()
        return .path
    }

    /// `/`, or text up to the next `/` or `{`.
    static func literalToken(_ rest: inout Substring) throws(InvalidTemplate) -> Token {
        if rest.first == "/" {
            rest = rest.dropFirst()
            return .slash
        }
        let end = rest.firstIndex { $0 == "/" || $0 == "{" } ?? rest.endIndex
        let text = rest[..<end]
        guard !text.isEmpty, text.allSatisfy({ literalCharacters.contains($0) }) else { throw InvalidTemplate(reason: "Invalid literal") }
        rest = rest[end...]
        return .literal(text)
    }

    static func variable(_ rest: inout Substring) throws(InvalidTemplate) -> Token {
        guard let close = rest.firstIndex(of: "}") else { throw InvalidTemplate(reason: "Unmatched variable bracket") }
        let body = rest[rest.index(after: rest.startIndex)..<close]
        rest = rest[rest.index(after: close)...]
        let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0]
        guard let first = name.first, first.isASCII, first.isLetter, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw InvalidTemplate(reason: "Invalid variable name")
        }
        guard parts.count == 2 else { return .variable(name: name, match: []) }
        var pattern = parts[1]
        guard !pattern.isEmpty else { throw InvalidTemplate(reason: "Empty variable match") }
        var match: [Token] = []
        while !pattern.isEmpty {
            let afterGlob: Bool
            if case .glob? = match.last { afterGlob = true } else { afterGlob = false }
            if pattern.first == "*" && !afterGlob {
                match.append(.glob(glob(&pattern)))
            } else if pattern.first != "/" && afterGlob {
                throw InvalidTemplate(reason: "Invalid variable match, path cannot directly be prepended by operator, is a slash missing?")
            } else {
                match.append(try literalToken(&pattern))
            }
        }
        return .variable(name: name, match: match)
    }

    /// Envoy's checks: variable names and count, no glob after `**`, no `//`.
    static func validate(_ tokens: [Token]) throws(InvalidTemplate) {
        var names: Set<Substring> = []
        var sawTextGlob = false
        var previousSlash = false
        for token in tokens {
            var slash = false
            switch token {
            case .slash:
                slash = true
            case .literal:
                break
            case .glob(let kind):
                if sawTextGlob { throw InvalidTemplate(reason: "Glob after text glob.") }
                sawTextGlob = kind == .text
            case .variable(let name, let match):
                guard names.count < 5 else { throw InvalidTemplate(reason: "Exceeded variable count limit (5)") }
                guard name.count <= 16 else { throw InvalidTemplate(reason: "Invalid variable name length") }
                guard names.insert(name).inserted else { throw InvalidTemplate(reason: "Repeated variable name: \"\(name)\"") }
                if match.isEmpty, sawTextGlob { throw InvalidTemplate(reason: "Implicit variable path glob after text glob.") }
                for case .glob(let kind) in match {
                    if sawTextGlob { throw InvalidTemplate(reason: "Glob after text glob.") }
                    sawTextGlob = kind == .text
                }
                if case .slash? = match.first { slash = true }
            }
            if previousSlash && slash { throw InvalidTemplate(reason: "Double slashes (/) detected in uri_template, this is not allowed.") }
            previousSlash = slash
        }
    }

    static func regex(_ token: Token) -> String {
        switch token {
        case .slash: return "/"
        case .literal(let text): return escaped(text)
        case .glob(.path): return "[\(literalClass)]+"
        case .glob(.text): return "[\(literalClass)/]*"
        case .variable(let name, let match):
            return "(?P<\(name)>" + (match.isEmpty ? regex(.glob(.path)) : match.map(regex).joined()) + ")"
        }
    }

    /// Envoy escapes only these in literals.
    static func escaped(_ text: Substring) -> String {
        var escaped = ""
        for character in text {
            if "$()+.".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
