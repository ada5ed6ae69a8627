/// A state-of-the-world `DiscoveryRequest`, as plain values (the proxy maps it to protobuf).
public struct XDSRequest: Sendable, Equatable {
    public var typeURL: String
    /// The last version accepted for this type ("" before any).
    public var versionInfo: String
    /// Subscribed names; empty means wildcard for listeners and clusters.
    public var resourceNames: [String]
    /// The nonce of the response this request answers ("" when not answering one).
    public var responseNonce: String
    /// Set on a NACK: becomes `error_detail.message`.
    public var errorMessage: String?
    /// Whether to attach the node (first request on a stream).
    public var includeNode: Bool

    public init(typeURL: String, versionInfo: String, resourceNames: [String], responseNonce: String,
                errorMessage: String? = nil, includeNode: Bool = false) {
        self.typeURL = typeURL
        self.versionInfo = versionInfo
        self.resourceNames = resourceNames
        self.responseNonce = responseNonce
        self.errorMessage = errorMessage
        self.includeNode = includeNode
    }
}

/// A `DeltaDiscoveryRequest`.
public struct XDSDeltaRequest: Sendable, Equatable {
    public var typeURL: String
    public var resourceNamesSubscribe: [String]
    public var resourceNamesUnsubscribe: [String]
    /// On a new stream: the versions already held, so the server sends only what changed.
    public var initialResourceVersions: [String: String]
    public var responseNonce: String
    public var errorMessage: String?
    public var includeNode: Bool

    public init(typeURL: String, resourceNamesSubscribe: [String] = [], resourceNamesUnsubscribe: [String] = [],
                initialResourceVersions: [String: String] = [:], responseNonce: String = "",
                errorMessage: String? = nil, includeNode: Bool = false) {
        self.typeURL = typeURL
        self.resourceNamesSubscribe = resourceNamesSubscribe
        self.resourceNamesUnsubscribe = resourceNamesUnsubscribe
        self.initialResourceVersions = initialResourceVersions
        self.responseNonce = responseNonce
        self.errorMessage = errorMessage
        self.includeNode = includeNode
    }
}

/// Something to send on the ADS stream.
public enum XDSOutgoing: Sendable, Equatable {
    case sotw(XDSRequest)
    case delta(XDSDeltaRequest)
}

/// The parts of a `DiscoveryResponse` the state machine tracks.
public struct XDSResponse: Sendable, Equatable {
    public var typeURL: String
    public var versionInfo: String
    public var nonce: String
    /// Names of the resources in the response.
    public var resourceNames: [String]

    public init(typeURL: String, versionInfo: String, nonce: String, resourceNames: [String]) {
        self.typeURL = typeURL
        self.versionInfo = versionInfo
        self.nonce = nonce
        self.resourceNames = resourceNames
    }
}

/// The parts of a `DeltaDiscoveryResponse` the state machine tracks.
public struct XDSDeltaResponse: Sendable, Equatable {
    public var typeURL: String
    public var systemVersionInfo: String
    public var nonce: String
    /// Name and version of each added or updated resource.
    public var resources: [(name: String, version: String)]
    public var removedResources: [String]

    public init(typeURL: String, systemVersionInfo: String = "", nonce: String,
                resources: [(name: String, version: String)], removedResources: [String] = []) {
        self.typeURL = typeURL
        self.systemVersionInfo = systemVersionInfo
        self.nonce = nonce
        self.resources = resources
        self.removedResources = removedResources
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.typeURL == rhs.typeURL && lhs.systemVersionInfo == rhs.systemVersionInfo && lhs.nonce == rhs.nonce
            && lhs.resources.map(\.name) == rhs.resources.map(\.name)
            && lhs.resources.map(\.version) == rhs.resources.map(\.version)
            && lhs.removedResources == rhs.removedResources
    }
}
