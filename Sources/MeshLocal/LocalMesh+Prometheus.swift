import Foundation

extension LocalMesh {
    /// A real Prometheus on 127.0.0.1 whose only scrape job discovers its targets
    /// from the control plane (HTTP SD), as a Kubernetes Prometheus would find pods.
    func startPrometheus(_ prometheus: Options.Prometheus) throws {
        let port = prometheus.port == 0 ? try Self.freePort() : prometheus.port
        let file = "\(options.runDirectory)/prometheus.yml"
        try Self.prometheusConfig(controlPlaneHTTP: "127.0.0.1:\(httpPort)", scrapeInterval: prometheus.scrapeInterval)
            .write(toFile: file, atomically: true, encoding: .utf8)
        try processes.spawn("prometheus", prometheus.binary, [
            "--config.file=\(file)", "--storage.tsdb.path=\(options.runDirectory)/prometheus-data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ], log: log("prometheus"))
        try waitUntil("Prometheus ready on 127.0.0.1:\(port)") {
            HTTPProbe.get("127.0.0.1", port, path: "/-/ready", timeoutSeconds: 2)?.status == 200
        }
        prometheusPort = port
    }

    /// Targets and their metrics paths come from `/sd/prometheus`.
    static func prometheusConfig(controlPlaneHTTP: String, scrapeInterval: String) -> String {
        """
        # Written by swiftmesh up: every proxy and the control plane, found through
        # the control plane's HTTP service discovery.
        global:
          scrape_interval: \(scrapeInterval)
          evaluation_interval: \(scrapeInterval)
        scrape_configs:
        - job_name: swiftmesh
          http_sd_configs:
          - url: http://\(controlPlaneHTTP)/sd/prometheus
            refresh_interval: \(scrapeInterval)

        """
    }

    /// The `prometheus` executable on PATH (Debian's package installs /usr/bin/prometheus).
    public static func findPrometheus() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(directory)/prometheus"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
