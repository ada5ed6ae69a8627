/// A UTC instant broken into calendar fields, for RFC 3339 text with
/// milliseconds (`2026-11-26T07:30:00.123Z`), which both the proxy's access
/// logs (Envoy's `%START_TIME%`) and the control plane's trace API print.
/// Foundation-free and allocation-free so the proxy can call it per request.
public struct UTCTimestamp: Equatable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    public init(unixMillis: Int64) {
        let seconds = Int(unixMillis.dividedFloor(by: 1000))
        millisecond = Int(unixMillis - Int64(seconds) * 1000)
        let days = seconds.dividedFloor(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        (year, month, day) = Self.civil(daysSinceEpoch: days)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
    }

    public init(unixNanos: UInt64) {
        self.init(unixMillis: Int64(unixNanos / 1_000_000))
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public func writeRFC3339(into out: inout [UInt8]) {
        Self.writePadded(year, width: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        Self.writePadded(month, width: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        Self.writePadded(day, width: 2, into: &out)
        out.append(UInt8(ascii: "T"))
        Self.writePadded(hour, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        Self.writePadded(minute, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        Self.writePadded(second, width: 2, into: &out)
        out.append(UInt8(ascii: "."))
        Self.writePadded(millisecond, width: 3, into: &out)
        out.append(UInt8(ascii: "Z"))
    }

    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        writeRFC3339(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Howard Hinnant's days-to-civil: the proleptic Gregorian date of a day number.
    static func civil(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func writePadded(_ value: Int, width: Int, into out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}

extension BinaryInteger {
    /// Division rounding toward negative infinity (instants before 1970 stay on the right day).
    fileprivate func dividedFloor(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
