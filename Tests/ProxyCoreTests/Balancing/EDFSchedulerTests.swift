import Testing
@testable import ProxyCore

@Suite struct EDFSchedulerTests {
    @Test func picksInProportionToWeight() {
        let weights: [Double] = [1, 2, 3]
        var scheduler = EDFScheduler(items: [0, 1, 2], weight: { weights[$0] })
        var counts = [0, 0, 0]
        for _ in 0..<600 { counts[scheduler.pickAndAdd(weight: { weights[$0] })!] += 1 }
        #expect(counts == [100, 200, 300])
    }

    @Test func interleavesRatherThanBursting() {
        let weights: [Double] = [1, 1, 2]
        var scheduler = EDFScheduler(items: [0, 1, 2], weight: { weights[$0] })
        let picks = (0..<8).map { _ in scheduler.pickAndAdd(weight: { weights[$0] })! }
        // Deadlines: 0→1, 1→1, 2→0.5: heavy host first, then FIFO among equal deadlines.
        #expect(picks == [2, 0, 1, 2, 2, 0, 1, 2])
    }

    @Test func equalDeadlinesPickInInsertionOrder() {
        var scheduler = EDFScheduler(items: [5, 6, 7], weight: { _ in 1 })
        let picks = (0..<6).map { _ in scheduler.pickAndAdd(weight: { _ in 1 })! }
        #expect(picks == [5, 6, 7, 5, 6, 7])
    }

    @Test func prepicksAdvanceTheSchedule() {
        var plain = EDFScheduler(items: [0, 1], weight: { _ in 1 })
        _ = plain.pickAndAdd(weight: { _ in 1 })
        let advanced = EDFScheduler(items: [0, 1], weight: { _ in 1 }, prepicks: 1)
        #expect(advanced.peek() == plain.peek())
        #expect(EDFScheduler().isEmpty)
    }
}
