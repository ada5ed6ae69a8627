/// The connection manager's path options (`normalize_path`, `merge_slashes`,
/// `path_with_escaped_slashes_action`), applied to every request before routing
/// and before the HTTP filters, in Envoy's order (`maybeNormalizePath`).
public struct PathNormalization: Sendable, Equatable {
    /// `path_with_escaped_slashes_action`; Envoy's unset default is KEEP_UNCHANGED.
    public enum EscapedSlashes: Sendable, Equatable {
        case keepUnchanged
        case reject
        case unescapeAndRedirect
        case unescapeAndForward
    }

    /// What to do with a request after normalisation.
    public enum Outcome: Equatable, Sendable {
        /// The path stays as received.
        case unchanged
        /// Forward with this path (and query) instead.
        case rewritten([UInt8])
        /// 400, connection closed (Envoy's `path_normalization_failed`).
        case reject
        /// 307 with `location` set to this path (400 for gRPC requests).
        case redirect([UInt8])
    }

    public var normalizePath: Bool
    public var mergeSlashes: Bool
    public var escapedSlashes: EscapedSlashes

    public init(normalizePath: Bool = false, mergeSlashes: Bool = false, escapedSlashes: EscapedSlashes = .keepUnchanged) {
        self.normalizePath = normalizePath
        self.mergeSlashes = mergeSlashes
        self.escapedSlashes = escapedSlashes
    }

    /// `path` is `:path` as received (path and query). A fragment is refused
    /// whatever the options (Envoy rejects `#` in `:path`).
    public func apply(_ path: UnsafeRawBufferPointer) -> Outcome {
        if path.contains(UInt8(ascii: "#")) { return .reject }
        // Nothing below changes a path without these bytes: the common case costs one scan.
        guard needsWork(path) else { return .unchanged }
        var current = Array(path)
        var redirect = false
        if escapedSlashes != .keepUnchanged, let unescaped = Self.unescapeSlashes(current) {
            switch escapedSlashes {
            case .reject: return .reject
            case .unescapeAndRedirect: redirect = true
            case .unescapeAndForward, .keepUnchanged: break
            }
            current = unescaped
        }
        if normalizePath {
            let queryStart = current.firstIndex(of: UInt8(ascii: "?")) ?? current.count
            guard var canonical = current[..<queryStart].withUnsafeBytes({ URLPathCanonicalizer.canonicalize($0) }) else { return .reject }
            canonical.append(contentsOf: current[queryStart...])
            current = canonical
        }
        if mergeSlashes { current = Self.mergeSlashes(current) }
        if redirect { return .redirect(current) }
        return current.elementsEqual(path) ? .unchanged : .rewritten(current)
    }

    /// False when no option can change `path`: no escapes, no dot after a slash,
    /// no character googleurl rewrites, no doubled slash.
    private func needsWork(_ path: UnsafeRawBufferPointer) -> Bool {
        guard let first = path.first, first == UInt8(ascii: "/") else { return normalizePath }
        var previous: UInt8 = 0
        for byte in path {
            if byte == UInt8(ascii: "?") { return false }
            switch URLPathCanonicalizer.table[Int(byte)] {
            case .pass, .unescape:
                if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") && mergeSlashes { return true }
            case .special:
                if byte == UInt8(ascii: "%") {
                    if normalizePath || escapedSlashes != .keepUnchanged { return true }
                } else if byte == UInt8(ascii: ".") {
                    if normalizePath && previous == UInt8(ascii: "/") { return true }
                } else if normalizePath {
                    return true
                }
            case .escape, .invalid:
                if normalizePath { return true }
            }
            previous = byte
        }
        return false
    }

    /// `%2F` / `%2f` -> `/`, `%5C` / `%5c` -> `\` before the query; nil when none.
    static func unescapeSlashes(_ path: [UInt8]) -> [UInt8]? {
        let queryStart = path.firstIndex(of: UInt8(ascii: "?")) ?? path.count
        var output: [UInt8] = []
        output.reserveCapacity(path.count)
        var index = 0
        var changed = false
        while index < queryStart {
            if path[index] == UInt8(ascii: "%"), index + 2 < queryStart {
                let high = path[index + 1]
                let exactCase = path[index + 2]
                if high == UInt8(ascii: "2"), exactCase == UInt8(ascii: "F") || exactCase == UInt8(ascii: "f") {
                    output.append(UInt8(ascii: "/"))
                    index += 3
                    changed = true
                    continue
                }
                if high == UInt8(ascii: "5"), exactCase == UInt8(ascii: "C") || exactCase == UInt8(ascii: "c") {
                    output.append(UInt8(ascii: "\\"))
                    index += 3
                    changed = true
                    continue
                }
            }
            output.append(path[index])
            index += 1
        }
        guard changed else { return nil }
        output.append(contentsOf: path[queryStart...])
        return output
    }

    /// Envoy's `mergeSlashes`: the path's segments joined by single slashes, the
    /// leading and trailing slash kept, the query untouched.
    static func mergeSlashes(_ path: [UInt8]) -> [UInt8] {
        let slash = UInt8(ascii: "/")
        let queryStart = path.firstIndex(of: UInt8(ascii: "?")) ?? path.count
        let bare = path[..<queryStart]
        var hasDouble = false
        var index = bare.startIndex
        while index + 1 < bare.endIndex {
            if bare[index] == slash && bare[index + 1] == slash { hasDouble = true; break }
            index += 1
        }
        guard hasDouble else { return path }
        var output: [UInt8] = []
        if bare.first == slash { output.append(slash) }
        var firstSegment = true
        for segment in bare.split(separator: slash, omittingEmptySubsequences: true) {
            if !firstSegment { output.append(slash) }
            output.append(contentsOf: segment)
            firstSegment = false
        }
        if bare.last == slash { output.append(slash) }
        output.append(contentsOf: path[queryStart...])
        return output
    }
}
