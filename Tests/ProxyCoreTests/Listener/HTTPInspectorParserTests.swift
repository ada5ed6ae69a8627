import ProxyCore
import Testing

/// Envoy 1.40's http_inspector (Balsa) decisions on a connection's first bytes;
/// the same inputs go through stock Envoy in HTTPInspectorDifferentialTests.
@Suite struct HTTPInspectorParserTests {
    typealias P = HTTPInspectorParser

    static func parse(_ text: String, maxBytes: Int = P.defaultMaxBytes) -> P.Result {
        P.parse(Array(text.utf8), maxBytes: maxBytes)
    }

    static let preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", P.Result.detected(.http11)),
        ("GET /anything HTTP/1.0\r\n", .detected(.http10)),
        ("GET / HTTP/1.1\n", .detected(.http11)),
        ("GET / HTTP/1.1\r\r\n", .detected(.http11)),
        ("GET  /a  HTTP/1.1 \r\n", .detected(.http11)),
        ("get / HTTP/1.1\r\n", .detected(.http11)),
        ("FOO_BAR /x HTTP/1.1\r\n", .detected(.http11)),
        ("NOT_A_LEGAL_PREFIX /anything HTTP/1.0\r\n", .detected(.http10)),
        ("GET / HTTP/0.9\r\n", .detected(.http10)),
        ("GET / HTTP/2.0\r\n", .detected(.http10)),
        ("GET /\r\n", .detected(.http10)),
        ("GET http://example.com/a?b HTTP/1.1\r\n", .detected(.http11)),
        ("GET h2+x.y://u@host:80/p HTTP/1.1\r\n", .detected(.http11)),
        ("CONNECT example.com:443 HTTP/1.1\r\n", .detected(.http11)),
        ("OPTIONS * HTTP/1.1\r\n", .detected(.http11)),
        // Past the method any byte <= 0x20 separates; right after it only C whitespace.
        ("GET\u{b}/ HTTP/1.1\r\n", .detected(.http11)),
        ("GET\u{b}\u{0}/ HTTP/1.1\r\n", .detected(.http11)),
        ("GET /\u{1} HTTP/1.1\r\n", .detected(.http11)),
        ("GET /\u{0} HTTP/1.1\r\n", .detected(.http11)),
        ("GET\u{0}/ HTTP/1.1\r\n", .notHTTP),
        ("GET\u{1f}/ HTTP/1.1\r\n", .notHTTP),
        ("GET\u{0}", .notHTTP),
        ("GET /a\rb HTTP/1.1\r\n", .notHTTP),
        ("GET\u{c}/\r\n", .notHTTP),
        // A preface that goes wrong after its first line is that line: PRI * HTTP/2.0.
        ("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", .detected(.http10)),
        ("GET / HTTP/1.1 BadRequestLine\r\n", .notHTTP),
        ("GET / http/1.1\r\n", .notHTTP),
        ("GET / HTTP/1.10\r\n", .notHTTP),
        ("GET / HTTP/a.1\r\n", .notHTTP),
        ("GET x HTTP/1.1\r\n", .notHTTP),
        ("GET http:/x HTTP/1.1\r\n", .notHTTP),
        ("GET 1http://x/ HTTP/1.1\r\n", .notHTTP),
        ("GET http://a@@b/ HTTP/1.1\r\n", .notHTTP),
        ("GET http://a b/ HTTP/1.1\r\n", .notHTTP),
        ("GET http://a{b/ HTTP/1.1\r\n", .notHTTP),
        ("GET /\u{7f} HTTP/1.1\r\n", .notHTTP),
        ("GET /caf\u{e9} HTTP/1.1\r\n", .notHTTP),
        ("GET\r\n", .notHTTP),
        ("G(T / HTTP/1.1\r\n", .notHTTP),
        ("GET /\u{1}\r\n", .notHTTP),
        ("hello\n", .notHTTP),
        ("hello world\n", .notHTTP),
        ("\r\nGET / HTTP/1.1\r\n", .notHTTP),
        ("\nGET / HTTP/1.1\r\n", .notHTTP),
        (" GET / HTTP/1.1\r\n", .notHTTP),
        ("\tGET / HTTP/1.1\r\n", .notHTTP),
        ("\r\n\r\n\r\n", .notHTTP),
        // No LF yet: a request line may still come.
        ("GET / HTTP/1.1", .needMoreBytes),
        ("GET / HTTP/1.1\r", .needMoreBytes),
        ("hello", .needMoreBytes),
        ("G", .needMoreBytes),
        ("P", .needMoreBytes),
        ("PRI * HTTP/2.0\r\n", .needMoreBytes),
        ("", .needMoreBytes),
        (preface, .detected(.h2c)),
        (preface + "\u{0}\u{0}\u{0}\u{4}", .detected(.h2c)),
    ])
    func requestLines(input: String, expected: P.Result) {
        #expect(Self.parse(input) == expected, "\(input.debugDescription)")
    }

    @Test func binaryJunk() {
        #expect(P.parse([0x00, 0x01, 0x02, 0xff, 0x0a]) == .notHTTP)
        #expect(P.parse([0x16, 0x03, 0x01, 0x00, 0x05]) == .notHTTP)  // a TLS record
        // A high byte is no token byte: refused before any LF.
        #expect(P.parse([0xff, 0xfe, 0x41]) == .notHTTP)
        #expect(P.parse([0x47, 0x45, 0x54, 0x80]) == .notHTTP)
        // Token bytes without whitespace or LF yet: still waiting.
        #expect(P.parse(Array("*1\r".utf8)) == .needMoreBytes)
    }

    @Test func prefaceSplitAcrossReadsWaitsForAll24Bytes() {
        let bytes = Array((Self.preface + "\u{0}\u{0}\u{12}\u{4}").utf8)
        for length in 1..<24 {
            #expect(P.parse(Array(bytes[0..<length])) == .needMoreBytes, "at \(length) bytes")
        }
        for length in 24...bytes.count {
            #expect(P.parse(Array(bytes[0..<length])) == .detected(.h2c), "at \(length) bytes")
        }
    }

    @Test func partialRequestLineDecidesAtTheFirstLF() {
        let line = Array("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let newline = line.firstIndex(of: 0x0a)!
        for length in 1...newline {
            #expect(P.parse(Array(line[0..<length])) == .needMoreBytes, "at \(length) bytes")
        }
        for length in (newline + 1)...line.count {
            #expect(P.parse(Array(line[0..<length])) == .detected(.http11), "at \(length) bytes")
        }
    }

    @Test func byteAtATimeWithProgressMatchesAFreshParse() {
        let inputs = ["GET /a HTTP/1.1\r\n", "get\u{b}\u{0}/ HTTP/1.0\n", "GET\u{0}/ HTTP/1.1\r\n", "hello world\n", Self.preface,
                      "PRI * HTTP/2.0\r\n\r\nXX\r\n", "GET /" + String(repeating: "c", count: 300) + " HTTP/1.1\r\n"]
        for input in inputs {
            let bytes = Array(input.utf8)
            var progress = P.Progress()
            for length in 1...bytes.count {
                let prefix = Array(bytes[0..<length])
                let stepped = prefix.withUnsafeBytes { P.parse($0, progress: &progress) }
                #expect(stepped == P.parse(prefix), "\(input.debugDescription) at \(length) bytes")
                if stepped != .needMoreBytes { break }
            }
        }
    }

    @Test func aFirstLineLongerThanTheLimitIsTooLarge() {
        // Envoy's limit: 64 KiB without an LF closes the connection.
        let long = "GET /" + String(repeating: "a", count: P.defaultMaxBytes) + " HTTP/1.1\r\n"
        #expect(Self.parse(long) == .tooLarge)
        #expect(Self.parse(String(long.prefix(P.defaultMaxBytes - 1))) == .needMoreBytes)
        #expect(Self.parse(String(long.prefix(P.defaultMaxBytes))) == .tooLarge)
        // An LF as the limit's last byte still counts; one byte later does not.
        let fits = "GET /" + String(repeating: "a", count: P.defaultMaxBytes - 15) + " HTTP/1.1\n"
        #expect(fits.utf8.count == P.defaultMaxBytes)
        #expect(Self.parse(fits + "more") == .detected(.http11))
        #expect(Self.parse("a" + fits) == .tooLarge)
        // Lines over Envoy's initial 8 KiB read buffer are fine.
        #expect(Self.parse("GET /" + String(repeating: "b", count: 20_000) + " HTTP/1.0\r\n") == .detected(.http10))
        #expect(Self.parse("GET / HTTP/1.1\r\n", maxBytes: 8) == .tooLarge)
    }
}
