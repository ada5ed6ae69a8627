import NIOCore
import ProxyCore

/// Outlier detection on the forwarding path: results of upstream attempts go to
/// ProxyCore's OutlierDetector; an ejection marks the endpoint `failedOutlierCheck`
/// and rebuilds the balancer, so the endpoint gets no traffic until the interval
/// timer un-ejects it. Per worker: each worker ejects on the failures it saw itself
/// (Envoy shares one detector across workers).
extension ClusterRuntime {
    /// Reports one attempt's result for `endpoint`. No-op without `outlier_detection`.
    @inline(__always) func outlierResult(_ result: OutlierResult, endpoint: EndpointRuntime, worker: WorkerRuntime) {
        guard outlier != nil else { return }
        recordOutlier(result, endpoint: endpoint, worker: worker)
    }

    /// A connection that carries no HTTP (tcp_proxy) is up: Envoy's
    /// `LocalOriginConnectSuccessFinal`, a success (200) unless local-origin errors are
    /// counted apart.
    func outlierConnectSucceededFinal(endpoint: EndpointRuntime, worker: WorkerRuntime) {
        guard let config = outlier?.config else { return }
        outlierResult(config.splitExternalLocalOriginErrors ? .localOriginConnectSuccess : .httpStatus(200), endpoint: endpoint, worker: worker)
    }

    private func recordOutlier(_ result: OutlierResult, endpoint: EndpointRuntime, worker: WorkerRuntime) {
        let index = index(of: endpoint)
        guard index >= 0, index < outlier!.endpointCount else { return }
        let now = Self.milliseconds(worker.eventLoop.now)
        if let action = outlier!.record(result, endpoint: index, now: now, random: &worker.random) {
            apply([action])
        }
    }

    /// Starts the interval timer (Envoy's `interval`) on the worker's loop.
    func startOutlierTimer(on loop: any EventLoop) {
        guard let config = outlier?.config else { return }
        outlierTimer = loop.assumeIsolated().scheduleTask(in: .milliseconds(config.intervalMs)) { [weak self] in
            guard let self, self.outlier != nil else { return }
            self.apply(self.outlier!.intervalElapsed(now: Self.milliseconds(loop.now)))
            self.startOutlierTimer(on: loop)
        }
    }

    /// The cluster is replaced or removed: its timer stops.
    func stopOutlierTimer() {
        outlierTimer?.cancel()
        outlierTimer = nil
    }

    private func apply(_ actions: [OutlierAction]) {
        guard !actions.isEmpty else { return }
        for action in actions {
            switch action {
            case .eject(let endpoint, _):
                lbEndpoints[endpoint].health.insert(.failedOutlierCheck)
                counters.stats.ejectionsEnforcedTotal += 1
            case .uneject(let endpoint):
                lbEndpoints[endpoint].health.remove(.failedOutlierCheck)
            }
        }
        counters.stats.ejectionsActive = UInt64(outlier?.ejectedCount ?? 0)
        balancer = Self.balancer(config, lbEndpoints, localityWeights, seed: seed)
    }

    static func milliseconds(_ deadline: NIODeadline) -> Int64 {
        Int64(deadline.uptimeNanoseconds / 1_000_000)
    }
}
