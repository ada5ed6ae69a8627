import ProxyCore
import XDSAPI

/// Cluster `outlier_detection` -> OutlierDetectionConfig: the consecutive-failure
/// detectors (5xx, gateway, local origin) with Envoy's defaults for unset fields.
/// The statistical detectors (success rate, failure percentage) are not implemented:
/// they are accepted with a warning when enforced, since they only ever remove hosts
/// Envoy would also keep when their minimum host / request volumes are not met.
enum OutlierDetectionConverter {
    static func convert(_ detection: Envoy_Config_Cluster_V3_OutlierDetection, _ scope: ConversionScope,
                        warnings: inout ConversionWarnings) -> OutlierDetectionConfig {
        var config = OutlierDetectionConfig()
        if detection.hasConsecutive5Xx { config.consecutive5xx = Int(detection.consecutive5Xx.value) }
        if detection.hasConsecutiveGatewayFailure { config.consecutiveGatewayFailure = Int(detection.consecutiveGatewayFailure.value) }
        if detection.hasConsecutiveLocalOriginFailure {
            config.consecutiveLocalOriginFailure = Int(detection.consecutiveLocalOriginFailure.value)
        }
        if detection.hasEnforcingConsecutive5Xx { config.enforcingConsecutive5xx = Int(detection.enforcingConsecutive5Xx.value) }
        if detection.hasEnforcingConsecutiveGatewayFailure {
            config.enforcingConsecutiveGatewayFailure = Int(detection.enforcingConsecutiveGatewayFailure.value)
        }
        if detection.hasEnforcingConsecutiveLocalOriginFailure {
            config.enforcingConsecutiveLocalOriginFailure = Int(detection.enforcingConsecutiveLocalOriginFailure.value)
        }
        if detection.hasInterval { config.intervalMs = max(1, ProtoValues.nanos(detection.interval) / 1_000_000) }
        if detection.hasBaseEjectionTime { config.baseEjectionTimeMs = ProtoValues.nanos(detection.baseEjectionTime) / 1_000_000 }
        if detection.hasMaxEjectionTime { config.maxEjectionTimeMs = ProtoValues.nanos(detection.maxEjectionTime) / 1_000_000 }
        if detection.hasMaxEjectionPercent { config.maxEjectionPercent = Int(detection.maxEjectionPercent.value) }
        config.splitExternalLocalOriginErrors = detection.splitExternalLocalOriginErrors
        // Envoy enforces success-rate ejection unless told not to (Istio always says 0).
        if !detection.hasEnforcingSuccessRate || detection.enforcingSuccessRate.value > 0 {
            warnings.add(scope.child("enforcing_success_rate"), "success-rate outlier detection is not applied")
        }
        if detection.enforcingFailurePercentage.value > 0 || detection.enforcingFailurePercentageLocalOrigin.value > 0 {
            warnings.add(scope.child("enforcing_failure_percentage"), "failure-percentage outlier detection is not applied")
        }
        return config
    }
}
