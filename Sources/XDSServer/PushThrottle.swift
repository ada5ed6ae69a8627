/// Bounds how many streams write at once (istiod's PILOT_PUSH_THROTTLE, default
/// 100). A push to thousands of proxies otherwise serialises a response per stream
/// all at the same moment, and every one of them sits in memory until its proxy
/// reads it; with the bound, memory follows the limit, not the fleet.
actor PushThrottle {
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the permit to the longest waiter, else frees it.
    func release() {
        if head < waiters.count {
            let next = waiters[head]
            head += 1
            if head > 1024 && head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
            next.resume()
        } else {
            inUse -= 1
        }
    }

    var waiting: Int { waiters.count - head }
}

extension PushThrottle {
    /// Runs `body` holding a permit when it writes (`writes`), else directly: ACKs
    /// and NACKs never wait behind other streams' pushes.
    nonisolated func sending(_ writes: Bool, _ body: () async throws -> Void) async throws {
        guard writes else { return try await body() }
        await acquire()
        do {
            try await body()
        } catch {
            await release()
            throw error
        }
        await release()
    }
}
