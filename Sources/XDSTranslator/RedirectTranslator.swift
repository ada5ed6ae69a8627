import MeshConfig
import XDSAPI

enum RedirectTranslator {
    static func redirect(_ redirect: HTTPRedirect) -> Envoy_Config_Route_V3_RedirectAction {
        var action = Envoy_Config_Route_V3_RedirectAction()
        if let uri = redirect.uri { action.pathRedirect = uri }
        if let authority = redirect.authority { action.hostRedirect = authority }
        if let port = redirect.port { action.portRedirect = UInt32(port) }
        if let scheme = redirect.scheme { action.schemeRedirect = scheme }
        // As Istio: no explicit :80 for http or :443 for https.
        if (action.portRedirect == 80 && redirect.scheme == "http") || (action.portRedirect == 443 && redirect.scheme == "https") {
            action.portRedirect = 0
        }
        switch redirect.redirectCode ?? 301 {
        case 302: action.responseCode = .found
        case 303: action.responseCode = .seeOther
        case 307: action.responseCode = .temporaryRedirect
        case 308: action.responseCode = .permanentRedirect
        default: action.responseCode = .movedPermanently
        }
        return action
    }
}

/// Minimal base64 decoding for `directResponse.body.bytes` (no Foundation here).
enum Base64 {
    static func decodeToString(_ text: String) -> String? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var lookup = [UInt8](repeating: 255, count: 256)
        for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = UInt8(index) }
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            let value = lookup[Int(byte)]
            guard value != 255 else { return nil }
            buffer = (buffer << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
