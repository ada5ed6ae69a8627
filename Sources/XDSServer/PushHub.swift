/// Wakes every connected stream when the resources may have changed.
actor PushHub {
    private var streams: [Int: AsyncStream<Void>.Continuation] = [:]

    func subscribe(_ id: Int) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        streams[id] = continuation
        return stream
    }

    func unsubscribe(_ id: Int) {
        streams.removeValue(forKey: id)?.finish()
    }

    func notifyAll() {
        for continuation in streams.values { continuation.yield() }
    }

    var count: Int { streams.count }
}
