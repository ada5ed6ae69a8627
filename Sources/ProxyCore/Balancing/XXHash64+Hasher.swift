extension XXHash64 {
    /// Streaming xxHash64: feeding "ab" then "c" gives the same digest as feeding "abc".
    /// Holds its 32-byte stripe buffer inline, so it never allocates.
    public struct Hasher: Sendable {
        private var v1: UInt64, v2: UInt64, v3: UInt64, v4: UInt64
        private let seed: UInt64
        private var totalLength: UInt64 = 0
        private var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        private var buffered = 0

        public init(seed: UInt64 = 0) {
            self.seed = seed
            v1 = seed &+ XXHash64.prime1 &+ XXHash64.prime2
            v2 = seed &+ XXHash64.prime2
            v3 = seed
            v4 = seed &- XXHash64.prime1
        }

        public mutating func update(_ string: String) {
            var copy = string
            copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
        }

        public mutating func update(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { append(byte) }
        }

        public mutating func update(_ raw: UnsafeRawBufferPointer) {
            var index = 0
            let count = raw.count
            // Fill a partial stripe first, then consume whole stripes straight from the input.
            while buffered != 0 && index < count {
                append(raw[index])
                index += 1
            }
            while count - index >= 32 {
                consumeStripe(
                    raw.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian,
                    raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self).littleEndian,
                    raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self).littleEndian,
                    raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self).littleEndian)
                totalLength &+= 32
                index += 32
            }
            while index < count {
                append(raw[index])
                index += 1
            }
        }

        @inline(__always) private mutating func append(_ byte: UInt8) {
            withUnsafeMutableBytes(of: &buffer) { $0[buffered] = byte }
            buffered += 1
            totalLength &+= 1
            if buffered == 32 {
                consumeStripe(buffer.0.littleEndian, buffer.1.littleEndian, buffer.2.littleEndian, buffer.3.littleEndian)
                buffered = 0
            }
        }

        @inline(__always) private mutating func consumeStripe(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
            v1 = XXHash64.round(v1, a)
            v2 = XXHash64.round(v2, b)
            v3 = XXHash64.round(v3, c)
            v4 = XXHash64.round(v4, d)
        }

        public func finalize() -> UInt64 {
            var h: UInt64
            if totalLength >= 32 {
                h = XXHash64.rotl(v1, 1) &+ XXHash64.rotl(v2, 7) &+ XXHash64.rotl(v3, 12) &+ XXHash64.rotl(v4, 18)
                h = XXHash64.mergeRound(h, v1)
                h = XXHash64.mergeRound(h, v2)
                h = XXHash64.mergeRound(h, v3)
                h = XXHash64.mergeRound(h, v4)
            } else {
                h = seed &+ XXHash64.prime5
            }
            h &+= totalLength
            var tail = buffer
            let remaining = buffered
            withUnsafeBytes(of: &tail) { raw in
                var i = 0
                while remaining - i >= 8 {
                    let k = XXHash64.round(0, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
                    h = XXHash64.rotl(h ^ k, 27) &* XXHash64.prime1 &+ XXHash64.prime4
                    i += 8
                }
                if remaining - i >= 4 {
                    let k = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
                    h = XXHash64.rotl(h ^ (k &* XXHash64.prime1), 23) &* XXHash64.prime2 &+ XXHash64.prime3
                    i += 4
                }
                while i < remaining {
                    h = XXHash64.rotl(h ^ (UInt64(raw[i]) &* XXHash64.prime5), 11) &* XXHash64.prime1
                    i += 1
                }
            }
            return XXHash64.avalanche(h)
        }
    }
}
