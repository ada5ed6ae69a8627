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

    static func writePadded(_ value: Int, width: Int, into out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// UTC, millisecond precision (Envoy's default `%START_TIME%`).
    public static func writeTimestamp(epochNanos: Int64, into out: inout [UInt8]) {
        let millis = epochNanos / 1_000_000
        let seconds = Int(millis / 1000)
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let (year, month, day) = civil(daysSinceEpoch: days)
        writePadded(year, width: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        writePadded(month, width: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        writePadded(day, width: 2, into: &out)
        out.append(UInt8(ascii: "T"))
        writePadded(secondOfDay / 3600, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        writePadded(secondOfDay / 60 % 60, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        writePadded(secondOfDay % 60, width: 2, into: &out)
        out.append(UInt8(ascii: "."))
        writePadded(Int(millis % 1000), width: 3, into: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Howard Hinnant's days-to-civil: the proleptic Gregorian date of a day number.
    static func civil(daysSinceEpoch: Int) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
