/// An IPv4 or IPv6 address as bits, for filter chain prefix matching. Parsed
/// from text (configs and socket addresses both give text); no Foundation.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case v4, v6 }

    public let family: Family
    /// The address left-aligned in 128 bits (IPv4 uses the top 32).
    public let high: UInt64
    public let low: UInt64

    public init(family: Family, high: UInt64, low: UInt64) {
        self.family = family
        self.high = high
        self.low = low
    }

    public var bitCount: Int { family == .v4 ? 32 : 128 }

    /// Parses dotted IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4
    /// tail). An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stays IPv6, as a
    /// socket reports it.
    public init?(_ text: some StringProtocol) {
        if let v4 = Self.parseV4(Substring(text)) {
            self.init(family: .v4, high: UInt64(v4) << 32, low: 0)
            return
        }
        guard let groups = Self.parseV6(Substring(text)) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        self.init(family: .v6, high: high, low: low)
    }

    static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let byte = UInt32(part), byte <= 255 else { return nil }
            value = value << 8 | byte
        }
        return value
    }

    static func parseV6(_ text: Substring) -> [UInt16]? {
        var text = text
        // A zone (`fe80::1%eth0`) does not take part in matching.
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        guard text.contains(":") else { return nil }
        let halves = text.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowV4Tail: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if allowV4Tail, index == fields.count - 1, field.contains(".") {
                    guard let v4 = parseV4(field) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                } else {
                    guard !field.isEmpty, field.count <= 4, let value = UInt16(field, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4Tail: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
              head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// Whether this is a loopback address (127/8, ::1, or IPv4-mapped 127/8).
    public var isLoopback: Bool {
        switch family {
        case .v4: return high >> 56 == 127
        case .v6:
            if high == 0 && low == 1 { return true }
            return high == 0 && low >> 32 == 0xffff && (low >> 24) & 0xff == 127
        }
    }

    /// The first `length` bits, the rest zero.
    func masked(_ length: Int) -> IPAddress {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        return IPAddress(family: family, high: high & mask(length), low: low & mask(length - 64))
    }

    public var description: String {
        switch family {
        case .v4:
            var parts: [String] = []
            for index in 0..<4 { parts.append(String((high >> UInt64(56 - 8 * index)) & 0xff)) }
            return parts.joined(separator: ".")
        case .v6:
            var groups: [String] = []
            for word in [high, low] {
                for index in 0..<4 {
                    let shift = UInt64(48 - 16 * index)
                    groups.append(String((word >> shift) & 0xffff, radix: 16))
                }
            }
            return groups.joined(separator: ":")
        }
    }
}
