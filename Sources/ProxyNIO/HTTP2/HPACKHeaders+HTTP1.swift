import NIOHPACK
import ProxyCore

extension HPACKHeaders {
    /// Appends HTTP/1.1 header fields (spans into `bytes`) as HTTP/2 fields: names
    /// lower-cased (RFC 9113 §8.2.1), connection-specific fields dropped (§8.2.2:
    /// Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, TE)
    /// and `host` when the caller turned it into `:authority`.
    mutating func appendHTTP1Fields(_ fields: [HTTPHeaderField], in bytes: UnsafeRawBufferPointer, dropHost: Bool = false) {
        for field in fields {
            switch field.kind {
            case .connection, .keepAlive, .proxyConnection, .transferEncoding, .upgrade, .te: continue
            case .host where dropHost: continue
            default: break
            }
            let name = String(unsafeUninitializedCapacity: field.name.count) { buffer in
                for (index, byte) in field.name.bytes(in: bytes).enumerated() { buffer[index] = ASCII.lower(byte) }
                return field.name.count
            }
            add(name: name, value: String(decoding: field.value.bytes(in: bytes), as: UTF8.self))
        }
    }
}
