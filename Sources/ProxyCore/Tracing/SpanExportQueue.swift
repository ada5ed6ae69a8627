/// Finished spans waiting for export, and the batch lifecycle: a bounded ring
/// (new spans are dropped and counted when it is full, so a slow or absent
/// collector never grows memory), one export in flight at a time, a batch sent
/// when `batchSize` spans wait or when the flush timer fires.
public struct SpanExportQueue: Sendable {
    public enum Action: Sendable, Equatable {
        case none
        /// Encode and send these spans; report with `exportFinished`.
        case export([TraceSpan])
    }

    public struct Stats: Sendable, Equatable {
        /// Spans handed to a successful export.
        public var sent: UInt64 = 0
        /// Spans not kept: the ring was full, or their export failed.
        public var dropped: UInt64 = 0
        public var exportsSucceeded: UInt64 = 0
        public var exportsFailed: UInt64 = 0
        public var timerFlushes: UInt64 = 0

        public init(sent: UInt64 = 0, dropped: UInt64 = 0, exportsSucceeded: UInt64 = 0, exportsFailed: UInt64 = 0, timerFlushes: UInt64 = 0) {
            self.sent = sent
            self.dropped = dropped
            self.exportsSucceeded = exportsSucceeded
            self.exportsFailed = exportsFailed
            self.timerFlushes = timerFlushes
        }
    }

    public let capacity: Int
    public let batchSize: Int
    private var ring: [TraceSpan?]
    private var head = 0
    public private(set) var count = 0
    public private(set) var inFlight = 0
    public private(set) var stats = Stats()

    public init(capacity: Int = 4096, batchSize: Int = 512) {
        self.capacity = max(capacity, 1)
        self.batchSize = max(1, min(batchSize, capacity))
        ring = Array(repeating: nil, count: self.capacity)
    }

    /// A span ended. Exports at once when a full batch waits and none is in flight.
    public mutating func add(_ span: TraceSpan) -> Action {
        guard count < capacity else {
            stats.dropped += 1
            return .none
        }
        ring[(head + count) % capacity] = span
        count += 1
        return inFlight == 0 && count >= batchSize ? takeBatch() : .none
    }

    /// The flush interval passed: send what waits, if nothing is in flight.
    public mutating func timerFired() -> Action {
        guard inFlight == 0, count > 0 else { return .none }
        stats.timerFlushes += 1
        return takeBatch()
    }

    /// The export in flight ended; a full batch that piled up meanwhile goes next.
    public mutating func exportFinished(success: Bool) -> Action {
        guard inFlight > 0 else { return .none }
        if success {
            stats.sent += UInt64(inFlight)
            stats.exportsSucceeded += 1
        } else {
            stats.dropped += UInt64(inFlight)
            stats.exportsFailed += 1
        }
        inFlight = 0
        return count >= batchSize ? takeBatch() : .none
    }

    private mutating func takeBatch() -> Action {
        let taken = min(count, batchSize)
        var batch: [TraceSpan] = []
        batch.reserveCapacity(taken)
        for _ in 0..<taken {
            batch.append(ring[head]!)
            ring[head] = nil
            head = (head + 1) % capacity
        }
        count -= taken
        inFlight = taken
        return .export(batch)
    }
}
