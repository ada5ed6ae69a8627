import Foundation

/// A loopback listener that never accepts, with a backlog of 0 whose accept queue
/// one connection fills: Linux then drops further SYNs, so a connect to it hangs
/// until the connector's own timeout (a connect timeout on loopback, no routing
/// tricks). `close()` releases both sockets.
struct BlackholeListener {
    let port: Int
    private let listener: Int32
    private let filler: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 0) == 0 else {
            Glibc.close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        // The one connection the queue holds.
        guard let fd = LoopbackSocket.connect(port: port) else {
            Glibc.close(listener)
            throw POSIXError(.ECONNREFUSED)
        }
        self.listener = listener
        self.port = port
        filler = fd
    }

    func close() {
        Glibc.close(filler)
        Glibc.close(listener)
    }
}
