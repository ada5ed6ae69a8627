/// A Prometheus histogram in seconds (cumulative buckets, sum, count), as istiod
/// exports `pilot_xds_push_time` and `pilot_proxy_convergence_time`.
public struct LatencyHistogram: Sendable, Equatable {
    /// istiod's buckets for push and convergence times.
    public static let istioBuckets: [Double] = [0.01, 0.1, 0.5, 1, 3, 5, 10, 20, 30]

    public let bounds: [Double]
    public private(set) var counts: [Int]
    public private(set) var sum: Double = 0
    public private(set) var count = 0

    public init(bounds: [Double] = LatencyHistogram.istioBuckets) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func record(seconds: Double) {
        for index in bounds.indices where seconds <= bounds[index] { counts[index] += 1 }
        sum += seconds
        count += 1
    }

    /// Exposition lines for `name` with `labels` (`type="cds"` or empty).
    public func lines(_ name: String, labels: String = "") -> [String] {
        let prefix = labels.isEmpty ? "" : labels + ","
        var lines = zip(bounds, counts).map { bound, count in "\(name)_bucket{\(prefix)le=\"\(Self.format(bound))\"} \(count)" }
        lines.append("\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)")
        let plain = labels.isEmpty ? "" : "{\(labels)}"
        lines.append("\(name)_sum\(plain) \(sum)")
        lines.append("\(name)_count\(plain) \(count)")
        return lines
    }

    static func format(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : String(bound)
    }
}
