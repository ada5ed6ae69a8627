import NIOCore
import ProxyCore

/// How each upstream attempt ended, for the cluster's outlier detector (every
/// attempt counts there: resets and connect failures as local-origin failures),
/// and the status the client gets, for the cluster's `upstream_rq_<code>`: charged
/// once per exchange, where the outcome reaches the client - a forwarded response
/// head (`chargeForwarded`) or the router's own reply for a failed upstream
/// (`LocalReply.chargesCluster`, in `sendLocalReply`). A retried attempt's
/// response counts in `retry.upstream_rq_<code>` instead (`retryAfterFailure`).
extension DownstreamHTTP1Handler {
    /// An attempt got a (final) response head.
    @inline(__always) func upstreamAnswered(status: Int) {
        guard let cluster = currentCluster, let endpoint else { return }
        cluster.outlierResult(.httpStatus(status), endpoint: endpoint, worker: worker)
    }

    /// An attempt failed before a response: connect failure, reset, timeout.
    func upstreamFailed(_ result: OutlierResult) {
        guard let cluster = currentCluster, let endpoint else { return }
        cluster.outlierResult(result, endpoint: endpoint, worker: worker)
    }

    /// The upstream's response head goes to the client: its status is the exchange's.
    @inline(__always) func chargeForwarded(status: Int) {
        currentCluster?.counters.stats.recordStatus(status)
    }
}
