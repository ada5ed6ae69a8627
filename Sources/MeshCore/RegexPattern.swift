import CRE2

/// A compiled RE2 regular expression: the engine Envoy and Istio use, so a pattern
/// accepted here is accepted by the proxies and matches the same strings.
public final class RegexPattern: @unchecked Sendable {
    public struct CompileError: Error, CustomStringConvertible {
        public let pattern: String
        public let reason: String
        public var description: String { "invalid regex \"\(pattern)\": \(reason)" }
    }

    // Immutable after init; RE2 objects are safe for concurrent matching.
    private let handle: OpaquePointer
    public let pattern: String

    public init(_ pattern: String) throws(CompileError) {
        var errorBuffer = [CChar](repeating: 0, count: 256)
        var utf8 = Array(pattern.utf8)
        utf8.append(0)
        let compiled = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                swiftmesh_re2_compile(chars.baseAddress, chars.count - 1, &errorBuffer, errorBuffer.count)
            }
        }
        guard let compiled else {
            let end = errorBuffer.firstIndex(of: 0) ?? errorBuffer.count
            let reason = String(decoding: errorBuffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CompileError(pattern: pattern, reason: reason)
        }
        handle = compiled
        self.pattern = pattern
    }

    deinit {
        swiftmesh_re2_free(handle)
    }

    /// Whole-string match, as Envoy's `safe_regex` matchers do.
    public func fullMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                swiftmesh_re2_full_match(handle, chars.baseAddress, chars.count) == 1
            }
        }
    }

    public var programSize: Int { Int(swiftmesh_re2_program_size(handle)) }
}
