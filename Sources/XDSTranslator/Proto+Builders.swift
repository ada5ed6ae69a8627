import SwiftProtobuf
import XDSAPI

/// Small constructors that keep the generators readable.
enum Proto {
    static func address(_ ip: String, _ port: Int) -> Envoy_Config_Core_V3_Address {
        var socket = Envoy_Config_Core_V3_SocketAddress()
        socket.address = ip
        socket.portValue = UInt32(clamping: port)
        var address = Envoy_Config_Core_V3_Address()
        address.socketAddress = socket
        return address
    }

    static var ads: Envoy_Config_Core_V3_ConfigSource {
        var source = Envoy_Config_Core_V3_ConfigSource()
        source.ads = Envoy_Config_Core_V3_AggregatedConfigSource()
        source.resourceApiVersion = .v3
        return source
    }

    static func duration(nanoseconds: Int64) -> Google_Protobuf_Duration {
        var duration = Google_Protobuf_Duration()
        duration.seconds = nanoseconds / 1_000_000_000
        duration.nanos = Int32(nanoseconds % 1_000_000_000)
        return duration
    }

    static func duration(seconds: Int64) -> Google_Protobuf_Duration {
        duration(nanoseconds: seconds * 1_000_000_000)
    }

    static func uint32(_ value: Int) -> Google_Protobuf_UInt32Value {
        Google_Protobuf_UInt32Value(UInt32(clamping: max(0, value)))
    }

    static func bool(_ value: Bool) -> Google_Protobuf_BoolValue { Google_Protobuf_BoolValue(value) }

    static func any<M: SwiftProtobuf.Message>(_ message: M) -> Google_Protobuf_Any {
        // Deterministic map order: the same config packs to the same bytes, so content
        // versions only change when content does. Our own messages cannot fail to pack.
        try! Google_Protobuf_Any(deterministicallyPacking: message)
    }

    static func header(_ name: String, _ value: String, append: Bool) -> Envoy_Config_Core_V3_HeaderValueOption {
        var header = Envoy_Config_Core_V3_HeaderValue()
        header.key = name
        header.value = value
        var option = Envoy_Config_Core_V3_HeaderValueOption()
        option.header = header
        option.appendAction = append ? .appendIfExistsOrAdd : .overwriteIfExistsOrAdd
        return option
    }

    static func percent(_ value: Double) -> Envoy_Type_V3_FractionalPercent {
        // Millionths keep Istio's fractional percentages (e.g. 0.1 %) exact.
        var fraction = Envoy_Type_V3_FractionalPercent()
        fraction.numerator = UInt32((min(max(value, 0), 100) * 10_000).rounded())
        fraction.denominator = .million
        return fraction
    }
}
