import NIOCore
import ProxyCore

/// One worker's span export to one collector: spans wait in a bounded queue
/// (SpanExportQueue: full -> dropped and counted); a flush a second after the
/// first waiting span, or at once when a batch is full, encodes the batch as
/// OTLP protobuf and POSTs it through the collector's cluster. The encoding and
/// the I/O run as their own event-loop tasks, never inside a request's handling.
/// Event-loop confined.
final class SpanExporter {
    let config: OTLPExporterConfig
    private unowned let worker: WorkerRuntime
    private(set) var queue = SpanExportQueue(capacity: 4096, batchSize: 256)
    private var flushScheduled = false
    static let flushInterval = TimeAmount.seconds(1)

    init(config: OTLPExporterConfig, worker: WorkerRuntime) {
        self.config = config
        self.worker = worker
    }

    func add(_ spans: [TraceSpan]) {
        for span in spans { perform(queue.add(span)) }
        guard queue.count > 0, !flushScheduled else { return }
        flushScheduled = true
        worker.eventLoop.assumeIsolated().scheduleTask(in: Self.flushInterval) { [weak self] in
            guard let self else { return }
            self.flushScheduled = false
            self.perform(self.queue.timerFired())
        }
    }

    /// Sends what waits now (shutdown, tests).
    func flush() {
        perform(queue.timerFired())
    }

    private func perform(_ action: SpanExportQueue.Action) {
        guard case .export(let batch) = action else { return }
        // Its own task: the request that filled the batch is not held up.
        worker.eventLoop.assumeIsolated().execute { [weak self] in self?.send(batch) }
    }

    private func send(_ batch: [TraceSpan]) {
        guard let cluster = worker.cluster(named: config.cluster), let endpoint = cluster.pick(random: &worker.random) else {
            finished(false)
            return
        }
        let body = OTLPTraceEncoder.encode(batch, serviceName: config.serviceName)
        var request = ByteBufferAllocator().buffer(capacity: body.count + 256)
        request.writeString("POST \(config.path) HTTP/1.1\r\nhost: \(config.authority)\r\ncontent-type: application/x-protobuf\r\n")
        for header in config.headers { request.writeString("\(header.name): \(header.value)\r\n") }
        request.writeString("content-length: \(body.count)\r\nconnection: close\r\n\r\n")
        request.writeBytes(body)
        let loop = worker.eventLoop
        // Only the handler fulfils the promise; the timeout and a failed connect
        // settle the attempt directly. Whatever comes first counts.
        let done = loop.makePromise(of: Bool.self)
        let attempt = ExportAttempt { [weak self] ok in self?.finished(ok) }
        let timeout = loop.assumeIsolated().scheduleTask(in: .nanoseconds(config.timeoutNanos)) { attempt.settle(false) }
        let bytes = request
        worker.connect(to: endpoint, timeoutNanos: config.timeoutNanos, handler: { OTLPExportHandler(request: bytes, done: done) })
            .assumeIsolated().whenComplete { result in
                switch result {
                case .success(let channel):
                    done.futureResult.whenComplete { _ in channel.close(promise: nil) }
                case .failure:
                    timeout.cancel()
                    attempt.settle(false)
                }
            }
        done.futureResult.assumeIsolated().whenSuccess { ok in
            timeout.cancel()
            attempt.settle(ok)
        }
    }

    private func finished(_ ok: Bool) {
        perform(queue.exportFinished(success: ok))
    }
}

/// The outcome of one export, reported once.
private final class ExportAttempt {
    private var report: ((Bool) -> Void)?

    init(_ report: @escaping (Bool) -> Void) {
        self.report = report
    }

    func settle(_ ok: Bool) {
        guard let report else { return }
        self.report = nil
        report(ok)
    }
}
