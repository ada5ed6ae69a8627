/// The head of a mirrored (shadow) request: the upstream head as forwarded, with the
/// authority suffixed `-shadow` as Envoy's shadow writer does (`shadowAppendedHost`):
/// `reviews:9080` -> `reviews-shadow:9080`, `reviews` -> `reviews-shadow`; an IP
/// authority gets the suffix at the very end. The shadow upstream can then tell copies
/// from real traffic in its logs.
public enum ShadowRequestHead {
    /// `head` is a complete HTTP/1.1 request head (request line, fields, empty line) as
    /// the proxy wrote it; field lines end in CRLF.
    public static func make(from head: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(head.count + 8)
        var lineStart = 0
        var first = true
        while lineStart < head.count {
            var end = lineStart
            while end < head.count, head[end] != UInt8(ascii: "\n") { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: head[lineStart..<min(end + 1, head.count)])
            if !first, let value = hostValue(line) {
                out.append(contentsOf: line[..<value.lowerBound])
                out.append(contentsOf: shadowHost(Array(line[value])))
                out.append(contentsOf: line[value.upperBound...])
            } else {
                out.append(contentsOf: line)
            }
            first = false
            lineStart = end + 1
        }
        return out
    }

    /// Envoy's `shadowAppendedHost` on an authority.
    public static func shadowHost(_ authority: [UInt8]) -> [UInt8] {
        let suffix = Array("-shadow".utf8)
        guard let colon = authority.lastIndex(of: UInt8(ascii: ":")), !authority.contains(UInt8(ascii: "]")),
              authority.firstIndex(of: UInt8(ascii: ":")) == colon,
              !isIPv4(authority[..<colon]) else {
            return authority + suffix
        }
        return Array(authority[..<colon]) + suffix + Array(authority[colon...])
    }

    /// The range of the value in a `host:` field line, without surrounding whitespace.
    private static func hostValue(_ line: UnsafeRawBufferPointer) -> Range<Int>? {
        let name = Array("host:".utf8)
        guard line.count > name.count else { return nil }
        for (offset, byte) in name.enumerated() where ASCII.lower(line[offset]) != byte { return nil }
        var start = name.count
        while start < line.count, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        var end = line.count
        while end > start, [UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(line[end - 1]) { end -= 1 }
        return start..<end
    }

    private static func isIPv4(_ host: ArraySlice<UInt8>) -> Bool {
        !host.isEmpty && host.allSatisfy { $0 == UInt8(ascii: ".") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }
}
