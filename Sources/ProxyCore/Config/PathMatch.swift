import MeshCore

/// The path part of a RouteMatch (`prefix`, `path`, `safe_regex`,
/// `path_separated_prefix`), with Envoy's rules about the query string: a prefix is
/// tested against the whole `:path`, the others against the path without query
/// or fragment.
public struct PathMatch: Sendable {
    public enum Kind: Sendable {
        case prefix([UInt8])
        case exact([UInt8])
        case regex(RegexPattern)
        case separatedPrefix([UInt8])
    }

    public let kind: Kind
    public let caseSensitive: Bool

    public init(_ kind: Kind, caseSensitive: Bool = true) {
        self.caseSensitive = caseSensitive
        guard !caseSensitive else {
            self.kind = kind
            return
        }
        switch kind {
        case .prefix(let bytes): self.kind = .prefix(bytes.map(ASCII.lower))
        case .exact(let bytes): self.kind = .exact(bytes.map(ASCII.lower))
        case .separatedPrefix(let bytes): self.kind = .separatedPrefix(bytes.map(ASCII.lower))
        case .regex: self.kind = kind
        }
    }

    public func matches(path: UnsafeRawBufferPointer) -> Bool {
        let ignoreCase = !caseSensitive
        switch kind {
        case .prefix(let prefix):
            return ByteMatch.hasPrefix(path, prefix, ignoreCase: ignoreCase)
        case .exact(let exact):
            let bare = Self.withoutQuery(path)
            return bare.count == exact.count && ByteMatch.hasPrefix(bare, exact, ignoreCase: ignoreCase)
        case .separatedPrefix(let prefix):
            let bare = Self.withoutQuery(path)
            guard ByteMatch.hasPrefix(bare, prefix, ignoreCase: ignoreCase) else { return false }
            return bare.count == prefix.count || bare[prefix.count] == UInt8(ascii: "/")
        case .regex(let regex):
            return regex.fullMatch(String(decoding: Self.withoutQuery(path), as: UTF8.self))
        }
    }

    /// The path up to `?` or `#`.
    @inline(__always) static func withoutQuery(_ path: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var index = 0
        while index < path.count {
            let byte = path[index]
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { return UnsafeRawBufferPointer(rebasing: path[0..<index]) }
            index += 1
        }
        return path
    }
}

extension PathMatch {
    /// How many leading path bytes a prefix match covers (what prefix rewrites
    /// replace); the whole path for exact matches is handled by the caller.
    public var prefixLength: Int {
        switch kind {
        case .prefix(let bytes), .separatedPrefix(let bytes): return bytes.count
        case .exact, .regex: return 0
        }
    }
}
