import ProxyCore
import Synchronization

/// Envoy's xDS update counters (`cluster_manager.cds.update_success`,
/// `cluster_manager.cds.update_rejected`, `listener_manager.lds.*`), counted by the
/// ADS client and read by the admin `/stats`.
public final class XDSUpdateStats: Sendable {
    private let counters = Mutex<[String: UInt64]>([:])

    public init() {
        counters.withLock { counters in
            for prefix in Self.prefixes.values {
                counters[prefix + ".update_success"] = 0
                counters[prefix + ".update_rejected"] = 0
            }
        }
    }

    /// Envoy's stat prefix per type (RDS and EDS stats are per resource in Envoy; not kept).
    static let prefixes: [String: String] = [
        ProxyCore.XDSTypeURL.cluster: "cluster_manager.cds",
        ProxyCore.XDSTypeURL.listener: "listener_manager.lds",
    ]

    func record(typeURL: String, accepted: Bool) {
        guard let prefix = Self.prefixes[typeURL] else { return }
        counters.withLock { $0[prefix + (accepted ? ".update_success" : ".update_rejected"), default: 0] += 1 }
    }

    public var snapshot: [String: UInt64] { counters.withLock { $0 } }
}
