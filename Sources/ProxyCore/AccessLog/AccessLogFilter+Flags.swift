extension AccessLogFilter {
    /// Whether this filter admits only records carrying one of `flags` (a response
    /// flag filter naming no others, alone or required by an `and`, or every branch
    /// of an `or`): then a record without them is never logged. Istio's listener
    /// log (NR) is such a filter; a connection a filter chain serves never has NR.
    public func admitsOnly(_ flags: ResponseFlags) -> Bool {
        switch self {
        case .responseFlags(let required?): return !required.isEmpty && required.isSubset(of: flags)
        case .all(let filters): return filters.contains { $0.admitsOnly(flags) }
        case .any(let filters): return !filters.isEmpty && filters.allSatisfy { $0.admitsOnly(flags) }
        default: return false
        }
    }
}
