import ProxyCore
import Synchronization

/// The ClusterResources of every cluster, shared by the workers: each worker's
/// rebuild of a cluster finds the same one by name while anything holds it (a
/// worker's cluster, an endpoint, a connection it counts); once nothing does, a
/// cluster of that name starts from zero.
final class ClusterResourceRegistry: Sendable {
    private struct WeakEntry: @unchecked Sendable {
        weak var resources: ClusterResources?
    }

    private let entries = Mutex<[String: WeakEntry]>([:])

    func resources(named name: String, thresholds: ClusterConfig.Thresholds) -> ClusterResources {
        let found: ClusterResources = entries.withLock { entries in
            if let kept = entries[name]?.resources { return kept }
            // Drop the names nobody holds any more while here (rebuilds are rare).
            entries = entries.filter { $0.value.resources != nil }
            let made = ClusterResources(thresholds)
            entries[name] = WeakEntry(resources: made)
            return made
        }
        found.update(thresholds)
        return found
    }
}
