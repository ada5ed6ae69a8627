import MeshCore
import Testing

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400_999, "2000-02-29T00:00:00.999Z"),  // leap day of a year divisible by 400
        (4_107_542_399_001, "2100-02-28T23:59:59.001Z"),  // 2100 is not a leap year
        (1_700_000_000_123, "2023-11-14T22:13:20.123Z"),
        (-1, "1969-12-31T23:59:59.999Z"),  // before the epoch rounds down, not toward zero
    ])
    func rfc3339(unixMillis: Int64, expected: String) {
        #expect(UTCTimestamp(unixMillis: unixMillis).rfc3339 == expected)
    }

    @Test func nanosecondsTruncateToMilliseconds() {
        let stamp = UTCTimestamp(unixNanos: 1_700_000_000_123_999_999)
        #expect(stamp.millisecond == 123 && stamp.second == 20 && stamp.minute == 13 && stamp.hour == 22)
    }
}
