/// The `date` header's value (RFC 9110 §5.6.7 IMF-fixdate, "Sun, 06 Nov 1994
/// 08:49:37 GMT"), from a Unix time: Envoy adds it to every response lacking one.
public enum HTTPDate {
    public static let length = 29

    private static let days = Array("SunMonTueWedThuFriSat".utf8)
    private static let months = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)

    /// The 29 bytes of `secondsSinceEpoch` (UTC) in IMF-fixdate.
    public static func format(secondsSinceEpoch: Int64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        write(secondsSinceEpoch: secondsSinceEpoch, into: &out, at: 0)
        return out
    }

    /// Overwrites `out[offset ..< offset + 29]` in place (no allocation when `out`
    /// is uniquely referenced): how a cached date line is refreshed.
    public static func write(secondsSinceEpoch: Int64, into out: inout [UInt8], at offset: Int) {
        let dayNumber = floorDivide(secondsSinceEpoch, 86_400)
        let secondOfDay = Int(secondsSinceEpoch - dayNumber * 86_400)
        let (year, month, day) = civil(fromDays: dayNumber)
        // 1970-01-01 was a Thursday (index 4 from Sunday).
        let weekday = Int(((dayNumber % 7) + 11) % 7)
        var at = offset
        func put(_ byte: UInt8) {
            out[at] = byte
            at += 1
        }
        func two(_ value: Int) {
            put(UInt8(ascii: "0") + UInt8(value / 10 % 10))
            put(UInt8(ascii: "0") + UInt8(value % 10))
        }
        for index in 0..<3 { put(days[weekday * 3 + index]) }
        put(UInt8(ascii: ","))
        put(UInt8(ascii: " "))
        two(day)
        put(UInt8(ascii: " "))
        for index in 0..<3 { put(months[(month - 1) * 3 + index]) }
        put(UInt8(ascii: " "))
        two(Int(year / 100))
        two(Int(year % 100))
        put(UInt8(ascii: " "))
        two(secondOfDay / 3600)
        put(UInt8(ascii: ":"))
        two(secondOfDay / 60 % 60)
        put(UInt8(ascii: ":"))
        two(secondOfDay % 60)
        put(UInt8(ascii: " "))
        put(UInt8(ascii: "G"))
        put(UInt8(ascii: "M"))
        put(UInt8(ascii: "T"))
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    /// Proleptic Gregorian date of a day count from 1970-01-01 (eras of 400 years).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
