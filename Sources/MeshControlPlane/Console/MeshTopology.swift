/// Who calls whom, from the proxies' own Istio metrics: `istio_requests_total` and
/// `istio_request_duration_milliseconds_bucket` as reported by the destination
/// (each request counted once, by the proxy that served it). Rates, error share and
/// p99 come from the difference between two scrapes; with no earlier scrape (or no
/// requests in between) the error share and p99 fall back to the totals. Pure.
public struct MeshTopology: Sendable, Equatable {
    public struct Edge: Sendable, Equatable {
        public var source: String
        public var destination: String
        /// Requests counted since the proxies started.
        public var requests: Double
        /// Requests per second over the window; nil without an earlier scrape.
        public var rate: Double?
        /// Share of 5xx answers (0...1).
        public var errorRate: Double
        public var p99Milliseconds: Double?
    }

    /// Every proxy's samples at one moment.
    public struct Scrape: Sendable {
        public var seconds: Double
        public var samples: [PrometheusTextParser.Sample]

        public init(seconds: Double, samples: [PrometheusTextParser.Sample]) {
            self.seconds = seconds
            self.samples = samples
        }
    }

    public static let metricNames: Set<String> = ["istio_requests_total", "istio_request_duration_milliseconds_bucket"]

    public var edges: [Edge]
    /// Seconds between the two scrapes compared (0 with a single one).
    public var window: Double

    public var nodes: [String] { Array(Set(edges.flatMap { [$0.source, $0.destination] })).sorted() }

    public init(previous: Scrape?, current: Scrape) {
        let now = Totals(current.samples)
        let before = previous.map { Totals($0.samples) }
        let window = previous.map { current.seconds - $0.seconds } ?? 0
        self.window = window
        edges = now.counts.keys.sorted { ($0.source, $0.destination) < ($1.source, $1.destination) }.map { key in
            let total = now.counts[key]!
            // A counter lower than before means the proxy restarted: it counts from zero.
            let earlier = before?.counts[key].flatMap { $0.requests <= total.requests ? $0 : nil }
            let delta = earlier.map { total.minus($0) } ?? total
            let windowHasRequests = before != nil && delta.requests > 0
            let basis = windowHasRequests ? delta : total
            var buckets = now.buckets[key] ?? [:]
            if windowHasRequests, earlier != nil, let earlier = before?.buckets[key] {
                for (bound, count) in buckets { buckets[bound] = max(0, count - (earlier[bound] ?? 0)) }
            }
            return Edge(source: key.source, destination: key.destination, requests: total.requests,
                        rate: before != nil && window > 0 ? delta.requests / window : nil,
                        errorRate: basis.requests > 0 ? basis.errors / basis.requests : 0,
                        p99Milliseconds: HistogramQuantile.value(0.99, buckets: buckets))
        }
    }

    struct EdgeKey: Hashable {
        var source: String
        var destination: String
    }

    struct Count {
        var requests = 0.0
        var errors = 0.0

        func minus(_ other: Count) -> Count { Count(requests: requests - other.requests, errors: max(0, errors - other.errors)) }
    }

    /// Destination-reported counts and buckets summed per edge.
    struct Totals {
        var counts: [EdgeKey: Count] = [:]
        var buckets: [EdgeKey: [Double: Double]] = [:]

        init(_ samples: [PrometheusTextParser.Sample]) {
            for sample in samples where sample.labels["reporter"] == "destination" {
                let key = EdgeKey(source: MeshTopology.sourceName(sample.labels), destination: MeshTopology.destinationName(sample.labels))
                if sample.name == "istio_requests_total" {
                    counts[key, default: Count()].requests += sample.value
                    if sample.labels["response_code"]?.hasPrefix("5") == true { counts[key, default: Count()].errors += sample.value }
                } else if let text = sample.labels["le"], let bound = text == "+Inf" ? .infinity : Double(text) {
                    buckets[key, default: [:]][bound, default: 0] += sample.value
                }
            }
        }
    }

    /// The calling service (canonical service, as Kiali names nodes), else its workload.
    static func sourceName(_ labels: [String: String]) -> String {
        known(labels["source_canonical_service"]) ?? known(labels["source_workload"]) ?? "unknown"
    }

    /// The called service's short name, else the host's first label, else the workload.
    static func destinationName(_ labels: [String: String]) -> String {
        known(labels["destination_service_name"])
            ?? known(labels["destination_service"]).map { String($0.split(separator: ".").first ?? Substring($0)) }
            ?? known(labels["destination_workload"]) ?? "unknown"
    }

    private static func known(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value != "unknown" else { return nil }
        return value
    }
}
