import ProxyCore
import SwiftProtobuf
import XDSAPI

/// One ADS stream's logic without I/O: responses in, requests (and converted
/// configs) out. Testable without a server.
struct ADSSession {
    var machine: XDSClientStateMachine
    var store: ADSResourceStore
    let node: Envoy_Config_Core_V3_Node
    /// Envoy's update_success / update_rejected counters (nil: not counted).
    var stats: XDSUpdateStats?
    /// Warnings already logged (every response re-converts the whole set).
    var reported: Set<String> = []

    mutating func start() -> [Envoy_Service_Discovery_V3_DiscoveryRequest] {
        // Subscribe before connecting, so the machine knows clusters must warm first.
        _ = machine.subscribe(ProxyCore.XDSTypeURL.cluster, names: nil)
        _ = machine.subscribe(ProxyCore.XDSTypeURL.listener, names: nil)
        return machine.connected().compactMap(request)
    }

    /// Handles one response: the requests to send, and the config to apply when the
    /// accepted set is complete.
    mutating func handle(_ response: Envoy_Service_Discovery_V3_DiscoveryResponse,
                         log: (String) -> Void) -> ([Envoy_Service_Discovery_V3_DiscoveryRequest], ProxyConfig?) {
        var candidate = store
        var warnings = ConversionWarnings()
        let summary: XDSResponse
        let config: ProxyConfig
        let rejected: String?
        do {
            let names = try candidate.replace(typeURL: response.typeURL, with: response.resources)
            summary = XDSResponse(typeURL: response.typeURL, versionInfo: response.versionInfo, nonce: response.nonce, resourceNames: names)
            (config, rejected) = try candidate.convertUpdate(typeURL: response.typeURL, previous: store, version: response.versionInfo,
                                                             warnings: &warnings)
        } catch {
            let summary = XDSResponse(typeURL: response.typeURL, versionInfo: response.versionInfo, nonce: response.nonce, resourceNames: [])
            return (machine.conclude(summary, error: "\(error)", stats: stats, log: log).compactMap(request), nil)
        }
        store = candidate
        for warning in warnings.messages where reported.insert(warning).inserted { log("xds: warning: \(warning)") }
        var out = machine.subscribeReferences(after: response.typeURL, in: store)
        // Envoy's LDS: with a listener set aside the valid ones are applied, the update NACKed.
        out += machine.conclude(summary, error: rejected, stats: stats, log: log)
        return (out.compactMap(request), store.isComplete ? config : nil)
    }

    func request(_ outgoing: XDSOutgoing) -> Envoy_Service_Discovery_V3_DiscoveryRequest? {
        guard case .sotw(let plain) = outgoing else { return nil }
        var message = Envoy_Service_Discovery_V3_DiscoveryRequest()
        message.typeURL = plain.typeURL
        message.versionInfo = plain.versionInfo
        message.resourceNames = plain.resourceNames
        message.responseNonce = plain.responseNonce
        if plain.includeNode { message.node = node }
        if let error = plain.errorMessage { message.errorDetail = .rejected(error) }
        return message
    }
}
