/// Renders workers' `TelemetryStore`s as Prometheus text exposition (version
/// 0.0.4): one `# TYPE` line per metric, series merged across workers by their
/// label text, histograms as cumulative `_bucket{le=...}`, `_sum`, `_count`.
public enum PrometheusExposition {
    private struct Histogram {
        var buckets = [UInt64](repeating: 0, count: HistogramBuckets.count)
        var sum: Double = 0

        mutating func add(_ source: [UInt64], series: Int, sum: Double) {
            let base = series * HistogramBuckets.count
            for index in 0..<HistogramBuckets.count { buckets[index] &+= source[base + index] }
            self.sum += sum
        }
    }

    private struct RequestSeries {
        var count: UInt64 = 0
        var duration = Histogram()
        var requestBytes = Histogram()
        var responseBytes = Histogram()
    }

    private struct TCPSeries {
        var opened: UInt64 = 0
        var closed: UInt64 = 0
        var sent: UInt64 = 0
        var received: UInt64 = 0
    }

    public static func render(_ stores: [TelemetryStore]) -> String {
        var requestOrder: [String] = []
        var requests: [String: RequestSeries] = [:]
        var tcpOrder: [String] = []
        var tcp: [String: TCPSeries] = [:]
        for store in stores {
            for (series, key) in store.requestKeys.enumerated() {
                var (labels, scope) = Self.labels(store, scope: key.scope, service: key.service, peer: key.peer)
                labels.append(("request_protocol", key.grpcStatus == TelemetryStore.notGRPC ? "http" : "grpc"))
                labels.append(("response_code", String(key.code)))
                labels.append(("grpc_response_status", key.grpcStatus >= 0 ? String(key.grpcStatus) : ""))
                labels.append(("response_flags", ResponseFlags(rawValue: key.flags).envoyString))
                IstioLabelSet.apply(store.securities[key.security], scope: scope, to: &labels)
                let text = IstioLabelSet.render(labels)
                if requests[text] == nil { requestOrder.append(text) }
                var merged = requests[text] ?? RequestSeries()
                merged.count &+= store.requestCounts[series]
                merged.duration.add(store.durationBuckets, series: series, sum: store.durationSums[series])
                merged.requestBytes.add(store.requestBytesBuckets, series: series, sum: store.requestBytesSums[series])
                merged.responseBytes.add(store.responseBytesBuckets, series: series, sum: store.responseBytesSums[series])
                requests[text] = merged
            }
            for (series, key) in store.tcpKeys.enumerated() {
                var (labels, scope) = Self.labels(store, scope: key.scope, service: key.service, peer: key.peer)
                labels.append(("request_protocol", "tcp"))
                labels.append(("response_flags", ResponseFlags(rawValue: key.flags).envoyString))
                IstioLabelSet.apply(store.securities[key.security], scope: scope, to: &labels)
                let text = IstioLabelSet.render(labels)
                if tcp[text] == nil { tcpOrder.append(text) }
                var merged = tcp[text] ?? TCPSeries()
                merged.opened &+= store.tcpOpened[series]
                merged.closed &+= store.tcpClosed[series]
                merged.sent &+= store.tcpSent[series]
                merged.received &+= store.tcpReceived[series]
                tcp[text] = merged
            }
        }
        requestOrder.sort()
        tcpOrder.sort()
        var out = ""
        func counter(_ name: String, _ order: [String], _ value: (String) -> UInt64) {
            out += "# TYPE \(name) counter\n"
            for labels in order { out += "\(name){\(labels)} \(value(labels))\n" }
        }

        func histogram(_ name: String, _ order: [String], _ value: (String) -> Histogram) {
            out += "# TYPE \(name) histogram\n"
            for labels in order {
                let histogram = value(labels)
                var cumulative: UInt64 = 0
                for (index, bound) in HistogramBuckets.bounds.enumerated() {
                    cumulative &+= histogram.buckets[index]
                    out += "\(name)_bucket{\(labels),le=\"\(number(bound))\"} \(cumulative)\n"
                }
                cumulative &+= histogram.buckets[HistogramBuckets.count - 1]
                out += "\(name)_bucket{\(labels),le=\"+Inf\"} \(cumulative)\n"
                out += "\(name)_sum{\(labels)} \(number(histogram.sum))\n"
                out += "\(name)_count{\(labels)} \(cumulative)\n"
            }
        }

        if !requestOrder.isEmpty {
            counter("istio_requests_total", requestOrder) { requests[$0]!.count }
            histogram("istio_request_bytes", requestOrder) { requests[$0]!.requestBytes }
            histogram("istio_request_duration_milliseconds", requestOrder) { requests[$0]!.duration }
            histogram("istio_response_bytes", requestOrder) { requests[$0]!.responseBytes }
        }
        if !tcpOrder.isEmpty {
            counter("istio_tcp_connections_closed_total", tcpOrder) { tcp[$0]!.closed }
            counter("istio_tcp_connections_opened_total", tcpOrder) { tcp[$0]!.opened }
            counter("istio_tcp_received_bytes_total", tcpOrder) { tcp[$0]!.received }
            counter("istio_tcp_sent_bytes_total", tcpOrder) { tcp[$0]!.sent }
        }
        return out
    }

    /// The workload and service labels of a series' slots.
    private static func labels(_ store: TelemetryStore, scope: Int32, service: Int32, peer: Int32) -> ([(String, String)], TelemetryScope) {
        let scope = store.scopes[scope]!
        return (IstioLabelSet.peerLabels(scope: scope, service: store.services[service], peer: store.peers[peer]), scope)
    }

    /// `0.5`, `1`, `3600000`: integers without a fraction, as Envoy prints bounds.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
