/// Encodes spans as an OTLP `ExportTraceServiceRequest` (protobuf, what
/// OTLP/HTTP `POST /v1/traces` carries): one ResourceSpans whose resource names
/// the proxy (`service.name`), one ScopeSpans. Field numbers are
/// opentelemetry-proto's (trace/v1, common/v1, resource/v1).
public enum OTLPTraceEncoder {
    public static let scopeName = "envoy"

    public static func encode(_ spans: [TraceSpan], serviceName: String, resource: [TraceSpan.Attribute] = []) -> [UInt8] {
        var request = ProtobufWriter(capacity: 256 * spans.count + 128)
        request.message(1) { resourceSpans in                       // ResourceSpans
            resourceSpans.message(1) { res in                       // Resource
                res.message(1) { keyValue(&$0, TraceSpan.Attribute("service.name", .string(serviceName))) }
                for attribute in resource { res.message(1) { keyValue(&$0, attribute) } }
            }
            resourceSpans.message(2) { scopeSpans in                // ScopeSpans
                scopeSpans.message(1) { $0.string(1, scopeName) }   // InstrumentationScope.name
                for span in spans { scopeSpans.message(2) { encode(span, into: &$0) } }
            }
        }
        return request.bytes
    }

    static func encode(_ span: TraceSpan, into out: inout ProtobufWriter) {
        out.bytesField(1, ProtobufWriter.idBytes(span.traceIDHigh, span.traceIDLow))
        out.bytesField(2, ProtobufWriter.idBytes(span.spanID))
        out.string(3, span.traceState)
        if span.parentSpanID != 0 { out.bytesField(4, ProtobufWriter.idBytes(span.parentSpanID)) }
        out.string(5, span.name)
        out.uint(6, UInt64(span.kind.rawValue))
        out.fixed64(7, span.startUnixNanos)
        out.fixed64(8, span.endUnixNanos)
        for attribute in span.attributes { out.message(9) { keyValue(&$0, attribute) } }
        if span.isError {
            out.message(15) { $0.uint(3, 2) }                      // Status { code: STATUS_CODE_ERROR }
        }
    }

    static func keyValue(_ out: inout ProtobufWriter, _ attribute: TraceSpan.Attribute) {
        out.string(1, attribute.key)
        out.message(2) { value in                                   // AnyValue
            switch attribute.value {
            case .string(let text):
                // An empty string is still a value: write the field explicitly.
                if text.isEmpty { value.bytesFieldEmpty(1) } else { value.string(1, text) }
            case .bool(let flag): value.boolAlways(2, flag)
            case .int(let number): value.intAlways(3, number)
            }
        }
    }
}

extension ProtobufWriter {
    /// Oneof members are written even when zero (their presence is the choice).
    mutating func bytesFieldEmpty(_ field: Int) {
        varint(UInt64(field) << 3 | 2)
        varint(0)
    }

    mutating func boolAlways(_ field: Int, _ value: Bool) {
        varint(UInt64(field) << 3)
        varint(value ? 1 : 0)
    }

    mutating func intAlways(_ field: Int, _ value: Int64) {
        varint(UInt64(field) << 3)
        varint(UInt64(bitPattern: value))
    }
}
