/// Envoy's default histogram bucket bounds (`stats_config.histogram_bucket_settings`
/// unset), which Istio's dashboards are written against: the same `le` values make
/// existing `histogram_quantile` queries work unchanged.
public enum HistogramBuckets {
    public static let bounds: [Double] = [
        0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
        300000, 600000, 1800000, 3600000,
    ]

    /// Buckets stored per series: one per bound plus the overflow (`+Inf` only).
    public static let count = bounds.count + 1

    /// The first bucket whose bound is >= value (`count - 1` past the last bound).
    /// Counts are kept per bucket and summed cumulatively when rendered.
    @inline(__always) public static func index(of value: Double) -> Int {
        // Linear: values are mostly small, so this ends within a few compares.
        var index = 0
        let bounds = self.bounds
        while index < bounds.count, value > bounds[index] { index += 1 }
        return index
    }
}
