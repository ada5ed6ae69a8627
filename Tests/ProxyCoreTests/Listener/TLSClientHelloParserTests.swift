import ProxyCore
import Testing

@Suite struct TLSClientHelloParserTests {
    typealias P = TLSClientHelloParser

    @Test func realClientHelloGivesSNIAndALPN() {
        #expect(P.parse(ClientHelloFixtures.withSNIAndALPN)
            == .clientHello(.init(serverName: "api.example.com", applicationProtocols: ["h2", "http/1.1"])))
        #expect(P.parse(ClientHelloFixtures.withoutSNI) == .clientHello(.init(serverName: nil, applicationProtocols: [])))
    }

    @Test func everyTruncationAsksForMore() {
        let hello = ClientHelloFixtures.withSNIAndALPN
        for length in 0..<hello.count {
            #expect(P.parse(Array(hello[0..<length])) == .needMoreBytes, "at \(length) bytes")
        }
    }

    @Test func trailingBytesAfterTheHelloAreIgnored() {
        // A client may send early data or a second record with the hello.
        let hello = ClientHelloFixtures.withSNIAndALPN + [0x17, 0x03, 0x03, 0x00, 0x01, 0xff]
        #expect(P.parse(hello) == .clientHello(.init(serverName: "api.example.com", applicationProtocols: ["h2", "http/1.1"])))
    }

    @Test func helloSplitAcrossRecordsIsReassembled() {
        let hello = ClientHelloFixtures.withSNIAndALPN
        let message = Array(hello[5...])
        var split: [UInt8] = []
        for part in [message[0..<50], message[50..<51], message[51...]] {
            split += [0x16, 0x03, 0x01, UInt8(part.count >> 8), UInt8(part.count & 0xff)] + part
        }
        #expect(P.parse(split) == P.parse(hello))
        #expect(P.parse(Array(split[0..<(split.count - 1)])) == .needMoreBytes)
    }

    @Test func plaintextIsNotTLS() {
        #expect(P.parse(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)) == .notTLS)
        #expect(P.parse([0x47]) == .notTLS)
        #expect(P.parse(Array("PRI * HTTP/2.0\r\n".utf8)) == .notTLS)
        #expect(P.parse([0x16, 0x07]) == .notTLS)  // not an SSL3/TLS record version
    }

    @Test func malformedHellosAreNotTLS() {
        let hello = ClientHelloFixtures.withSNIAndALPN
        var serverHello = hello
        serverHello[5] = 2  // handshake type ServerHello
        #expect(P.parse(serverHello) == .notTLS)
        var emptyRecord = hello
        emptyRecord[3] = 0
        emptyRecord[4] = 0
        #expect(P.parse(emptyRecord) == .notTLS)
        var alert = hello
        alert[0] = 0x15
        #expect(P.parse(alert) == .notTLS)
        // Extensions length one byte longer than the body holds.
        var badExtensions = hello
        let extensionsLength = hello.count - 2
        if let at = Self.extensionsLengthOffset(hello) {
            let value = (Int(hello[at]) << 8 | Int(hello[at + 1])) + 1
            badExtensions[at] = UInt8(value >> 8)
            badExtensions[at + 1] = UInt8(value & 0xff)
            #expect(P.parse(badExtensions) == .notTLS)
        } else {
            Issue.record("no extensions in the fixture (\(extensionsLength))")
        }
    }

    @Test func sniRulesFollowBoringSSL() {
        #expect(P.parse(Self.hello(extensions: Self.sni("a.example.com"))) == .clientHello(.init(serverName: "a.example.com", applicationProtocols: [])))
        // Two names, a NUL byte, an empty name: the hello is refused.
        var twoNames = Self.sni("a")
        twoNames[3] += 4
        twoNames[5] += 4
        twoNames += [0, 0, 1, 0x62]
        #expect(P.parse(Self.hello(extensions: twoNames)) == .notTLS)
        #expect(P.parse(Self.hello(extensions: Self.sni("a\u{0}b"))) == .notTLS)
        #expect(P.parse(Self.hello(extensions: Self.sni(""))) == .notTLS)
        // The same extension twice is refused.
        #expect(P.parse(Self.hello(extensions: Self.sni("a") + Self.sni("b"))) == .notTLS)
        // A malformed ALPN list is ignored, the hello stands.
        #expect(P.parse(Self.hello(extensions: Self.sni("a") + [0, 16, 0, 3, 0, 1, 5]))
            == .clientHello(.init(serverName: "a", applicationProtocols: [])))
        // No extensions at all.
        #expect(P.parse(Self.hello(extensions: nil)) == .clientHello(.init(serverName: nil, applicationProtocols: [])))
    }

    @Test func oversizedHellosAreTooLarge() {
        let hello = ClientHelloFixtures.withSNIAndALPN
        #expect(P.parse(hello, maxBytes: 100) == .tooLarge)  // declared length is over the limit
        #expect(P.parse(Array(hello[0..<5]), maxBytes: 5) == .tooLarge)  // still short at the limit
        #expect(P.parse(hello, maxBytes: hello.count) == P.parse(hello))
    }

    // MARK: helpers

    /// A minimal ClientHello in one record.
    static func hello(extensions: [UInt8]?) -> [UInt8] {
        var body: [UInt8] = [3, 3] + Array(repeating: 7, count: 32) + [0] + [0, 2, 0x13, 0x01] + [1, 0]
        if let extensions { body += [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xff)] + extensions }
        let message: [UInt8] = [1, 0, UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
        return [0x16, 3, 1, UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message
    }

    /// A server_name extension with one host_name.
    static func sni(_ name: String) -> [UInt8] {
        let bytes = Array(name.utf8)
        let entry: [UInt8] = [0, UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes
        let list: [UInt8] = [UInt8(entry.count >> 8), UInt8(entry.count & 0xff)] + entry
        return [0, 0, UInt8(list.count >> 8), UInt8(list.count & 0xff)] + list
    }

    /// Where the extensions' length sits in a one-record hello.
    static func extensionsLengthOffset(_ hello: [UInt8]) -> Int? {
        var at = 5 + 4 + 2 + 32
        at += 1 + Int(hello[at])
        at += 2 + (Int(hello[at]) << 8 | Int(hello[at + 1]))
        at += 1 + Int(hello[at])
        return at + 2 <= hello.count ? at : nil
    }
}
