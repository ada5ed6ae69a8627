import MeshConfig
import MeshCore
import XDSAPI

/// DestinationRule `outlierDetection`, as Istio's `applyOutlierDetection`: only the
/// detectors the rule names are configured (others keep Envoy's defaults), the
/// success-rate detector is always off, and the panic threshold becomes
/// `minHealthPercent` (0 unless set), since meshes often run few endpoints.
extension TrafficPolicyApplier {
    static func applyOutlierDetection(_ settings: OutlierDetection, to cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        cluster.outlierDetection = outlierDetection(settings)
        var percent = Envoy_Type_V3_Percent()
        percent.value = Double(max(settings.minHealthPercent ?? 0, 0))
        cluster.commonLbConfig.healthyPanicThreshold = percent
    }

    static func outlierDetection(_ settings: OutlierDetection) -> Envoy_Config_Cluster_V3_OutlierDetection {
        var outliers = Envoy_Config_Cluster_V3_OutlierDetection()
        outliers.enforcingSuccessRate = Proto.uint32(0)
        // consecutive5xxErrors (or the deprecated consecutiveErrors) counts 5xx; 0
        // disables that detector; unset leaves Envoy's (5 errors, enforced).
        if let errors = settings.consecutive5xxErrors ?? settings.consecutiveErrors {
            outliers.consecutive5Xx = Proto.uint32(errors)
            outliers.enforcingConsecutive5Xx = Proto.uint32(errors > 0 ? 100 : 0)
        }
        if let gateway = settings.consecutiveGatewayErrors {
            outliers.consecutiveGatewayFailure = Proto.uint32(gateway)
            outliers.enforcingConsecutiveGatewayFailure = Proto.uint32(gateway > 0 ? 100 : 0)
        }
        if settings.splitExternalLocalOriginErrors == true {
            outliers.splitExternalLocalOriginErrors = true
            if let local = settings.consecutiveLocalOriginFailures, local > 0 {
                outliers.consecutiveLocalOriginFailure = Proto.uint32(local)
                outliers.enforcingConsecutiveLocalOriginFailure = Proto.uint32(100)
            }
            outliers.enforcingLocalOriginSuccessRate = Proto.uint32(0)
        }
        if let interval = settings.interval, let value = try? GoDuration.parse(interval) { outliers.interval = Proto.duration(nanoseconds: value) }
        if let base = settings.baseEjectionTime, let value = try? GoDuration.parse(base) { outliers.baseEjectionTime = Proto.duration(nanoseconds: value) }
        if let percent = settings.maxEjectionPercent, percent > 0 { outliers.maxEjectionPercent = Proto.uint32(percent) }
        return outliers
    }
}
