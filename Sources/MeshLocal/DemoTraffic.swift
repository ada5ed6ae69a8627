import Foundation

/// `swiftmesh up --traffic`: steady requests through the gateway (about 10/s, one
/// in five as the test user "jason") so dashboards and logs have something to show.
public final class DemoTraffic: @unchecked Sendable {
    let port: Int
    private let lock = NSLock()
    private var running = false
    private(set) var sent = 0

    public init(port: Int) {
        self.port = port
    }

    public func start() {
        lock.withLock { running = true }
        Thread.detachNewThread { [self] in
            var count = 0
            while lock.withLock({ running }) {
                let headers = count % 5 == 0 ? ["end-user": "jason"] : [:]
                _ = HTTPProbe.get("127.0.0.1", port, headers: headers, timeoutSeconds: 5)
                count += 1
                lock.withLock { sent = count }
                usleep(100_000)
            }
        }
    }

    public func stop() {
        lock.withLock { running = false }
    }
}
