import Testing
@testable import MeshValidation

/// Telemetry: CRD schema and CEL rules plus Istio's webhook rules
/// (`ValidateTelemetry`: providers, metric overrides, tracing, access-log filters).
@Suite struct TelemetryValidationTests {
    static let invalid: [ValidationCase] = [
        // Tracing.
        .istio("Telemetry", "sampling-150", spec: """
        tracing:
        - providers: [{name: zipkin}]
          randomSamplingPercentage: 150
        """, path: "spec.tracing[0].randomSamplingPercentage", message: "at most 100"),
        .istio("Telemetry", "sampling-negative", spec: """
        tracing:
        - randomSamplingPercentage: -0.5
        """, path: "spec.tracing[0].randomSamplingPercentage", message: "at least 0"),
        .istio("Telemetry", "sampling-string", spec: """
        tracing:
        - randomSamplingPercentage: "10%"
        """, path: "spec.tracing[0].randomSamplingPercentage", message: "expected number"),
        .istio("Telemetry", "empty-tracing-provider", spec: """
        tracing:
        - providers: [{name: ""}]
        """, path: "spec.tracing[0].providers[0].name", message: "at least 1"),
        .istio("Telemetry", "custom-tag-empty-literal", spec: """
        tracing:
        - customTags:
            cluster: {literal: {value: ""}}
        """, path: "spec.tracing[0].customTags.cluster.literal.value", message: "at least 1"),
        .istio("Telemetry", "custom-tag-two-types", spec: """
        tracing:
        - customTags:
            user: {literal: {value: anonymous}, header: {name: x-user}}
        """, path: "spec.tracing[0].customTags.user", message: "mutually exclusive"),
        .istio("Telemetry", "custom-tag-header-without-name", spec: """
        tracing:
        - customTags:
            user: {header: {defaultValue: unknown}}
        """, path: "spec.tracing[0].customTags.user.header.name", message: "required"),
        // Access logging.
        .istio("Telemetry", "access-log-provider-without-name", spec: """
        accessLogging:
        - providers: [{}]
        """, path: "spec.accessLogging[0].providers[0].name", message: "required"),
        .istio("Telemetry", "filter-dangling-operator", spec: """
        accessLogging:
        - providers: [{name: envoy}]
          filter: {expression: "response.code >="}
        """, path: "spec.accessLogging[0].filter.expression", message: "CEL"),
        .istio("Telemetry", "filter-unbalanced", spec: """
        accessLogging:
        - filter: {expression: "has(request.headers['x-debug']"}
        """, path: "spec.accessLogging[0].filter.expression", message: "CEL"),
        .istio("Telemetry", "filter-unterminated-string", spec: """
        accessLogging:
        - filter: {expression: "request.host == 'example.com"}
        """, path: "spec.accessLogging[0].filter.expression", message: "unterminated string"),
        .istio("Telemetry", "access-log-bad-mode", spec: """
        accessLogging:
        - match: {mode: BOTH}
        """, path: "spec.accessLogging[0].match.mode", message: "unsupported value"),
        // Metrics.
        .istio("Telemetry", "empty-metrics-provider", spec: """
        metrics:
        - providers: [{name: ""}]
        """, path: "spec.metrics[0].providers[0].name", message: "at least 1"),
        .istio("Telemetry", "tag-remove-with-value", spec: """
        metrics:
        - overrides:
          - tagOverrides:
              request_protocol: {operation: REMOVE, value: "'http'"}
        """, path: "spec.metrics[0].overrides[0].tagOverrides.request_protocol", message: "REMOVE"),
        .istio("Telemetry", "tag-upsert-without-value", spec: """
        metrics:
        - overrides:
          - match: {metric: REQUEST_COUNT}
            tagOverrides:
              destination_port: {operation: UPSERT}
        """, path: "spec.metrics[0].overrides[0].tagOverrides.destination_port", message: "UPSERT"),
        .istio("Telemetry", "tag-upsert-empty-value", spec: """
        metrics:
        - overrides:
          - tagOverrides:
              source_x: {value: ""}
        """, path: "spec.metrics[0].overrides[0].tagOverrides.source_x", message: "UPSERT"),
        .istio("Telemetry", "tag-bad-operation", spec: """
        metrics:
        - overrides:
          - tagOverrides:
              source_x: {operation: DELETE}
        """, path: "spec.metrics[0].overrides[0].tagOverrides.source_x.operation", message: "unsupported value"),
        .istio("Telemetry", "unknown-metric", spec: """
        metrics:
        - overrides:
          - match: {metric: REQUEST_LATENCY}
            disabled: true
        """, path: "spec.metrics[0].overrides[0].match.metric", message: "unsupported value"),
        .istio("Telemetry", "metric-and-custom-metric", spec: """
        metrics:
        - overrides:
          - match: {metric: REQUEST_COUNT, customMetric: my_requests}
            disabled: true
        """, path: "spec.metrics[0].overrides[0].match", message: "mutually exclusive"),
        .istio("Telemetry", "empty-custom-metric", spec: """
        metrics:
        - overrides:
          - match: {customMetric: ""}
        """, path: "spec.metrics[0].overrides[0].match.customMetric", message: "at least 1"),
        .istio("Telemetry", "reporting-interval-too-small", spec: """
        metrics:
        - reportingInterval: 500us
        """, path: "spec.metrics[0].reportingInterval", message: "1ms"),
        // Targets.
        .istio("Telemetry", "selector-and-target-ref", spec: """
        selector: {matchLabels: {app: web}}
        targetRef: {kind: Service, group: "", name: web}
        tracing: [{randomSamplingPercentage: 10}]
        """, path: "spec", message: "only one of targetRefs or selector"),
        .istio("Telemetry", "target-ref-namespace", spec: """
        targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress, namespace: istio-system}
        tracing: [{randomSamplingPercentage: 10}]
        """, path: "spec.targetRef.namespace", message: "cross namespace"),
        .istio("Telemetry", "target-ref-unsupported-kind", spec: """
        targetRef: {kind: HTTPRoute, group: gateway.networking.k8s.io, name: web}
        tracing: [{randomSamplingPercentage: 10}]
        """, path: "spec.targetRef", message: "not supported"),
        .istio("Telemetry", "selector-wildcard-value", spec: """
        selector: {matchLabels: {app: "web-*"}}
        """, path: "spec.selector.matchLabels.app", message: "wildcard"),
    ]

