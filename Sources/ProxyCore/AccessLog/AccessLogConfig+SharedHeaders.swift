/// One connection manager captures request/response headers once per exchange,
/// with one slot table; when it has several logs (each with its own format and
/// filter), their slot numbers are rewritten onto one shared table.
extension AccessLogConfig {
    public static func sharingHeaderSlots(_ logs: [AccessLogConfig]) -> [AccessLogConfig] {
        guard logs.count > 1 else { return logs }
        var request: [AccessLogFormat.HeaderRef] = []
        var response: [AccessLogFormat.HeaderRef] = []
        func slots(_ refs: [AccessLogFormat.HeaderRef], into table: inout [AccessLogFormat.HeaderRef]) -> [Int] {
            refs.map { ref in
                if let index = table.firstIndex(of: ref) { return index }
                table.append(ref)
                return table.count - 1
            }
        }
        var maps: [([Int], [Int])] = []
        for log in logs {
            maps.append((slots(log.format.requestHeaders, into: &request), slots(log.format.responseHeaders, into: &response)))
        }
        return zip(logs, maps).map { log, map in
            var copy = log
            copy.format.segments = log.format.segments.map { $0.remapped(map.0, map.1) }
            copy.format.requestHeaders = request
            copy.format.responseHeaders = response
            copy.filter = log.filter?.remapped(map.0, map.1)
            return copy
        }
    }
}

extension AccessLogFormat.Segment {
    func remapped(_ request: [Int], _ response: [Int]) -> Self {
        switch self {
        case .requestHeader(let slot, let max): .requestHeader(request[slot], maxLength: max)
        case .responseHeader(let slot, let max): .responseHeader(response[slot], maxLength: max)
        case .json(let slot): .json(AccessLogFormat.JSONSlot(parts: slot.parts.map { $0.remapped(request, response) }, typed: slot.typed))
        default: self
        }
    }
}

extension AccessLogFilter {
    func remapped(_ request: [Int], _ response: [Int]) -> Self {
        switch self {
        case .all(let filters): return .all(filters.map { $0.remapped(request, response) })
        case .any(let filters): return .any(filters.map { $0.remapped(request, response) })
        case .header(let filter):
            var moved = filter
            moved.slot = request[filter.slot]
            return .header(moved)
        case .expression(let expression): return .expression(expression.remapped(request, response))
        default: return self
        }
    }
}

extension CELExpression {
    func remapped(_ request: [Int], _ response: [Int]) -> Self {
        switch self {
        case .attribute(.requestHeader(let slot)): .attribute(.requestHeader(slot: request[slot]))
        case .attribute(.requestURLPath(let slot)): .attribute(.requestURLPath(slot: request[slot]))
        case .attribute(.responseHeader(let slot)): .attribute(.responseHeader(slot: response[slot]))
        case .literal, .attribute: self
        case .not(let inner): .not(inner.remapped(request, response))
        case .negate(let inner): .negate(inner.remapped(request, response))
        case .and(let a, let b): .and(a.remapped(request, response), b.remapped(request, response))
        case .or(let a, let b): .or(a.remapped(request, response), b.remapped(request, response))
        case .binary(let op, let a, let b): .binary(op, a.remapped(request, response), b.remapped(request, response))
        case .conditional(let c, let a, let b): .conditional(c.remapped(request, response), a.remapped(request, response), b.remapped(request, response))
        case .list(let items): .list(items.map { $0.remapped(request, response) })
        case .call(let function, let arguments): .call(function, arguments.map { $0.remapped(request, response) })
        }
    }
}

extension CELExpression {
    /// For a parse whose slot callback numbered header requests 0, 1, 2...: moves
    /// those numbers onto the format's capture slots.
    public func remappedCapture(_ slots: [Int]) -> Self { remapped(slots, slots) }
}
