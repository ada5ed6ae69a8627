/// Prometheus' `histogram_quantile`: cumulative buckets (upper bound -> count) to
/// the value below which `quantile` of the observations fall, interpolating
/// linearly inside the bucket, as PromQL does, so the console agrees with Grafana.
enum HistogramQuantile {
    static func value(_ quantile: Double, buckets: [Double: Double]) -> Double? {
        let sorted = buckets.sorted { $0.key < $1.key }
        guard let total = sorted.last?.value, total > 0, sorted.last?.key == .infinity else { return nil }
        let rank = quantile * total
        var lowerBound = 0.0
        var lowerCount = 0.0
        for (bound, count) in sorted {
            if count >= rank {
                // Everything in the +Inf bucket: the highest finite bound is the best answer.
                if bound == .infinity { return lowerBound }
                let inBucket = count - lowerCount
                guard inBucket > 0 else { return bound }
                return lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket
            }
            lowerBound = bound
            lowerCount = count
        }
        return lowerBound
    }
}
