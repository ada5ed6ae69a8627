import Testing
@testable import ProxyCore

@Suite struct ChunkedBodyScannerTests {
    @Test func findsTheEndAcrossArbitrarySplits() throws {
        let body = Array("5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT".utf8)
        let end = body.count - 4
        for split in 1..<body.count {
            var tracker = BodyTracker(.chunked)
            var consumed = 0
            for part in [body[0..<split], body[split...]] {
                guard !tracker.isDone else { break }
                consumed += try Array(part).withUnsafeBytes { bytes throws(HTTPParseError) in try tracker.consume(bytes) }
            }
            #expect(tracker.isDone, "split at \(split)")
            #expect(consumed == end, "split at \(split)")
        }
    }

    @Test func rejectsBadSizes() {
        var scanner = ChunkedBodyScanner()
        #expect(throws: HTTPParseError.self) {
            try Array("zz\r\n".utf8).withUnsafeBytes { bytes throws(HTTPParseError) in try scanner.scan(bytes) }
        }
    }

    @Test func contentLengthTracking() throws {
        var tracker = BodyTracker(.contentLength(5))
        let taken = try Array("abcdefg".utf8).withUnsafeBytes { bytes throws(HTTPParseError) in try tracker.consume(bytes) }
        #expect(taken == 5)
        #expect(tracker.isDone)
    }
}
