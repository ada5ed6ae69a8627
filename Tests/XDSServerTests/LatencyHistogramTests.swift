import Testing
@testable import XDSServer

/// istiod's histograms: cumulative buckets in seconds, +Inf, sum and count.
struct LatencyHistogramTests {
    @Test func rendersCumulativeBuckets() {
        var histogram = LatencyHistogram(bounds: [0.1, 1])
        histogram.record(seconds: 0.05)
        histogram.record(seconds: 0.5)
        histogram.record(seconds: 7)
        #expect(histogram.lines("pilot_xds_push_time", labels: "type=\"cds\"") == [
            "pilot_xds_push_time_bucket{type=\"cds\",le=\"0.1\"} 1",
            "pilot_xds_push_time_bucket{type=\"cds\",le=\"1\"} 2",
            "pilot_xds_push_time_bucket{type=\"cds\",le=\"+Inf\"} 3",
            "pilot_xds_push_time_sum{type=\"cds\"} 7.55",
            "pilot_xds_push_time_count{type=\"cds\"} 3",
        ])
        #expect(LatencyHistogram(bounds: [1]).lines("x").first == "x_bucket{le=\"1\"} 0")
    }
}
