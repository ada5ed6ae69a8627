import Testing
@testable import ProxyCore

@Suite struct ChunkedBodyDecoderTests {
    /// Feeds `body` in two parts, re-offering what was not consumed, and returns
    /// the payload, the trailers as `name=value` and the bytes left after the body.
    static func decode(_ body: [UInt8], split: Int) throws -> (payload: [UInt8], trailers: [String], rest: [UInt8]) {
        var decoder = ChunkedBodyDecoder()
        var payload: [UInt8] = []
        var trailers: [String] = []
        var pending: [UInt8] = []
        for part in [body[0..<split], body[split...]] {
            pending += part
            guard !decoder.isDone else { continue }
            let consumed = try pending.withUnsafeBytes { bytes throws(HTTPParseError) in
                try decoder.decode(bytes) { piece in
                    switch piece {
                    case .data(let range): payload += bytes[range]
                    case .end(let fields):
                        trailers = fields.map { String(decoding: $0.name.bytes(in: bytes), as: UTF8.self) + "=" + String(decoding: $0.value.bytes(in: bytes), as: UTF8.self) }
                    }
                }
            }
            pending.removeFirst(consumed)
        }
        #expect(decoder.isDone)
        return (payload, trailers, pending)
    }

    @Test func decodesPayloadAndTrailersAcrossSplits() throws {
        let body = Array("5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\ngrpc-status: 0\r\ngrpc-message: ok\r\n\r\nNEXT".utf8)
        for split in 1..<body.count {
            let (payload, trailers, rest) = try Self.decode(body, split: split)
            #expect(payload == Array("hello0123456789".utf8), "split at \(split)")
            #expect(trailers == ["grpc-status=0", "grpc-message=ok"], "split at \(split)")
            #expect(rest == Array("NEXT".utf8), "split at \(split)")
        }
    }

    @Test func noTrailersAndBadInput() throws {
        let (payload, trailers, _) = try Self.decode(Array("2\r\nhi\r\n0\r\n\r\n".utf8), split: 3)
        #expect(payload == Array("hi".utf8))
        #expect(trailers.isEmpty)
        for bad in ["x\r\n", "2\r\nhiX\r\n", "-1\r\n"] {
            var decoder = ChunkedBodyDecoder()
            #expect(throws: HTTPParseError.self) {
                _ = try Array(bad.utf8).withUnsafeBytes { bytes throws(HTTPParseError) in try decoder.decode(bytes) { _ in } }
            }
        }
    }

    @Test func grpcStatusFromHTTP() {
        #expect(GRPCStatus.fromHTTP(503) == 14)
        #expect(GRPCStatus.fromHTTP(504) == 14)
        #expect(GRPCStatus.fromHTTP(404) == 12)
        #expect(GRPCStatus.fromHTTP(418) == 2)
        for (value, expected) in [("application/grpc", true), ("application/grpc+proto", true), ("application/grpc;x", true),
                                  ("application/grpcx", false), ("text/plain", false), ("Application/GRPC", true)] {
            #expect(Array(value.utf8).withUnsafeBytes(GRPCStatus.isGRPCContentType) == expected, "\(value)")
        }
    }
}
