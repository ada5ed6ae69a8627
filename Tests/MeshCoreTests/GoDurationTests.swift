import Testing
@testable import MeshCore

@Suite struct GoDurationTests {
    static let parsed: [(String, Int64)] = [
        ("10s", 10_000_000_000), ("1.5s", 1_500_000_000), ("250ms", 250_000_000),
        ("1m30s", 90_000_000_000), ("1h", 3_600_000_000_000), ("100us", 100_000), ("100µs", 100_000),
        ("5ns", 5), ("0", 0), ("-2s", -2_000_000_000), (".5m", 30_000_000_000),
    ]

    @Test(arguments: parsed)
    func parses(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.parse(text) == nanoseconds)
    }

    @Test(arguments: ["", "10", "s", "1x", "1.s.", "ten seconds", "1 s", "--1s"])
    func rejects(text: String) {
        #expect(throws: GoDuration.ParseError.self) { try GoDuration.parse(text) }
    }

    @Test func overflowIsAnError() {
        #expect(throws: GoDuration.ParseError.self) { try GoDuration.parse("9999999999999h") }
    }
}
