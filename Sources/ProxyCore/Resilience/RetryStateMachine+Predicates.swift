extension RetryStateMachine {
    /// `host_selection_retry_max_attempts` for the balancer context (0 without predicates).
    public var hostSelectionRetryCount: Int {
        policy.retryPreviousHosts ? max(0, policy.hostSelectionRetryMaxAttempts) : 0
    }

    /// The `previous_hosts` predicate: reject an endpoint an earlier attempt already used.
    public func shouldSelectAnotherHost(_ endpoint: Int) -> Bool {
        policy.retryPreviousHosts && attemptedHosts.contains { $0.endpoint == endpoint }
    }

    /// The `previous_priorities` predicate: every `update_frequency` attempts, exclude the
    /// priorities tried so far and spread load over the rest. Nil means "use the normal load".
    public mutating func priorityLoad(for prioritySet: PrioritySet) -> PriorityLoad? {
        guard let frequency = policy.previousPrioritiesUpdateFrequency, frequency > 0,
              triedPriorities.count >= frequency else { return nil }
        guard triedPriorities.count % frequency == 0 else { return adjustedLoad }
        if excludedPriorities.count < prioritySet.hostSets.count {
            excludedPriorities.append(contentsOf: repeatElement(false, count: prioritySet.hostSets.count - excludedPriorities.count))
        }
        for tried in triedPriorities where tried < excludedPriorities.count {
            excludedPriorities[tried] = true
        }
        if Self.nothingLeft(prioritySet, excluding: excludedPriorities) {
            // Every priority was tried: start over from the unmodified set (Envoy clears its
            // attempted hosts too).
            excludedPriorities = []
            triedPriorities.removeAll()
        }
        adjustedLoad = prioritySet.loadExcluding(priorities: excludedPriorities)
        return adjustedLoad
    }

    static func nothingLeft(_ set: PrioritySet, excluding: [Bool]) -> Bool {
        let (health, degraded) = PrioritySet.availability(of: set.hostSets, excluding: excluding)
        return health.reduce(0, +) + degraded.reduce(0, +) == 0
    }
}
