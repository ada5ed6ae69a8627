import MeshCore

/// Writes access-log lines as bytes: Envoy's rendering of each command (`-` for
/// a missing value, `%START_TIME%` as `2026-11-26T01:34:12.123Z`, durations in
/// whole milliseconds). No String is built, so a line costs only the appends.
public enum AccessLogFormatter {
    public static func write(_ record: AccessLogRecord, format: AccessLogFormat, into out: inout [UInt8]) {
        for segment in format.segments {
            writeSegment(segment, record, into: &out)
        }
    }

    static func writeSegment(_ segment: AccessLogFormat.Segment, _ record: AccessLogRecord, into out: inout [UInt8]) {
            switch segment {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .startTime: writeTimestamp(epochNanos: record.startEpochNanos, into: &out)
            case .requestHeader(let slot, let maxLength):
                writeValue(record.requestValues[slot].map { record.store[$0] }, maxLength: maxLength, into: &out)
            case .responseHeader(let slot, let maxLength):
                writeValue(record.responseValues[slot].map { record.store[$0] }, maxLength: maxLength, into: &out)
            case .protocolName:
                if record.isTCP { out.append(dash); return }
                out.append(contentsOf: record.isHTTP2 ? http2 : record.version == .http10 ? http10 : http11)
            case .responseCode: writeDecimal(record.responseCode, into: &out)
            case .responseCodeDetails:
                if record.dynamicResponseCodeDetails.isEmpty {
                    writeStatic(record.responseCodeDetails, into: &out)
                } else {
                    out.append(contentsOf: record.dynamicResponseCodeDetails)
                }
            case .responseFlags: record.flags.write(into: &out)
            case .bytesReceived: writeDecimal(record.bytesReceived, into: &out)
            case .bytesSent: writeDecimal(record.bytesSent, into: &out)
            case .duration: writeDecimal(Int(record.durationNanos / 1_000_000), into: &out)
            case .upstreamHost: writeBytes(record.upstreamHost, into: &out)
            case .upstreamCluster: writeBytes(record.upstreamCluster, into: &out)
            case .upstreamLocalAddress: writeBytes(record.upstreamLocal, into: &out)
            case .connectionTerminationDetails: writeBytes(record.connectionTerminationDetails, into: &out)
            case .routeName: writeBytes(record.routeName, into: &out)
            case .downstreamRemoteAddress:
                guard !record.downstreamRemote.isEmpty else { out.append(dash); return }
                out.append(contentsOf: record.downstreamRemote)
                out.append(UInt8(ascii: ":"))
                writeDecimal(record.downstreamRemotePort, into: &out)
            case .downstreamRemoteAddressWithoutPort: writeBytes(record.downstreamRemote, into: &out)
            case .downstreamLocalAddress: writeBytes(record.downstreamLocal, into: &out)
            case .downstreamPeerURISAN: writeBytes(record.downstreamPeerURISAN, into: &out)
            case .downstreamLocalURISAN: writeBytes(record.downstreamLocalURISAN, into: &out)
            case .requestedServerName: writeBytes(record.requestedServerName, into: &out)
            case .upstreamTransportFailureReason: writeBytes(record.upstreamTransportFailureReason, into: &out)
            case .missing: out.append(dash)
            case .json(let slot): writeJSON(slot, record, into: &out)
            }
    }

    static let dash = UInt8(ascii: "-")
    static let http10 = Array("HTTP/1.0".utf8)
    static let http11 = Array("HTTP/1.1".utf8)
    static let http2 = Array("HTTP/2".utf8)

    @inline(__always) static func writeBytes(_ bytes: [UInt8], into out: inout [UInt8]) {
        if bytes.isEmpty { out.append(dash) } else { out.append(contentsOf: bytes) }
    }

    static func writeValue(_ value: ArraySlice<UInt8>?, maxLength: Int?, into out: inout [UInt8]) {
        guard let value, !value.isEmpty else {
            out.append(dash)
            return
        }
        if let maxLength, value.count > maxLength {
            out.append(contentsOf: value.prefix(maxLength))
        } else {
            out.append(contentsOf: value)
        }
    }

    static func writeStatic(_ text: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func writeDecimal(_ value: Int, into out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            writeDecimal(-value, into: &out)
            return
        }
        if value >= 10 { writeDecimal(value / 10, into: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// UTC, millisecond precision (Envoy's default `%START_TIME%`).
    public static func writeTimestamp(epochNanos: Int64, into out: inout [UInt8]) {
        UTCTimestamp(unixMillis: epochNanos / 1_000_000).writeRFC3339(into: &out)
    }
}
