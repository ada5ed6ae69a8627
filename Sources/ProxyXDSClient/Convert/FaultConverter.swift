import ProxyCore
import SwiftProtobuf
import XDSAPI

/// `typed_per_filter_config["envoy.filters.http.fault"]` on a route -> FaultInjection.
/// The parts Istio emits (fixed delay, HTTP abort, percentages) are served; the
/// others are refused with their field named rather than ignored.
enum FaultConverter {
    static let typeURL = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault"

    static func convert(_ any: Google_Protobuf_Any, _ scope: ConversionScope) throws(XDSConversionError) -> FaultInjection {
        guard any.typeURL == typeURL else { throw scope.error("expected \(typeURL), got \(any.typeURL)") }
        let fault: Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault
        do {
            fault = try Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault(unpackingAny: any)
        } catch {
            throw scope.error("cannot decode HTTPFault: \(error)")
        }
        if !fault.upstreamCluster.isEmpty { throw scope.child("upstream_cluster").unsupported("faults limited to one upstream cluster") }
        if !fault.headers.isEmpty { throw scope.child("headers").unsupported("faults limited by request headers") }
        if !fault.downstreamNodes.isEmpty { throw scope.child("downstream_nodes").unsupported("faults limited to downstream nodes") }
        if fault.hasMaxActiveFaults { throw scope.child("max_active_faults").unsupported("a cap on active faults") }
        if fault.hasResponseRateLimit { throw scope.child("response_rate_limit").unsupported("response rate limiting") }
        var result = FaultInjection()
        if fault.hasDelay {
            let delayScope = scope.child("delay")
            switch fault.delay.faultDelaySecifier {
            case .fixedDelay(let duration):
                result.delay = FaultInjection.Delay(nanos: ProtoValues.nanos(duration), percentage: ProtoValues.fraction(fault.delay.percentage))
            case .headerDelay: throw delayScope.child("header_delay").unsupported("delays taken from request headers")
            case nil: throw delayScope.error("a delay needs fixed_delay")
            }
        }
        if fault.hasAbort {
            let abortScope = scope.child("abort")
            switch fault.abort.errorType {
            case .httpStatus(let status):
                guard (200..<600).contains(status) else { throw abortScope.child("http_status").error("\(status) is not an HTTP status (200-599)") }
                result.abort = FaultInjection.Abort(status: Int(status), percentage: ProtoValues.fraction(fault.abort.percentage))
            case .grpcStatus: throw abortScope.child("grpc_status").unsupported("gRPC status aborts (HTTP/2 and gRPC are not served yet)")
            case .headerAbort: throw abortScope.child("header_abort").unsupported("aborts taken from request headers")
            case nil: throw abortScope.error("an abort needs http_status or grpc_status")
            }
        }
        return result
    }
}
