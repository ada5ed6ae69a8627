import SwiftProtobuf
import XDSAPI

/// One incremental (delta) ADS stream: per type, the names subscribed (or wildcard)
/// and the version of each resource the proxy holds. Sends only resources whose
/// version differs, and the names that disappeared. Pure, like its SotW sibling.
public struct DeltaStreamStateMachine: Sendable {
    public struct Subscription: Sendable, Equatable {
        public var wildcard: Bool
        public var names: Set<String>
        /// What the proxy has (or will have once it applies the in-flight response).
        public var known: [String: String]
        public var sentNonce: String?
        public var nack: String?
    }

    public enum Action: Sendable, Equatable {
        case send(Envoy_Service_Discovery_V3_DeltaDiscoveryResponse)
        case ack(typeURL: String, nonce: String)
        case nack(typeURL: String, nonce: String, error: String)
    }

    public private(set) var subscriptions: [String: Subscription] = [:]
    private var nonce = 0

    public init() {}

    public mutating func received(_ request: Envoy_Service_Discovery_V3_DeltaDiscoveryRequest, resources: NodeResources) -> [Action] {
        let type = request.typeURL
        var actions: [Action] = []
        var subscription = subscriptions[type] ?? {
            let subscribe = Set(request.resourceNamesSubscribe)
            let wildcard = TypeURL.isWildcardType(type) && (subscribe.isEmpty || subscribe.contains("*"))
            return Subscription(wildcard: wildcard, names: [], known: request.initialResourceVersions)
        }()
        if !request.responseNonce.isEmpty, request.responseNonce == subscription.sentNonce {
            if request.hasErrorDetail {
                subscription.nack = request.errorDetail.message
                actions.append(.nack(typeURL: type, nonce: request.responseNonce, error: request.errorDetail.message))
            } else {
                subscription.nack = nil
                actions.append(.ack(typeURL: type, nonce: request.responseNonce))
            }
        }
        for name in request.resourceNamesSubscribe where name != "*" { subscription.names.insert(name) }
        for name in request.resourceNamesUnsubscribe {
            subscription.names.remove(name)
            subscription.known[name] = nil
            if name == "*" { subscription.wildcard = false }
        }
        subscriptions[type] = subscription
        if let response = diff(type, resources: resources) { actions.append(.send(response)) }
        return actions
    }

    public mutating func resourcesChanged(_ resources: NodeResources) -> [Action] {
        subscriptions.keys.sorted { (TypeURL.all.firstIndex(of: $0) ?? 99) < (TypeURL.all.firstIndex(of: $1) ?? 99) }
            .compactMap { diff($0, resources: resources).map(Action.send) }
    }

    /// Changed or new resources the proxy wants, and wanted names it holds that are gone.
    private mutating func diff(_ type: String, resources: NodeResources) -> Envoy_Service_Discovery_V3_DeltaDiscoveryResponse? {
        guard var subscription = subscriptions[type] else { return nil }
        let all = resources.resources(type)
        let wanted: [String]
        if subscription.wildcard {
            wanted = subscription.names.isEmpty ? resources.names(type) : Set(all.keys).union(subscription.names).sorted()
        } else {
            wanted = subscription.names.sorted()
        }
        var changed: [Envoy_Service_Discovery_V3_Resource] = []
        for name in wanted {
            guard let resource = all[name], let version = resources.version(type, name: name) else { continue }
            if subscription.known[name] != version {
                var entry = Envoy_Service_Discovery_V3_Resource()
                entry.name = name
                entry.version = version
                entry.resource = resource
                changed.append(entry)
                subscription.known[name] = version
            }
        }
        let removed = subscription.known.keys.filter { all[$0] == nil }.sorted()
        for name in removed { subscription.known[name] = nil }
        guard !changed.isEmpty || !removed.isEmpty else {
            subscriptions[type] = subscription
            return nil
        }
        nonce += 1
        var response = Envoy_Service_Discovery_V3_DeltaDiscoveryResponse()
        response.typeURL = type
        response.resources = changed
        response.removedResources = removed
        response.nonce = String(nonce)
        response.systemVersionInfo = resources.version(type)
        subscription.sentNonce = response.nonce
        subscriptions[type] = subscription
        return response
    }
}
