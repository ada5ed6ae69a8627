import Foundation

/// Scrapes every proxy's metrics on request, at most once per `minimumInterval`,
/// and keeps the previous scrape so rates come from the difference. The first
/// request scrapes twice (`firstWindow` apart) so it already has rates.
public actor TopologyMonitor {
    public struct Report: Sendable {
        public var topology: MeshTopology
        public var targets: [String]
        public var failures: [String: String]
    }

    let minimumInterval: Double
    let firstWindow: Duration
    private var previous: MeshTopology.Scrape?
    private var current: MeshTopology.Scrape?
    private var lastReport: Report?

    public init(minimumInterval: Double = 3, firstWindow: Duration = .seconds(1)) {
        self.minimumInterval = minimumInterval
        self.firstWindow = firstWindow
    }

    public func report(targets: [String]) async -> Report {
        let now = Date().timeIntervalSince1970
        if let lastReport, let current, now - current.seconds < minimumInterval, lastReport.targets == targets { return lastReport }
        var failures: [String: String] = [:]
        if current == nil {
            current = await Self.scrape(targets, failures: &failures)
            try? await Task.sleep(for: firstWindow)
            failures = [:]
        }
        let next = await Self.scrape(targets, failures: &failures)
        previous = current
        current = next
        let report = Report(topology: MeshTopology(previous: previous, current: next), targets: targets, failures: failures)
        lastReport = report
        return report
    }

    /// All targets at once; each target's failure is reported, never fatal.
    static func scrape(_ targets: [String], failures: inout [String: String]) async -> MeshTopology.Scrape {
        let results = await withTaskGroup(of: (String, Result<String, any Error>).self) { group in
            for target in targets {
                group.addTask {
                    do { return (target, .success(try await MetricsFetcher.get(target, path: "/stats/prometheus"))) }
                    catch { return (target, .failure(error)) }
                }
            }
            var results: [(String, Result<String, any Error>)] = []
            for await result in group { results.append(result) }
            return results
        }
        var samples: [PrometheusTextParser.Sample] = []
        for (target, result) in results {
            switch result {
            case .success(let text): samples += PrometheusTextParser.parse(text, names: MeshTopology.metricNames)
            case .failure(let error): failures[target] = "\(error)"
            }
        }
        return MeshTopology.Scrape(seconds: Date().timeIntervalSince1970, samples: samples)
    }
}
