/// The trace-context header lines a traced request is forwarded with: always
/// W3C `traceparent` (what Envoy's OpenTelemetry tracer injects), plus B3 in the
/// form the request arrived with, so B3-only applications keep their traces.
public struct TraceHeaderWriter: Sendable {
    public enum B3Form: Sendable, Equatable {
        case none
        case single
        case multi
    }

    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    /// The span the next hop is a child of.
    public var spanID: UInt64
    public var parentSpanID: UInt64
    public var sampled: Bool
    public var b3: B3Form

    public init(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64, parentSpanID: UInt64, sampled: Bool, b3: B3Form) {
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.sampled = sampled
        self.b3 = b3
    }

    /// The most bytes `write` produces.
    public static let maxLength = 70 + 2 + 76 + 48 + 33 + 39 + 18

    /// Writes the lines (each ending in CRLF) at the start of `out`; returns the count.
    public func write(into out: UnsafeMutableRawBufferPointer) -> Int {
        var index = put("traceparent: 00-", out, 0)
        index = Hex.write(traceIDHigh, into: out, at: index)
        index = Hex.write(traceIDLow, into: out, at: index)
        out[index] = UInt8(ascii: "-")
        index = Hex.write(spanID, into: out, at: index + 1)
        index = put(sampled ? "-01\r\n" : "-00\r\n", out, index)
        switch b3 {
        case .none:
            break
        case .single:
            index = put("b3: ", out, index)
            index = traceID(into: out, at: index)
            out[index] = UInt8(ascii: "-")
            index = Hex.write(spanID, into: out, at: index + 1)
            index = put(sampled ? "-1" : "-0", out, index)
            if parentSpanID != 0 {
                out[index] = UInt8(ascii: "-")
                index = Hex.write(parentSpanID, into: out, at: index + 1)
            }
            index = put("\r\n", out, index)
        case .multi:
            index = put("x-b3-traceid: ", out, index)
            index = traceID(into: out, at: index)
            index = put("\r\nx-b3-spanid: ", out, index)
            index = Hex.write(spanID, into: out, at: index)
            if parentSpanID != 0 {
                index = put("\r\nx-b3-parentspanid: ", out, index)
                index = Hex.write(parentSpanID, into: out, at: index)
            }
            index = put(sampled ? "\r\nx-b3-sampled: 1\r\n" : "\r\nx-b3-sampled: 0\r\n", out, index)
        }
        return index
    }

    /// B3 keeps 64-bit trace ids 64-bit.
    private func traceID(into out: UnsafeMutableRawBufferPointer, at index: Int) -> Int {
        if traceIDHigh == 0 { return Hex.write(traceIDLow, into: out, at: index) }
        return Hex.write(traceIDLow, into: out, at: Hex.write(traceIDHigh, into: out, at: index))
    }

    @inline(__always) private func put(_ text: StaticString, _ out: UnsafeMutableRawBufferPointer, _ index: Int) -> Int {
        let count = text.utf8CodeUnitCount
        UnsafeMutableRawBufferPointer(rebasing: out[index..<(index + count)])
            .copyMemory(from: UnsafeRawBufferPointer(start: text.utf8Start, count: count))
        return index + count
    }

    /// The lines as a String (tests, diagnostics).
    public var text: String {
        String(unsafeUninitializedCapacity: Self.maxLength) { buffer in
            write(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
