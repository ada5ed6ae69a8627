import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// The fault config Istio puts on a route converts; what we do not serve is a NACK
/// naming the field.
@Suite struct FaultConversionTests {
    let scope = ConversionScope(resource: "RouteConfiguration r", path: "typed_per_filter_config[envoy.filters.http.fault]")

    func percent(_ numerator: UInt32) -> Envoy_Type_V3_FractionalPercent {
        var percent = Envoy_Type_V3_FractionalPercent()
        percent.numerator = numerator
        percent.denominator = .tenThousand
        return percent
    }

    @Test func delayAndAbortConvert() throws {
        var fault = Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()
        fault.delay.fixedDelay = Google_Protobuf_Duration(seconds: 1, nanos: 500_000_000)
        fault.delay.percentage = percent(2500)
        fault.abort.httpStatus = 503
        fault.abort.percentage = percent(5000)
        let converted = try FaultConverter.convert(try Google_Protobuf_Any(message: fault), scope)
        #expect(converted.delay == FaultInjection.Delay(nanos: 1_500_000_000, percentage: FractionalPercent(numerator: 2500, denominator: 10_000)))
        #expect(converted.abort == FaultInjection.Abort(status: 503, percentage: FractionalPercent(numerator: 5000, denominator: 10_000)))
    }

    @Test func unservedPartsAreRefusedByName() throws {
        var grpc = Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()
        grpc.abort.grpcStatus = 14
        var limited = Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()
        limited.upstreamCluster = "c"
        var badStatus = Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()
        badStatus.abort.httpStatus = 42
        for (fault, field) in [(grpc, "abort.grpc_status"), (limited, "upstream_cluster"), (badStatus, "abort.http_status")] {
            do {
                _ = try FaultConverter.convert(try Google_Protobuf_Any(message: fault), scope)
                Issue.record("expected a NACK for \(field)")
            } catch let error as XDSConversionError {
                #expect(error.field.hasSuffix(field), "\(error)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
