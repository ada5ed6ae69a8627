import MeshConfig
import MeshCore

/// Traffic policies (DestinationRule, subsets, port-level settings).
enum TrafficPolicyRules {
    static func validate(_ policy: TrafficPolicy, _ path: FieldPath, namespace: String, _ sink: inout DiagnosticSink) {
        if policy == TrafficPolicy() {
            sink.error(path, "traffic policy must set at least one field")
            return
        }
        if policy.tunnel != nil && policy.proxyProtocol != nil {
            sink.error(path, "tunnel and proxyProtocol cannot both be set")
        }
        common(policy.connectionPool, policy.loadBalancer, policy.outlierDetection, policy.tls, path, namespace: namespace, &sink)
        if let tunnel = policy.tunnel {
            if let proto = tunnel.protocol, !["", "CONNECT", "POST"].contains(proto) {
                sink.error(path / "tunnel" / "protocol", "tunnel protocol must be CONNECT or POST, got \"\(proto)\"")
            }
            if let host = tunnel.targetHost, !IPAddress.isAddress(host), HostName.wildcardDomainProblem(host, allowWildcard: false) != nil {
                sink.error(path / "tunnel" / "targetHost", "\"\(host)\" is not a valid host name or IP address")
            }
            CommonChecks.port(tunnel.targetPort, path / "tunnel" / "targetPort", &sink)
        }
        if let budget = policy.retryBudget {
            CommonChecks.duration(budget.budgetInterval, path / "retryBudget" / "budgetInterval", allowZero: false, &sink)
            CommonChecks.percentage(budget.percent, path / "retryBudget" / "percent", &sink)
        }
        for (index, port) in (policy.portLevelSettings ?? []).enumerated() {
            let portPath = path / "portLevelSettings" / index
            if port.port == nil { sink.error(portPath / "port", "port is required") }
            if port.connectionPool == nil && port.loadBalancer == nil && port.outlierDetection == nil && port.tls == nil {
                sink.error(portPath, "port-level settings must set at least one of connectionPool, loadBalancer, outlierDetection or tls")
            }
            common(port.connectionPool, port.loadBalancer, port.outlierDetection, port.tls, portPath, namespace: namespace, &sink)
        }
        if let locality = policy.loadBalancer?.localityLbSetting,
           !(locality.failover ?? []).isEmpty || !(locality.failoverPriority ?? []).isEmpty,
           policy.outlierDetection == nil {
            sink.warning(path / "loadBalancer" / "localityLbSetting", "locality failover only takes effect with outlierDetection configured")
        }
    }

    static func common(_ pool: ConnectionPoolSettings?, _ lb: LoadBalancerSettings?, _ outlier: OutlierDetection?, _ tls: ClientTLSSettings?, _ path: FieldPath, namespace: String, _ sink: inout DiagnosticSink) {
        if let pool { ConnectionPoolRules.validate(pool, path / "connectionPool", &sink) }
        if let lb { LoadBalancerRules.validate(lb, path / "loadBalancer", &sink) }
        if let outlier { outlierDetection(outlier, path / "outlierDetection", &sink) }
        if let tls { ClientTLSRules.validate(tls, path / "tls", namespace: namespace, &sink) }
    }

    static func outlierDetection(_ outlier: OutlierDetection, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if let errors = outlier.consecutiveErrors, errors != 0 {
            sink.warning(path / "consecutiveErrors", "consecutiveErrors is deprecated: use consecutive5xxErrors or consecutiveGatewayErrors")
        }
        if let failures = outlier.consecutiveLocalOriginFailures, failures > 0, outlier.splitExternalLocalOriginErrors != true {
            sink.error(path / "consecutiveLocalOriginFailures", "consecutiveLocalOriginFailures requires splitExternalLocalOriginErrors: true")
        }
        for (field, value) in [("maxEjectionPercent", outlier.maxEjectionPercent), ("minHealthPercent", outlier.minHealthPercent)] {
            if let value, value < 0 || value > 100 { sink.error(path / field, "percentage \(value) must be in the range 0..100") }
        }
        for (index, code) in (outlier.outlierDetectionHttpErrorCodes ?? []).enumerated() where code < 100 || code > 599 {
            sink.error(path / "outlierDetectionHttpErrorCodes" / index, "\(code) is not an HTTP status code")
        }
    }
}

enum ConnectionPoolRules {
    static func validate(_ pool: ConnectionPoolSettings, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if pool.http == nil && pool.tcp == nil {
            sink.error(path, "connection pool must set http or tcp settings")
        }
        if let http = pool.http {
            for (field, value) in [("http1MaxPendingRequests", http.http1MaxPendingRequests), ("http2MaxRequests", http.http2MaxRequests),
                                   ("maxRequestsPerConnection", http.maxRequestsPerConnection), ("maxRetries", http.maxRetries),
                                   ("maxConcurrentStreams", http.maxConcurrentStreams)] {
                if let value, value < 0 { sink.error(path / "http" / field, "\(field) cannot be negative") }
            }
            if http.h2UpgradePolicy == .upgrade && http.useClientProtocol == true {
                sink.error(path / "http", "h2UpgradePolicy UPGRADE cannot be combined with useClientProtocol: true")
            }
        }
        if let tcp = pool.tcp {
            if let value = tcp.maxConnections, value < 0 { sink.error(path / "tcp" / "maxConnections", "maxConnections cannot be negative") }
            CommonChecks.duration(tcp.idleTimeout, path / "tcp" / "idleTimeout", allowZero: true, &sink)
        }
    }
}
