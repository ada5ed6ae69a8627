import MeshCore

/// JSON rendering of `json_format` values (see AccessLogFormat+JSON).
extension AccessLogFormatter {
    static func writeJSON(_ slot: AccessLogFormat.JSONSlot, _ record: AccessLogRecord, into out: inout [UInt8]) {
        if slot.typed, let only = slot.parts.first {
            if isMissing(only, record) {
                out.append(contentsOf: AccessLogFormat.nullBytes)
                return
            }
            switch only {
            case .responseCode, .bytesReceived, .bytesSent, .duration:
                writeSegment(only, record, into: &out)
                return
            default: break
            }
        }
        out.append(quote)
        let start = out.count
        for part in slot.parts { writeSegment(part, record, into: &out) }
        JSONString.escapeInPlace(&out, from: start)
        out.append(quote)
    }

    /// Envoy writes `null` for a single command with no value.
    static func isMissing(_ segment: AccessLogFormat.Segment, _ record: AccessLogRecord) -> Bool {
        switch segment {
        case .requestHeader(let slot, _): return record.requestValue(slot)?.isEmpty ?? true
        case .responseHeader(let slot, _): return record.responseValues[slot].map { $0.isEmpty } ?? true
        case .upstreamHost: return record.upstreamHost.isEmpty
        case .upstreamCluster: return record.upstreamCluster.isEmpty
        case .upstreamLocalAddress: return record.upstreamLocal.isEmpty
        case .connectionTerminationDetails: return record.connectionTerminationDetails.isEmpty
        case .protocolName: return record.isTCP
        case .responseCodeDetails: return record.isTCP && record.dynamicResponseCodeDetails.isEmpty
        case .routeName: return record.routeName.isEmpty
        case .downstreamRemoteAddress, .downstreamRemoteAddressWithoutPort: return record.downstreamRemote.isEmpty
        case .downstreamLocalAddress: return record.downstreamLocal.isEmpty
        case .downstreamPeerURISAN: return record.downstreamPeerURISAN.isEmpty
        case .downstreamLocalURISAN: return record.downstreamLocalURISAN.isEmpty
        case .requestedServerName: return record.requestedServerName.isEmpty
        case .upstreamTransportFailureReason: return record.upstreamTransportFailureReason.isEmpty
        case .missing: return true
        default: return false
        }
    }

    static let quote = UInt8(ascii: "\"")
}
