/// The `date: ...\r\n` line a worker adds to responses, formatted once per
/// second in place: a response reads the monotonic clock it already reads, and
/// only a new second reads the wall clock and rewrites the 29 date bytes.
public struct DateLineCache: Sendable {
    public private(set) var line: [UInt8]
    /// Monotonic time (ns) at which the wall clock reaches the next second.
    private var validUntil: UInt64 = 0

    public init() {
        line = Array("date: ".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: HTTPDate.length) + [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    }

    /// The line for monotonic time `now`; `wallClock` (seconds and nanoseconds
    /// since the epoch) is called only when the cached second has passed.
    public mutating func line(now: UInt64, wallClock: () -> (seconds: Int64, nanos: Int64)) -> [UInt8] {
        if now < validUntil { return line }
        let wall = wallClock()
        HTTPDate.write(secondsSinceEpoch: wall.seconds, into: &line, at: 6)
        validUntil = now &+ UInt64(max(1, 1_000_000_000 - wall.nanos))
        return line
    }
}
