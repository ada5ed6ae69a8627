/// The xDS client's protocol bookkeeping over one ADS stream at a time, state of the world or
/// delta: subscriptions per type, the last accepted version (or per-resource versions),
/// nonces, ACK / NACK, re-requests on reconnect, Envoy's warming order (listeners and routes
/// are requested only once clusters and their endpoints arrived) and jittered reconnect backoff.
///
/// It never parses resources: the proxy decodes a response, validates it, then reports
/// `accept` or `reject`, and sends whatever requests come back.
public struct XDSClientStateMachine: Sendable {
    public enum Mode: Sendable, Equatable { case stateOfTheWorld, delta }

    struct TypeState: Sendable {
        /// nil = wildcard.
        var names: Set<String>?
        var acceptedVersion = ""
        var nonce = ""
        /// Delta: versions of accepted resources.
        var resourceVersions: [String: String] = [:]
        /// Names seen in accepted responses (warming) and whether any response was handled.
        var received: Set<String> = []
        var answeredOnce = false
        /// Delta: names subscribed/unsubscribed on this stream already.
        var sentNames: Set<String>?
        var requestedOnStream = false
    }

    public let mode: Mode
    /// Istio's bootstrap sets `set_node_on_first_message_only`.
    public let nodeOnFirstRequestOnly: Bool
    var types: [String: TypeState] = [:]
    var subscriptionOrder: [String] = []
    public private(set) var isConnected = false
    var nodeSent = false
    /// Once true (clusters warmed or the initial fetch timed out) listeners are never held back.
    public private(set) var initialWarmingDone = false
    var backoff: JitteredBackoff

    /// - Parameters: reconnect backoff as Envoy's gRPC mux: 500 ms base, 30 s cap.
    public init(mode: Mode, nodeOnFirstRequestOnly: Bool = true, backoffBaseMs: Int64 = 500,
                backoffMaxMs: Int64 = 30_000) {
        self.mode = mode
        self.nodeOnFirstRequestOnly = nodeOnFirstRequestOnly
        backoff = JitteredBackoff(baseMs: backoffBaseMs, maxMs: backoffMaxMs)
    }

    public func acceptedVersion(_ typeURL: String) -> String { types[typeURL]?.acceptedVersion ?? "" }
    public func resourceVersions(_ typeURL: String) -> [String: String] { types[typeURL]?.resourceVersions ?? [:] }
    public func lastNonce(_ typeURL: String) -> String { types[typeURL]?.nonce ?? "" }

    /// Sets the names wanted for a type (nil = wildcard); returns requests to send now.
    public mutating func subscribe(_ typeURL: String, names: [String]?) -> [XDSOutgoing] {
        if types[typeURL] == nil {
            types[typeURL] = TypeState()
            subscriptionOrder.append(typeURL)
        }
        let wanted = names.map(Set.init)
        guard types[typeURL]!.names != wanted || !types[typeURL]!.requestedOnStream else { return [] }
        types[typeURL]!.names = wanted
        return requestsAfterChange()
    }

    /// A new stream is up: ask again for everything (versions kept, nonces forgotten).
    public mutating func connected() -> [XDSOutgoing] {
        isConnected = true
        nodeSent = false
        for typeURL in types.keys {
            types[typeURL]!.nonce = ""
            types[typeURL]!.requestedOnStream = false
            types[typeURL]!.sentNames = nil
        }
        return requestsAfterChange()
    }

    /// The stream ended; returns how long to wait before reconnecting.
    public mutating func disconnected(random: inout some RandomSource) -> Int64 {
        isConnected = false
        return backoff.nextDelayMs(random: &random)
    }

    /// `initial_fetch_timeout` expired while warming: stop holding listeners back.
    public mutating func initialFetchTimedOut() -> [XDSOutgoing] {
        guard !initialWarmingDone else { return [] }
        initialWarmingDone = true
        return requestsAfterChange()
    }

    /// Whether clusters and the endpoints of every subscribed cluster have arrived.
    public var clustersWarm: Bool {
        if let cds = types[XDSTypeURL.cluster], !cds.answeredOnce { return false }
        if let eds = types[XDSTypeURL.endpoint], let names = eds.names, !names.isSubset(of: eds.received) {
            return false
        }
        return true
    }

    /// Requests for every type whose subscription is not yet on the wire, in warming order.
    mutating func requestsAfterChange() -> [XDSOutgoing] {
        guard isConnected else { return [] }
        if !initialWarmingDone && clustersWarm { initialWarmingDone = true }
        var out: [XDSOutgoing] = []
        for typeURL in orderedTypes() {
            if !initialWarmingDone && XDSTypeURL.isListenerPhase(typeURL) { continue }
            if let request = subscriptionRequest(typeURL) { out.append(request) }
        }
        return out
    }

    func orderedTypes() -> [String] {
        XDSTypeURL.order.filter { types[$0] != nil } + subscriptionOrder.filter { !XDSTypeURL.order.contains($0) }
    }

    mutating func takeNodeFlag() -> Bool {
        defer { nodeSent = true }
        return !nodeOnFirstRequestOnly || !nodeSent
    }
}

extension XDSClientStateMachine {
    /// Whether a subscription for the type exists (with any names).
    public func subscribed(_ typeURL: String) -> Bool { types[typeURL] != nil }
}
