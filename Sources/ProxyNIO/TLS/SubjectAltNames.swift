import NIOSSL
import ProxyCore

/// A certificate's subject alternative names as ProxyCore's values.
enum SubjectAltNames {
    static func of(_ certificate: NIOSSLCertificate) -> [SubjectAltName] {
        var names: [SubjectAltName] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            switch name.nameType {
            case .dnsName: names.append(SubjectAltName(kind: .dns, value: String(decoding: bytes, as: UTF8.self)))
            case .uri: names.append(SubjectAltName(kind: .uri, value: String(decoding: bytes, as: UTF8.self)))
            case .email: names.append(SubjectAltName(kind: .email, value: String(decoding: bytes, as: UTF8.self)))
            case .ipAddress: names.append(SubjectAltName(kind: .ipAddress, value: ipText(bytes)))
            default: continue
            }
        }
        return names
    }

    static func ipText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        var index = 0
        while index + 1 < bytes.count {
            groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
            index += 2
        }
        return IPAddress(groups.joined(separator: ":"))?.description ?? groups.joined(separator: ":")
    }
}
