import ProxyCore
import SwiftProtobuf
import XDSAPI

/// The steps both ADS sessions (state of the world and delta) take once a response
/// has changed a candidate copy of the accepted set.
extension ADSResourceStore {
    /// Listeners are judged one by one (LDS, see ADSResourceStore+Listeners), then the
    /// whole set is converted. Returns the config and the LDS NACK detail, if any.
    mutating func convertUpdate(typeURL: String, previous: ADSResourceStore, version: String,
                                warnings: inout ConversionWarnings) throws -> (config: ProxyConfig, rejected: String?) {
        var rejected: String?
        if typeURL == ProxyCore.XDSTypeURL.listener {
            rejected = setAsideInvalidListeners(previous: previous.listeners)
        }
        return (try build(version: version, warnings: &warnings), rejected)
    }
}

extension XDSClientStateMachine {
    /// What new clusters or listeners reference is subscribed before the ACK, as Envoy
    /// does, so warming waits for those endpoints before listeners are requested.
    mutating func subscribeReferences(after typeURL: String, in store: ADSResourceStore) -> [XDSOutgoing] {
        switch typeURL {
        case ProxyCore.XDSTypeURL.cluster:
            return subscribe(ProxyCore.XDSTypeURL.endpoint, names: store.endpointNames) + subscribeSecrets(store)
        case ProxyCore.XDSTypeURL.listener:
            return subscribe(ProxyCore.XDSTypeURL.route, names: store.routeNames) + subscribeSecrets(store)
        default: return []
        }
    }

    /// SDS over ADS: the secrets listeners and clusters name (none: no subscription
    /// is opened, as Envoy opens one only for referenced secrets).
    private mutating func subscribeSecrets(_ store: ADSResourceStore) -> [XDSOutgoing] {
        let names = store.secretNames
        guard !names.isEmpty || subscribed(ProxyCore.XDSTypeURL.secret) else { return [] }
        return subscribe(ProxyCore.XDSTypeURL.secret, names: names)
    }
}

extension Google_Rpc_Status {
    /// A NACK's `error_detail`: INVALID_ARGUMENT, as Envoy reports rejected config.
    static func rejected(_ message: String) -> Google_Rpc_Status {
        var status = Google_Rpc_Status()
        status.code = 3
        status.message = message
        return status
    }
}
