import ProxyCore
import SwiftProtobuf
import XDSAPI

/// One delta (incremental) ADS stream's logic without I/O, the counterpart of
/// ADSSession: a response adds, updates and removes resources of the accepted set;
/// the merged set is converted whole and ACKed, or NACKed with the converter's
/// error (the set stays as it was). ProxyCore's XDSClientStateMachine in delta mode
/// keeps per-resource versions (sent as `initial_resource_versions` on a new
/// stream), subscribes and unsubscribes by name, and holds listeners back until
/// clusters and endpoints have warmed, as with state of the world.
struct DeltaADSSession {
    var machine: XDSClientStateMachine
    var store: ADSResourceStore
    let node: Envoy_Config_Core_V3_Node
    var stats: XDSUpdateStats?
    var reported: Set<String> = []

    mutating func start() -> [Envoy_Service_Discovery_V3_DeltaDiscoveryRequest] {
        // Wildcard for clusters and listeners: an empty first subscribe, as Envoy sends.
        _ = machine.subscribe(ProxyCore.XDSTypeURL.cluster, names: nil)
        _ = machine.subscribe(ProxyCore.XDSTypeURL.listener, names: nil)
        return machine.connected().compactMap(request)
    }

    mutating func handle(_ response: Envoy_Service_Discovery_V3_DeltaDiscoveryResponse,
                         log: (String) -> Void) -> ([Envoy_Service_Discovery_V3_DeltaDiscoveryRequest], ProxyConfig?) {
        let summary = XDSDeltaResponse(typeURL: response.typeURL, systemVersionInfo: response.systemVersionInfo, nonce: response.nonce,
                                       resources: response.resources.map { ($0.name, $0.version) },
                                       removedResources: response.removedResources)
        var candidate = store
        var warnings = ConversionWarnings()
        let config: ProxyConfig
        let rejected: String?
        do {
            _ = try candidate.merge(typeURL: response.typeURL, resources: response.resources, removed: response.removedResources)
            // Routes and endpoints nothing names any more get no removal from the server.
            if response.typeURL == ProxyCore.XDSTypeURL.cluster || response.typeURL == ProxyCore.XDSTypeURL.listener {
                candidate.dropUnreferenced()
            }
            let version = response.systemVersionInfo.isEmpty ? response.nonce : response.systemVersionInfo
            (config, rejected) = try candidate.convertUpdate(typeURL: response.typeURL, previous: store, version: version, warnings: &warnings)
        } catch {
            return (machine.conclude(summary, error: "\(error)", stats: stats, log: log).compactMap(request), nil)
        }
        store = candidate
        for warning in warnings.messages where reported.insert(warning).inserted { log("xds: warning: \(warning)") }
        var out = machine.subscribeReferences(after: response.typeURL, in: store)
        out += machine.conclude(summary, error: rejected, stats: stats, log: log)
        return (out.compactMap(request), store.isComplete ? config : nil)
    }

    func request(_ outgoing: XDSOutgoing) -> Envoy_Service_Discovery_V3_DeltaDiscoveryRequest? {
        guard case .delta(let plain) = outgoing else { return nil }
        var message = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        message.typeURL = plain.typeURL
        message.resourceNamesSubscribe = plain.resourceNamesSubscribe
        message.resourceNamesUnsubscribe = plain.resourceNamesUnsubscribe
        message.initialResourceVersions = plain.initialResourceVersions
        message.responseNonce = plain.responseNonce
        if plain.includeNode { message.node = node }
        if let error = plain.errorMessage { message.errorDetail = .rejected(error) }
        return message
    }
}
