import ProxyCore
import Testing

/// W3C traceparent and B3 parsing, and the header lines written upstream.
struct TraceContextTests {
    func parse(_ text: String, _ parser: (UnsafeRawBufferPointer) -> TraceContext?) -> TraceContext? {
        Array(text.utf8).withUnsafeBytes { parser($0) }
    }

    @Test func traceparent() {
        let context = parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", TraceContext.parseTraceparent)
        #expect(context == TraceContext(traceIDHigh: 0x4bf92f3577b34da6, traceIDLow: 0xa3ce929d0e0e4736, spanID: 0x00f067aa0ba902b7, sampled: true))
        #expect(parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", TraceContext.parseTraceparent)?.sampled == false)
        #expect(parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", TraceContext.parseTraceparent) != nil)
        // A later version may add fields after a dash.
        #expect(parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", TraceContext.parseTraceparent) != nil)
        for bad in ["00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero span id
                    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", // v00 with extra
                    "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",    // short
                    "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", ""] {
            #expect(parse(bad, TraceContext.parseTraceparent) == nil, "\(bad)")
        }
    }

    @Test func b3Single() {
        let full = parse("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90", TraceContext.parseB3Single)
        #expect(full == TraceContext(traceIDHigh: 0x80f198ee56343ba8, traceIDLow: 0x64fe8b2a57d3eff7, spanID: 0xe457b5a2e4d86bd1, sampled: true))
        #expect(parse("463ac35c9f6413ad-a2fb4a1d1a96d312", TraceContext.parseB3Single)?.sampled == nil, "deferred decision")
        #expect(parse("463ac35c9f6413ad-a2fb4a1d1a96d312-d", TraceContext.parseB3Single)?.sampled == true, "debug")
        #expect(parse("463ac35c9f6413ad-a2fb4a1d1a96d312-0", TraceContext.parseB3Single)?.traceIDHigh == 0)
        for bad in ["0", "1", "463ac35c9f6413ad-a2fb4a1d1a96d312-x", "463ac35c9f6413ad-a2fb4a1d1a96d31", "463ac35c9f6413ad-a2fb4a1d1a96d312-1-05e3"] {
            #expect(parse(bad, TraceContext.parseB3Single) == nil, "\(bad)")
        }
    }

    @Test func b3Multi() {
        func multi(_ trace: String, _ span: String, sampled: String? = nil, flags: String? = nil) -> TraceContext? {
            Array(trace.utf8).withUnsafeBytes { t in Array(span.utf8).withUnsafeBytes { s in
                (sampled.map { Array($0.utf8) } ?? []).withUnsafeBytes { sa in (flags.map { Array($0.utf8) } ?? []).withUnsafeBytes { f in
                    TraceContext.parseB3Multi(traceID: t, spanID: s, sampled: sampled == nil ? nil : sa, flags: flags == nil ? nil : f)
                } }
            } }
        }
        #expect(multi("463ac35c9f6413ad", "a2fb4a1d1a96d312", sampled: "1")?.sampled == true)
        #expect(multi("463ac35c9f6413ad", "a2fb4a1d1a96d312", sampled: "true")?.sampled == true, "old clients send true/false")
        #expect(multi("463ac35c9f6413ad", "a2fb4a1d1a96d312", sampled: "0", flags: "1")?.sampled == true, "debug flag wins")
        #expect(multi("463ac35c9f6413ad", "a2fb4a1d1a96d312")?.sampled == nil)
        #expect(multi("463ac35c9f6413ad", "a2fb4a1d1a96d31") == nil)
    }

    @Test func headerLines() {
        var writer = TraceHeaderWriter(traceIDHigh: 0, traceIDLow: 0x463ac35c9f6413ad, spanID: 0xa, parentSpanID: 0xb, sampled: true, b3: .none)
        #expect(writer.text == "traceparent: 00-0000000000000000463ac35c9f6413ad-000000000000000a-01\r\n")
        writer.b3 = .single
        writer.sampled = false
        #expect(writer.text.hasSuffix("b3: 463ac35c9f6413ad-000000000000000a-0-000000000000000b\r\n"))
        writer.b3 = .multi
        writer.traceIDHigh = 1
        #expect(writer.text.hasSuffix("x-b3-traceid: 0000000000000001463ac35c9f6413ad\r\nx-b3-spanid: 000000000000000a\r\nx-b3-parentspanid: 000000000000000b\r\nx-b3-sampled: 0\r\n"))
        #expect(writer.text.utf8.count <= TraceHeaderWriter.maxLength)
    }
}