    static let valid: [ValidationCase] = [
        .istio("Telemetry", "v1alpha1-sampling-0", apiVersion: "telemetry.istio.io/v1alpha1", spec: """
        tracing:
        - providers: [{name: zipkin}]
          randomSamplingPercentage: 0
        """),
        .istio("Telemetry", "sampling-100", spec: """
        tracing:
        - randomSamplingPercentage: 100.0
          disableSpanReporting: false
        """),
        .istio("Telemetry", "sampling-fraction", spec: """
        tracing:
        - randomSamplingPercentage: 0.01
          useRequestIdForTraceSampling: true
        """),
        .istio("Telemetry", "custom-tags", spec: """
        tracing:
        - providers: [{name: otel-tracing}]
          customTags:
            cluster: {literal: {value: east}}
            user: {header: {name: x-user, defaultValue: anonymous}}
            pod: {environment: {name: POD_NAME}}
        """),
        .istio("Telemetry", "access-log-filter", spec: """
        accessLogging:
        - providers: [{name: envoy}]
          filter: {expression: "response.code >= 400 || xds.cluster_name == 'BlackHoleCluster'"}
        """),
        .istio("Telemetry", "access-log-filter-functions", spec: """
        accessLogging:
        - match: {mode: SERVER}
          filter: {expression: "has(request.headers['x-debug']) && request.headers['x-debug'] != \\"0\\""}
        """),
        .istio("Telemetry", "access-log-disabled", spec: """
        accessLogging:
        - disabled: true
        """),
        .istio("Telemetry", "metric-overrides", spec: """
        metrics:
        - providers: [{name: prometheus}]
          reportingInterval: 15s
          overrides:
          - match: {metric: REQUEST_COUNT, mode: CLIENT_AND_SERVER}
            tagOverrides:
              request_host: {value: "request.host"}
              request_protocol: {operation: REMOVE}
              destination_port: {operation: UPSERT, value: "string(destination.port)"}
          - match: {customMetric: my_custom_metric}
            disabled: true
          - match: {metric: ALL_METRICS, mode: CLIENT}
            disabled: false
        """),
        .istio("Telemetry", "target-ref-gateway", spec: """
        targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress}
        accessLogging: [{providers: [{name: envoy}]}]
        """),
        .istio("Telemetry", "target-refs-service", spec: """
        targetRefs:
        - {kind: Service, group: "", name: reviews}
        metrics: [{providers: [{name: prometheus}]}]
        """),
        .istio("Telemetry", "selector-only", spec: """
        selector: {matchLabels: {app: reviews}}
        tracing: [{randomSamplingPercentage: 50}]
        """),
        .istio("Telemetry", "mesh-default-empty", spec: "{}"),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }

    /// More than one tracing entry or provider is admitted by Istio with warnings.
    @Test func multipleTracingConfigsWarn() {
        let report = ValidationCase.istio("Telemetry", "two-tracers", spec: """
        tracing:
        - providers: [{name: zipkin}, {name: otel}]
        - randomSamplingPercentage: 5
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.object != nil)
        let paths = Set(report.warnings.map(\.path.description))
        #expect(paths.contains("spec.tracing"))
        #expect(paths.contains("spec.tracing[0].providers"))
    }

    /// A custom tag with no type passes the CRD and Istio's webhook (the proxies ignore it).
    @Test func untypedCustomTagWarns() {
        let report = ValidationCase.istio("Telemetry", "untyped-tag", spec: """
        tracing:
        - customTags:
            nothing: {}
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.warnings.contains { $0.path.description == "spec.tracing[0].customTags.nothing" })
    }

    @Test func emptyTagOverrideNameWarns() {
        let report = ValidationCase.istio("Telemetry", "empty-tag-name", spec: """
        metrics:
        - overrides:
          - tagOverrides:
              "": {operation: REMOVE}
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.warnings.contains { $0.path.description == "spec.metrics[0].overrides[0].tagOverrides" })
    }
}
