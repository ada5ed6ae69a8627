import Foundation

/// The upstream both data planes forward to in the bypass corpus: answers every
/// request with 200 `upstream` and closes, and records each request head it
/// received, so a test can tell whether a request got past the proxy.
final class RecordingUpstream: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var heads: [String] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        // The accept thread ends when close() shuts the listening socket.
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    /// Heads received since the last call (request line and header lines).
    func take() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let taken = heads
        heads = []
        return taken
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(client, &chunk, chunk.count, 0)
            if count <= 0 { return }
            received += chunk[0..<count]
            if let end = String(decoding: received, as: UTF8.self).range(of: "\r\n\r\n") {
                let head = String(String(decoding: received, as: UTF8.self)[..<end.lowerBound])
                lock.lock()
                heads.append(head)
                lock.unlock()
                let reply = "HTTP/1.1 200 OK\r\ncontent-length: 8\r\nconnection: close\r\n\r\nupstream"
                _ = reply.withCString { send(client, $0, strlen($0), 0) }
                return
            }
        }
    }
}
