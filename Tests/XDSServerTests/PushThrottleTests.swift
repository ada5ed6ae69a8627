import Testing
@testable import XDSServer

/// At most `limit` streams write at once; the rest wait and all get their turn.
struct PushThrottleTests {
    actor Gauge {
        var current = 0
        var peak = 0
        var done = 0
        func enter() { current += 1; peak = max(peak, current) }
        func leave() { current -= 1; done += 1 }
    }

    @Test func boundsConcurrentWritersAndServesEveryone() async throws {
        let throttle = PushThrottle(limit: 3)
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await throttle.sending(true) {
                        await gauge.enter()
                        try await Task.sleep(for: .milliseconds(2))
                        await gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.peak <= 3)
        #expect(await gauge.peak >= 2, "writers did run side by side")
        #expect(await gauge.done == 40)
        #expect(await throttle.waiting == 0)
    }

    @Test func aFailingWriterGivesItsPermitBack() async throws {
        struct Broken: Error {}
        let throttle = PushThrottle(limit: 1)
        await #expect(throws: Broken.self) { try await throttle.sending(true) { throw Broken() } }
        var ran = false
        try await throttle.sending(true) { ran = true }
        #expect(ran)
    }

    @Test func acksDoNotWait() async throws {
        let throttle = PushThrottle(limit: 1)
        await throttle.acquire()
        var ran = false
        try await throttle.sending(false) { ran = true }
        #expect(ran, "a response without writes ran while the only permit was taken")
        await throttle.release()
    }
}

