import NIOCore
import ProxyCore

/// How each upstream attempt ended, for the cluster's `/stats` counters and its
/// outlier detector. A response status counts as Envoy's router charges it; resets
/// and connect failures count as the 503 (timeouts the 504) the router makes of them
/// and go to the detector as local-origin failures.
extension DownstreamHTTP1Handler {
    /// An attempt got a (final) response head.
    @inline(__always) func upstreamAnswered(status: Int) {
        guard let cluster = currentCluster, let endpoint else { return }
        cluster.counters.stats.recordStatus(status)
        cluster.outlierResult(.httpStatus(status), endpoint: endpoint, worker: worker)
    }

    /// An attempt failed before a response: connect failure, reset, timeout.
    func upstreamFailed(_ result: OutlierResult, status: Int) {
        guard let cluster = currentCluster, let endpoint else { return }
        cluster.counters.stats.recordStatus(status)
        cluster.outlierResult(result, endpoint: endpoint, worker: worker)
    }
}
