import ProxyCore
import XDSAPI

/// Envoy's LDS (lds_api.cc): each listener of an update is added or updated on its
/// own; one that fails keeps its previous version (or stays absent when new), the
/// others are applied, and the update is NACKed with every failure as
/// "Error adding/updating listener(s) NAME: reason".
extension ADSResourceStore {
    /// Puts back the previous version of each listener that does not convert (or
    /// drops it when there was none). Returns the NACK detail, nil when all convert.
    mutating func setAsideInvalidListeners(previous: [String: Envoy_Config_Listener_V3_Listener]) -> String? {
        var message = ""
        for name in listeners.keys.sorted() {
            var scratch = ConversionWarnings()
            do {
                _ = try ListenerConverter.convert(listeners[name]!, warnings: &scratch)
            } catch {
                message += "\(name): \(error.field): \(error.reason)\n"
                listeners[name] = previous[name]
            }
        }
        return message.isEmpty ? nil : "Error adding/updating listener(s) \(message)"
    }
}
