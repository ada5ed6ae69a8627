import SwiftProtobuf
import XDSAPI

/// One state-of-the-world ADS stream: which types and names the proxy subscribed,
/// what was sent with which nonce, what was ACKed or NACKed. Pure: events in,
/// actions out; the gRPC handler carries the actions out.
public struct ADSStreamStateMachine: Sendable {
    public struct Subscription: Sendable, Equatable {
        /// The subscribed names, sorted and unique. When they are exactly the
        /// proxy's resources of the type (the usual EDS / RDS case) this is the
        /// translation's own array, shared by every stream instead of a copy per
        /// proxy: with thousands of proxies those copies were most of the memory.
        public internal(set) var sortedNames: [String] = []
        public var names: Set<String> { Set(sortedNames) }
        public var sentVersion: String?
        public var sentNonce: String?
        public var ackedVersion: String?
        public var nack: String?
    }

    public enum Action: Sendable, Equatable {
        case send(Envoy_Service_Discovery_V3_DiscoveryResponse)
        case ack(typeURL: String, version: String)
        case nack(typeURL: String, version: String, error: String)
    }

    public private(set) var subscriptions: [String: Subscription] = [:]
    private var nonce = 0

    public init() {}

    /// A DiscoveryRequest arrived; `resources` is what the proxy should have now.
    public mutating func received(_ request: Envoy_Service_Discovery_V3_DiscoveryRequest, resources: NodeResources) -> [Action] {
        let type = request.typeURL
        let names = Self.canonical(request.resourceNames, shared: resources.names(type))
        guard var subscription = subscriptions[type] else {
            var subscription = Subscription()
            subscription.sortedNames = names
            subscriptions[type] = subscription
            return respond(type, resources: resources)
        }
        var actions: [Action] = []
        if !request.responseNonce.isEmpty {
            guard request.responseNonce == subscription.sentNonce else { return [] }  // stale: a newer response is in flight
            if request.hasErrorDetail {
                subscription.nack = request.errorDetail.message
                actions.append(.nack(typeURL: type, version: subscription.sentVersion ?? "", error: request.errorDetail.message))
            } else {
                subscription.nack = nil
                subscription.ackedVersion = request.versionInfo
                actions.append(.ack(typeURL: type, version: request.versionInfo))
            }
        }
        let namesChanged = names != subscription.sortedNames
        subscription.sortedNames = names
        subscriptions[type] = subscription
        if namesChanged || request.responseNonce.isEmpty {
            actions += respond(type, resources: resources)
        }
        return actions
    }

    /// The resources changed: push every subscribed type whose content differs from
    /// what was last sent. Clusters sent means endpoints sent too, changed or not:
    /// Envoy rebuilds a modified EDS cluster and keeps it warming (the old one
    /// serving) until an EDS response arrives, and its re-request for the same
    /// names looks like an ACK - istiod's full push sends EDS after CDS likewise.
    public mutating func resourcesChanged(_ resources: NodeResources) -> [Action] {
        var actions: [Action] = []
        var clustersSent = false
        for type in TypeURL.all + subscriptions.keys.filter({ !TypeURL.all.contains($0) }).sorted() {
            guard let subscription = subscriptions[type] else { continue }
            let warming = type == TypeURL.endpoint && clustersSent
            if warming || subscription.sentVersion != versionFor(type, subscription, resources) {
                actions += respond(type, resources: resources)
                if type == TypeURL.cluster { clustersSent = true }
            }
        }
        return actions
    }

    /// The requested names sorted and unique; `shared` itself when equal to it.
    static func canonical(_ requested: [String], shared: [String]) -> [String] {
        if requested.count == shared.count, requested == shared { return shared }
        var sorted = requested.sorted()
        var unique = 0
        for index in sorted.indices where index == 0 || sorted[index] != sorted[unique - 1] {
            sorted[unique] = sorted[index]
            unique += 1
        }
        sorted.removeLast(sorted.count - unique)
        return sorted == shared ? shared : sorted
    }

    static func isWildcard(_ type: String, _ subscription: Subscription) -> Bool {
        let names = subscription.sortedNames
        guard TypeURL.isWildcardType(type) else { return false }
        if names.isEmpty { return true }
        // Binary search: the names are sorted, and this runs on every push.
        var low = 0, high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < "*" { low = middle + 1 } else { high = middle }
        }
        return low < names.count && names[low] == "*"
    }

    func selected(_ type: String, _ subscription: Subscription, _ resources: NodeResources) -> [Google_Protobuf_Any] {
        let all = resources.resources(type)
        let names = Self.isWildcard(type, subscription) ? resources.names(type) : subscription.sortedNames
        return names.compactMap { all[$0] }
    }

    /// From the hashes computed once per translation: no bytes are read here.
    func versionFor(_ type: String, _ subscription: Subscription, _ resources: NodeResources) -> String {
        Self.isWildcard(type, subscription) ? resources.version(type) : resources.version(type, sortedNames: subscription.sortedNames)
    }

    private mutating func respond(_ type: String, resources: NodeResources) -> [Action] {
        guard var subscription = subscriptions[type] else { return [] }
        nonce += 1
        var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
        response.typeURL = type
        response.resources = selected(type, subscription, resources)
        response.versionInfo = versionFor(type, subscription, resources)
        response.nonce = String(nonce)
        subscription.sentVersion = response.versionInfo
        subscription.sentNonce = response.nonce
        subscriptions[type] = subscription
        return [.send(response)]
    }
}
