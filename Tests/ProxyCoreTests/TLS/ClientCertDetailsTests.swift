import ProxyCore
import Testing

/// This hop's `x-forwarded-client-cert` element, in Envoy's order and encoding.
struct ClientCertDetailsTests {
    static let peer = PeerCertificateFacts(
        sha256Hex: "c0ffee", subject: "CN=client,O=Example\\, Inc.",
        uriSANs: ["spiffe://cluster.local/ns/default/sa/client"], dnsSANs: ["a.example.com", "b.example.com"],
        der: [0x30, 0x03, 0x02, 0x01, 0x05])

    @Test func sidecarInboundElement() {
        // Istio's sidecar inbound: subject, URI, DNS.
        let element = ClientCertElement.make(localURISANs: ["spiffe://cluster.local/ns/default/sa/server"], peer: Self.peer,
                                             details: [.subject, .uri, .dns])
        #expect(String(decoding: element, as: UTF8.self) == "By=spiffe://cluster.local/ns/default/sa/server;Hash=c0ffee;"
            + "Subject=\"CN=client,O=Example\\, Inc.\";URI=spiffe://cluster.local/ns/default/sa/client;DNS=a.example.com;DNS=b.example.com")
    }

    @Test func certificateComesBeforeSubjectAndEmptyFieldsStay() {
        var peer = Self.peer
        peer.uriSANs = []
        peer.subject = ""
        let element = ClientCertElement.make(localURISANs: [], peer: peer, details: [.subject, .cert, .uri])
        #expect(String(decoding: element, as: UTF8.self) == "Hash=c0ffee;"
            + "Cert=\"-----BEGIN%20CERTIFICATE-----%0AMAMCAQU%3D%0A-----END%20CERTIFICATE-----%0A\";Subject=\"\";URI=")
    }

    @Test func pemLinesAreSixtyFourCharacters() {
        let der = Array([[UInt8]](repeating: [0xFB, 0xFF, 0xBF], count: 20).joined())  // 80 base64 characters "+/+/..." 
        let encoded = ClientCertElement.urlEncodedPEM(der: der)
        let base64 = String(repeating: "%2B%2F", count: 40)
        // 64 characters = 32 pairs on the first line, 8 pairs on the second.
        let first = String(base64.prefix(32 * 6)), second = String(base64.dropFirst(32 * 6))
        #expect(encoded == "-----BEGIN%20CERTIFICATE-----%0A" + first + "%0A" + second + "%0A-----END%20CERTIFICATE-----%0A")
    }

    @Test func subjectsPrintAsRFC2253() {
        typealias A = DistinguishedNameText.Attribute
        func text(_ value: String) -> DistinguishedNameText.Value { .text(Array(value.utf8)) }
        // Certificate order C, ST, L, O, OU, CN; printed last first.
        let name: [[A]] = [[A(oid: "2.5.4.6", value: text("US"))], [A(oid: "2.5.4.8", value: text("CA"))],
                           [A(oid: "2.5.4.7", value: text("San Francisco"))], [A(oid: "2.5.4.10", value: text("Example, Inc."))],
                           [A(oid: "2.5.4.11", value: text("Mesh;Ops"))], [A(oid: "2.5.4.3", value: text("client"))]]
        #expect(DistinguishedNameText.rfc2253(name) == "CN=client,OU=Mesh\\;Ops,O=Example\\, Inc.,L=San Francisco,ST=CA,C=US")
        // Escapes: leading '#' and ' ', trailing ' ', quotes, control and UTF-8 bytes; unknown types by OID,
        // values that are not strings as DER hex; a multi-valued RDN joined by '+' (reversed, as BoringSSL does).
        let odd: [[A]] = [[A(oid: "2.5.4.3", value: text("#x \"q\" ")), A(oid: "1.2.3.4", value: .der([0x02, 0x01, 0x07]))],
                          [A(oid: "1.2.840.113549.1.9.1", value: text("é\u{1}"))]]
        #expect(DistinguishedNameText.rfc2253(odd) == "emailAddress=\\C3\\A9\\01,1.2.3.4=#020107+CN=\\#x \\\"q\\\"\\ ")
        #expect(DistinguishedNameText.rfc2253([]) == "")
    }
}
