import MeshCore

/// A certificate name printed as Envoy prints a peer's subject (BoringSSL's
/// `X509_NAME_print_ex` with `XN_FLAG_RFC2253`): the last RDN first, `,` between
/// RDNs and `+` inside one, OpenSSL's short attribute names (the dotted OID for
/// others), RFC 2253 escapes, control bytes and UTF-8 bytes above 0x7F as `\XX`,
/// and values that are not strings as `#` and their DER in hex.
public enum DistinguishedNameText {
    public enum Value: Sendable, Equatable {
        /// A string value, UTF-8.
        case text([UInt8])
        /// Any other value: its DER encoding.
        case der([UInt8])
    }

    public struct Attribute: Sendable, Equatable {
        public var oid: String
        public var value: Value
        public init(oid: String, value: Value) {
            self.oid = oid
            self.value = value
        }
    }

    /// `rdns` in the certificate's order (most significant first).
    public static func rfc2253(_ rdns: [[Attribute]]) -> String {
        var out: [UInt8] = []
        // BoringSSL reverses the flattened entry list: members of one RDN too.
        let flattened = rdns.enumerated().flatMap { index, rdn in rdn.map { (index, $0) } }.reversed()
        var previous: Int?
        for (index, attribute) in flattened {
            if let previous { out.append(previous == index ? UInt8(ascii: "+") : UInt8(ascii: ",")) }
            previous = index
            out += Array((shortNames[attribute.oid] ?? attribute.oid).utf8)
            out.append(UInt8(ascii: "="))
            switch attribute.value {
            case .text(let bytes): escape(bytes, into: &out)
            case .der(let bytes):
                out.append(UInt8(ascii: "#"))
                for byte in bytes { HexText.appendUppercase(byte, to: &out) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func escape(_ bytes: [UInt8], into out: inout [UInt8]) {
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0..<0x20, 0x7F...:
                out.append(UInt8(ascii: "\\"))
                HexText.appendUppercase(byte, to: &out)
            case UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "\""), UInt8(ascii: "\\"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ";"):
                out += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "#") where index == 0, UInt8(ascii: " ") where index == 0 || index == bytes.count - 1:
                out += [UInt8(ascii: "\\"), byte]
            default:
                out.append(byte)
            }
        }
    }

    /// OpenSSL's short names of the attribute types certificates carry.
    static let shortNames: [String: String] = [
        "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "street",
        "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "title", "2.5.4.4": "SN", "2.5.4.5": "serialNumber",
        "2.5.4.42": "GN", "2.5.4.43": "initials", "2.5.4.44": "generationQualifier", "2.5.4.46": "dnQualifier",
        "2.5.4.65": "pseudonym", "2.5.4.17": "postalCode", "2.5.4.41": "name", "2.5.4.15": "businessCategory",
        "2.5.4.13": "description", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
        "1.2.840.113549.1.9.1": "emailAddress",
    ]
}
