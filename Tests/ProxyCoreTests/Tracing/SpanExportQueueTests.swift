import ProxyCore
import Testing

/// The export batch lifecycle: bounded ring (drop and count when full), one
/// export in flight, full batches at once, the rest on the timer.
struct SpanExportQueueTests {
    func span(_ id: UInt64) -> TraceSpan {
        TraceSpan(traceIDHigh: 1, traceIDLow: 2, spanID: id, parentSpanID: 0, name: "s", kind: .server, startUnixNanos: 1, endUnixNanos: 2)
    }

    func ids(_ action: SpanExportQueue.Action) -> [UInt64] {
        if case .export(let spans) = action { return spans.map(\.spanID) }
        return []
    }

    @Test func batchesAndTimer() {
        var queue = SpanExportQueue(capacity: 8, batchSize: 3)
        #expect(queue.add(span(1)) == .none)
        #expect(queue.add(span(2)) == .none)
        #expect(ids(queue.add(span(3))) == [1, 2, 3], "a full batch goes at once")
        #expect(queue.add(span(4)) == .none)
        #expect(queue.timerFired() == .none, "one export in flight")
        for id in 5...6 { #expect(queue.add(span(UInt64(id))) == .none) }
        #expect(ids(queue.exportFinished(success: true)) == [4, 5, 6], "the batch that piled up goes next")
        #expect(queue.add(span(7)) == .none)
        #expect(queue.exportFinished(success: false) == .none)
        #expect(ids(queue.timerFired()) == [7])
        #expect(queue.exportFinished(success: true) == .none)
        #expect(queue.stats == SpanExportQueue.Stats(sent: 4, dropped: 3, exportsSucceeded: 2, exportsFailed: 1, timerFlushes: 1))
        #expect(queue.timerFired() == .none, "nothing waits")
    }

    @Test func fullRingDropsAndCounts() {
        var queue = SpanExportQueue(capacity: 4, batchSize: 4)
        _ = queue.add(span(0))
        _ = queue.timerFired()                 // [0] in flight
        for id in 1...4 { _ = queue.add(span(UInt64(id))) }
        #expect(queue.count == 4)
        #expect(queue.add(span(5)) == .none)
        #expect(queue.stats.dropped == 1)
        #expect(ids(queue.exportFinished(success: true)) == [1, 2, 3, 4])
        #expect(queue.count == 0)
    }
}
