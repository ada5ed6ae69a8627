import Testing
@testable import ProxyCore

@Suite struct EnvoyStatsTextTests {
    @Test func linesAreSortedNameColonValue() throws {
        var counters: [String: UInt64] = [:]
        var stats = ClusterStats()
        stats.upstreamRequestTotal = 3
        stats.recordStatus(200)
        stats.recordStatus(200)
        stats.recordStatus(503)
        stats.collect(cluster: "outbound|9080|v1|reviews", into: &counters)
        stats.collect(cluster: "outbound|9080|v1|reviews", into: &counters)
        let text = try EnvoyStatsText.render(counters, filter: "upstream_rq_")
        #expect(text == """
        cluster.outbound|9080|v1|reviews.upstream_rq_200: 4
        cluster.outbound|9080|v1|reviews.upstream_rq_2xx: 4
        cluster.outbound|9080|v1|reviews.upstream_rq_503: 2
        cluster.outbound|9080|v1|reviews.upstream_rq_5xx: 2
        cluster.outbound|9080|v1|reviews.upstream_rq_active_overflow: 0
        cluster.outbound|9080|v1|reviews.upstream_rq_pending_failure_eject: 0
        cluster.outbound|9080|v1|reviews.upstream_rq_pending_overflow: 0
        cluster.outbound|9080|v1|reviews.upstream_rq_per_try_timeout: 0
        cluster.outbound|9080|v1|reviews.upstream_rq_retry: 0
        cluster.outbound|9080|v1|reviews.upstream_rq_total: 6

        """)
    }

    /// Envoy's filter is a regex searched anywhere in the name: a cluster name with
    /// `|` in it, unescaped, is an alternation that still finds the line.
    @Test func theFilterIsAPartialRegexMatch() throws {
        let counters: [String: UInt64] = ["cluster.a|b.upstream_rq_200": 1, "cluster_manager.cds.update_rejected": 0, "x.y": 2]
        #expect(try EnvoyStatsText.render(counters, filter: "cds\\.update") == "cluster_manager.cds.update_rejected: 0\n")
        #expect(try EnvoyStatsText.render(counters, filter: "cluster.a|b.upstream_rq_200").contains("cluster.a|b.upstream_rq_200: 1\n"))
        #expect(try EnvoyStatsText.render(counters, filter: "^x").isEmpty == false)
        #expect(throws: (any Error).self) { try EnvoyStatsText.render(counters, filter: "(") }
    }

    @Test func theFilterIsReadFromTheQueryPercentDecoded() {
        #expect(EnvoyStatsText.filter(inQuery: "usedonly&filter=a%7Cb+c") == "a|b c")
        #expect(EnvoyStatsText.filter(inQuery: "format=json") == nil)
    }
}
