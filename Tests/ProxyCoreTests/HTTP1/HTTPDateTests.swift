import Testing
@testable import ProxyCore

@Suite struct HTTPDateTests {
    static func text(_ seconds: Int64) -> String { String(decoding: HTTPDate.format(secondsSinceEpoch: seconds), as: UTF8.self) }

    @Test func imfFixdateAsRFC9110Writes() {
        #expect(Self.text(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(Self.text(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        // Leap day, end of a leap year, a century that is not a leap year.
        #expect(Self.text(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(Self.text(1_798_761_599) == "Thu, 31 Dec 2026 23:59:59 GMT")
        #expect(Self.text(4_107_542_400) == "Mon, 01 Mar 2100 00:00:00 GMT")
        #expect(Self.text(-1) == "Wed, 31 Dec 1969 23:59:59 GMT")
        #expect(HTTPDate.format(secondsSinceEpoch: 1_795_000_000).count == HTTPDate.length)
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() {
        // Day counts to civil dates and back by a naive count, from 1970 to 2370.
        var year: Int64 = 1970, month = 1, day = 1
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for days in Int64(0)..<146_097 {
            let civil = HTTPDate.civil(fromDays: days)
            #expect(civil.year == year && civil.month == month && civil.day == day, "day \(days)")
            if civil.year != year || civil.month != month || civil.day != day { return }
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let length = month == 2 && leap ? 29 : lengths[month - 1]
            day += 1
            if day > length { day = 1; month += 1 }
            if month > 12 { month = 1; year += 1 }
        }
    }

    @Test func theLineIsFormattedOncePerWallClockSecond() {
        var cache = DateLineCache()
        var reads = 0
        // 0.25 s into second 784111777 at monotonic 1 s: valid until monotonic 1.75 s.
        let first = cache.line(now: 1_000_000_000) { reads += 1; return (784_111_777, 250_000_000) }
        #expect(String(decoding: first, as: UTF8.self) == "date: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
        _ = cache.line(now: 1_749_999_999) { reads += 1; return (784_111_777, 999_999_999) }
        #expect(reads == 1)
        let next = cache.line(now: 1_750_000_000) { reads += 1; return (784_111_778, 0) }
        #expect(reads == 2)
        #expect(String(decoding: next, as: UTF8.self) == "date: Sun, 06 Nov 1994 08:49:38 GMT\r\n")
    }
}
