import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct OutlierDetectionConversionTests {
    /// What Istio's translator emits for `consecutive5xxErrors: 2, interval: 1s,
    /// baseEjectionTime: 60s, maxEjectionPercent: 100` (success rate off).
    @Test func istiosOutlierDetectionBecomesTheDetectorConfig() throws {
        var cluster = XDSFixtures.staticCluster("c", port: 1)
        var detection = Envoy_Config_Cluster_V3_OutlierDetection()
        detection.consecutive5Xx = Google_Protobuf_UInt32Value(2)
        detection.enforcingConsecutive5Xx = Google_Protobuf_UInt32Value(100)
        detection.enforcingSuccessRate = Google_Protobuf_UInt32Value(0)
        detection.interval = Google_Protobuf_Duration(seconds: 1)
        detection.baseEjectionTime = Google_Protobuf_Duration(seconds: 60)
        detection.maxEjectionPercent = Google_Protobuf_UInt32Value(100)
        detection.splitExternalLocalOriginErrors = true
        detection.consecutiveLocalOriginFailure = Google_Protobuf_UInt32Value(3)
        cluster.outlierDetection = detection
        var panic = Envoy_Type_V3_Percent()
        panic.value = 0
        cluster.commonLbConfig.healthyPanicThreshold = panic
        var warnings = ConversionWarnings()
        let (config, _) = try ClusterConverter.convert(cluster, warnings: &warnings)
        let outlier = try #require(config.outlierDetection)
        #expect(outlier.consecutive5xx == 2)
        #expect(outlier.enforcingConsecutive5xx == 100)
        #expect(outlier.consecutiveGatewayFailure == 5 && outlier.enforcingConsecutiveGatewayFailure == 0, "Envoy's defaults")
        #expect(outlier.intervalMs == 1000)
        #expect(outlier.baseEjectionTimeMs == 60_000)
        #expect(outlier.maxEjectionPercent == 100)
        #expect(outlier.splitExternalLocalOriginErrors)
        #expect(outlier.consecutiveLocalOriginFailure == 3)
        #expect(config.healthyPanicThreshold == 0)
        #expect(warnings.messages.isEmpty, "\(warnings.messages)")
    }

    @Test func envoysDefaultSuccessRateDetectorIsAWarning() throws {
        var cluster = XDSFixtures.staticCluster("c", port: 1)
        cluster.outlierDetection = Envoy_Config_Cluster_V3_OutlierDetection()
        var warnings = ConversionWarnings()
        let (config, _) = try ClusterConverter.convert(cluster, warnings: &warnings)
        #expect(config.outlierDetection == OutlierDetectionConfig())
        #expect(config.healthyPanicThreshold == 50)
        #expect(warnings.messages == ["Cluster c: outlier_detection.enforcing_success_rate: success-rate outlier detection is not applied"])
    }

    @Test func noOutlierDetectionWithoutTheField() throws {
        var warnings = ConversionWarnings()
        let (config, _) = try ClusterConverter.convert(XDSFixtures.staticCluster("c", port: 1), warnings: &warnings)
        #expect(config.outlierDetection == nil)
    }
}
