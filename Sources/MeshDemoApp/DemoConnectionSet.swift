import NIOCore
import Synchronization

/// The server's open connections, so that `DemoAppServer.close()` can close them.
final class DemoConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func insert(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    func removeAll() -> [any Channel] {
        channels.withLock { channels in
            defer { channels = [:] }
            return Array(channels.values)
        }
    }
}
