import MeshConfig
import MeshCore

/// One finding of `analyze`, with Istio's code and wording where Istio has one.
public struct AnalysisMessage: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, Comparable {
        case error = "Error"
        case warning = "Warning"
        case info = "Info"

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    public var level: Level
    public var code: String
    public var name: String
    /// `KIND NAMESPACE/NAME` of the object the message is about.
    public var origin: String
    public var message: String
    public var source: ConfigSource?

    public init(_ type: MessageType, origin: ConfigObject, _ message: String) {
        level = type.level
        code = type.code
        name = type.name
        self.origin = origin.kind == .namespace ? "Namespace \(origin.name)" : origin.displayName
        self.message = message
        source = origin.source
    }

    /// `Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviews2"`
    public var formatted: String { "\(level.rawValue) [\(code)] (\(origin)) \(message)" }

    public static func == (lhs: AnalysisMessage, rhs: AnalysisMessage) -> Bool { lhs.formatted == rhs.formatted }
    public func hash(into hasher: inout Hasher) { hasher.combine(formatted) }
}

/// The message types `analyze` produces: Istio's codes, plus SwiftMesh's own (SM…)
/// for findings Istio has no code for.
public struct MessageType: Sendable {
    public let code: String
    public let name: String
    public let level: AnalysisMessage.Level

    public static let deprecated = MessageType(code: "IST0002", name: "Deprecated", level: .warning)
    public static let referencedResourceNotFound = MessageType(code: "IST0101", name: "ReferencedResourceNotFound", level: .error)
    public static let conflictingMeshGatewayVirtualServiceHosts = MessageType(code: "IST0109", name: "ConflictingMeshGatewayVirtualServiceHosts", level: .error)
    public static let multipleSidecarsWithoutWorkloadSelectors = MessageType(code: "IST0111", name: "MultipleSidecarsWithoutWorkloadSelectors", level: .error)
    public static let destinationPortSelectorRequired = MessageType(code: "IST0112", name: "VirtualServiceDestinationPortSelectorRequired", level: .error)
    public static let portNameNotUnderNamingConvention = MessageType(code: "IST0118", name: "PortNameIsNotUnderNamingConvention", level: .info)
    public static let noServerCertificateVerificationDestinationLevel = MessageType(code: "IST0128", name: "NoServerCertificateVerificationDestinationLevel", level: .warning)
    public static let noServerCertificateVerificationPortLevel = MessageType(code: "IST0129", name: "NoServerCertificateVerificationPortLevel", level: .warning)
    public static let virtualServiceUnreachableRule = MessageType(code: "IST0130", name: "VirtualServiceUnreachableRule", level: .warning)
    public static let virtualServiceIneffectiveMatch = MessageType(code: "IST0131", name: "VirtualServiceIneffectiveMatch", level: .info)
    public static let virtualServiceHostNotFoundInGateway = MessageType(code: "IST0132", name: "VirtualServiceHostNotFoundInGateway", level: .warning)
    public static let serviceEntryAddressesRequired = MessageType(code: "IST0134", name: "ServiceEntryAddressesRequired", level: .warning)
    public static let conflictingGateways = MessageType(code: "IST0145", name: "ConflictingGateways", level: .error)
    public static let multipleTelemetriesWithoutWorkloadSelectors = MessageType(code: "IST0160", name: "MultipleTelemetriesWithoutWorkloadSelectors", level: .error)
    public static let gatewayPortNotDefinedOnService = MessageType(code: "IST0162", name: "GatewayPortNotDefinedOnService", level: .warning)
    public static let unknownDestinationRuleHost = MessageType(code: "IST0174", name: "UnknownDestinationRuleHost", level: .warning)
    public static let unusedSubset = MessageType(code: "SM0001", name: "UnusedDestinationRuleSubset", level: .info)
}
