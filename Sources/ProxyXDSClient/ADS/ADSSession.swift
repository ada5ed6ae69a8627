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
        var rejected: String?
        do {
            let names = try candidate.replace(typeURL: response.typeURL, with: response.resources)
            summary = XDSResponse(typeURL: response.typeURL, versionInfo: response.versionInfo, nonce: response.nonce, resourceNames: names)
            if response.typeURL == ProxyCore.XDSTypeURL.listener {
                rejected = candidate.setAsideInvalidListeners(previous: store.listeners)
            }
            config = try candidate.build(version: response.versionInfo, warnings: &warnings)
        } catch {
            let summary = XDSResponse(typeURL: response.typeURL, versionInfo: response.versionInfo, nonce: response.nonce, resourceNames: [])
            log("xds: NACK \(response.typeURL) version \(response.versionInfo): \(error)")
            stats?.record(typeURL: response.typeURL, accepted: false)
            return (machine.reject(summary, error: "\(error)").compactMap(request), nil)
        }
        store = candidate
        for warning in warnings.messages where reported.insert(warning).inserted { log("xds: warning: \(warning)") }
        // What the new resources need is subscribed before the ACK, as Envoy does, so
        // warming waits for those endpoints before listeners are requested.
        var out: [XDSOutgoing] = []
        switch response.typeURL {
        case ProxyCore.XDSTypeURL.cluster: out += machine.subscribe(ProxyCore.XDSTypeURL.endpoint, names: store.endpointNames)
        case ProxyCore.XDSTypeURL.listener: out += machine.subscribe(ProxyCore.XDSTypeURL.route, names: store.routeNames)
        default: break
        }
        if let rejected {
            // Envoy's LDS: the valid listeners are applied, the update is NACKed.
            log("xds: NACK \(response.typeURL) version \(response.versionInfo): \(rejected)")
            stats?.record(typeURL: response.typeURL, accepted: false)
            out += machine.reject(summary, error: rejected)
        } else {
            stats?.record(typeURL: response.typeURL, accepted: true)
            out += machine.accept(summary)
        }
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
        if let error = plain.errorMessage {
            var status = Google_Rpc_Status()
            status.code = 3  // INVALID_ARGUMENT, as Envoy reports rejected config
            status.message = error
            message.errorDetail = status
        }
        return message
    }
}
