/// Per-request inputs to a pick that are not the endpoints themselves.
public struct HostSelectionContext: Sendable {
    /// Consistent-hash key (`HashPolicy.hash`); hashing balancers use a random value when nil.
    public var hash: UInt64?
    /// `host_selection_retry_max_attempts`: how many extra picks a rejecting predicate may force.
    public var hostSelectionRetryCount: Int
    /// Replacement priority load, from the `previous_priorities` retry predicate.
    public var priorityLoad: PriorityLoad?

    public init(hash: UInt64? = nil, hostSelectionRetryCount: Int = 0, priorityLoad: PriorityLoad? = nil) {
        self.hash = hash
        self.hostSelectionRetryCount = hostSelectionRetryCount
        self.priorityLoad = priorityLoad
    }
}
