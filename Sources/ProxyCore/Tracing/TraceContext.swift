/// A span's identity as it travels between processes: W3C `traceparent`
/// (`00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`) or B3 (`b3` single
/// header, or the `x-b3-*` headers). Parsing reads the header bytes in place.
public struct TraceContext: Sendable, Equatable {
    /// The 128-bit trace id as two halves (B3's 64-bit ids have `high == 0`).
    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    public var spanID: UInt64
    /// The sender's sampling decision; nil when it deferred it (B3 without `sampled`).
    public var sampled: Bool?

    public init(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64, sampled: Bool?) {
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
        self.sampled = sampled
    }

    public var hasValidIDs: Bool { (traceIDHigh != 0 || traceIDLow != 0) && spanID != 0 }

    /// W3C trace context level 1: version 00 exactly; a later version is read by
    /// its first four fields, as the spec asks. All-zero ids are invalid.
    public static func parseTraceparent(_ value: UnsafeRawBufferPointer) -> TraceContext? {
        guard value.count >= 55,
              let version = Hex.parse(value, 0, 2), version != 0xFF,
              value[2] == UInt8(ascii: "-"), value[35] == UInt8(ascii: "-"), value[52] == UInt8(ascii: "-"),
              let high = Hex.parse(value, 3, 16), let low = Hex.parse(value, 19, 16),
              let span = Hex.parse(value, 36, 16), let flags = Hex.parse(value, 53, 2) else { return nil }
        if version == 0 && value.count != 55 { return nil }
        if version != 0 && value.count > 55 && value[55] != UInt8(ascii: "-") { return nil }
        let context = TraceContext(traceIDHigh: high, traceIDLow: low, spanID: span, sampled: flags & 1 == 1)
        return context.hasValidIDs ? context : nil
    }

    /// B3 single header: `{TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]`,
    /// or a lone sampling state (`0`, `1`, `d`) which carries no ids.
    public static func parseB3Single(_ value: UnsafeRawBufferPointer) -> TraceContext? {
        var dash = 0
        while dash < value.count, value[dash] != UInt8(ascii: "-") { dash += 1 }
        guard dash == 16 || dash == 32, dash + 17 <= value.count else { return nil }
        guard let (high, low) = traceID(value, 0, dash), let span = Hex.parse(value, dash + 1, 16) else { return nil }
        var sampled: Bool?
        let rest = dash + 17
        if rest < value.count {
            guard value[rest] == UInt8(ascii: "-"), rest + 1 < value.count else { return nil }
            sampled = samplingState(value[rest + 1])
            guard sampled != nil else { return nil }
            let parent = rest + 2
            if parent < value.count {
                guard value[parent] == UInt8(ascii: "-"), value.count - parent - 1 == 16, Hex.parse(value, parent + 1, 16) != nil else { return nil }
            }
        }
        let context = TraceContext(traceIDHigh: high, traceIDLow: low, spanID: span, sampled: sampled)
        return context.hasValidIDs ? context : nil
    }

    /// B3 multiple headers; `flags: 1` (debug) means sampled.
    public static func parseB3Multi(traceID: UnsafeRawBufferPointer, spanID: UnsafeRawBufferPointer,
                                    sampled: UnsafeRawBufferPointer?, flags: UnsafeRawBufferPointer?) -> TraceContext? {
        guard traceID.count == 16 || traceID.count == 32, spanID.count == 16,
              let (high, low) = Self.traceID(traceID, 0, traceID.count), let span = Hex.parse(spanID, 0, 16) else { return nil }
        var decision: Bool?
        if let flags, flags.count == 1, flags[0] == UInt8(ascii: "1") { decision = true }
        if decision == nil, let sampled {
            if sampled.count == 1 {
                decision = samplingState(sampled[0])
            } else if ASCII.equalsLowercased(sampled, Self.trueBytes) {
                decision = true
            } else if ASCII.equalsLowercased(sampled, Self.falseBytes) {
                decision = false
            }
        }
        let context = TraceContext(traceIDHigh: high, traceIDLow: low, spanID: span, sampled: decision)
        return context.hasValidIDs ? context : nil
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)

    private static func traceID(_ value: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> (UInt64, UInt64)? {
        if count == 32 {
            guard let high = Hex.parse(value, start, 16), let low = Hex.parse(value, start + 16, 16) else { return nil }
            return (high, low)
        }
        guard count == 16, let low = Hex.parse(value, start, 16) else { return nil }
        return (0, low)
    }

    private static func samplingState(_ byte: UInt8) -> Bool? {
        switch byte {
        case UInt8(ascii: "1"), UInt8(ascii: "d"): return true
        case UInt8(ascii: "0"): return false
        default: return nil
        }
    }
}
