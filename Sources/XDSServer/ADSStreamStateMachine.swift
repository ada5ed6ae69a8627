import SwiftProtobuf
import XDSAPI

/// One state-of-the-world ADS stream: which types and names the proxy subscribed,
/// what was sent with which nonce, what was ACKed or NACKed. Pure: events in,
/// actions out; the gRPC handler carries the actions out.
public struct ADSStreamStateMachine: Sendable {
    public struct Subscription: Sendable, Equatable {
        public var names: Set<String> {
            didSet { sortedNames = names.sorted() }
        }
        /// The names in order, kept so a push does not sort them again per stream.
        public private(set) var sortedNames: [String] = []
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
        let names = Set(request.resourceNames)
        guard var subscription = subscriptions[type] else {
            var subscription = Subscription(names: [])
            subscription.names = names
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
        let namesChanged = names != subscription.names
        subscription.names = names
        subscriptions[type] = subscription
        if namesChanged || request.responseNonce.isEmpty {
            actions += respond(type, resources: resources)
        }
        return actions
    }

    /// The resources changed: push every subscribed type whose content differs from
    /// what was last sent.
    public mutating func resourcesChanged(_ resources: NodeResources) -> [Action] {
        var actions: [Action] = []
        for type in TypeURL.all + subscriptions.keys.filter({ !TypeURL.all.contains($0) }).sorted() {
            guard let subscription = subscriptions[type] else { continue }
            if subscription.sentVersion != versionFor(type, subscription, resources) {
                actions += respond(type, resources: resources)
            }
        }
        return actions
    }

    static func isWildcard(_ type: String, _ subscription: Subscription) -> Bool {
        (subscription.names.isEmpty || subscription.names.contains("*")) && TypeURL.isWildcardType(type)
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
