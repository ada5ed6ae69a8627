#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain blocking TCP client: what a test needs to talk HTTP/1.1 bytes to the
/// proxy without another HTTP stack in between.
final class BlockingClient {
    private let socketFD: Int32

    init(port: Int) throws {
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw ClientError.connectFailed(errno) }
    }

    deinit { close(socketFD) }

    enum ClientError: Error { case connectFailed(Int32) }

    func send(_ text: String) {
        var text = text
        text.withUTF8 { buffer in _ = Glibc.send(socketFD, buffer.baseAddress, buffer.count, 0) }
    }

    func send(bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in _ = Glibc.send(socketFD, buffer.baseAddress, buffer.count, 0) }
    }

    /// Sends a FIN: nothing more will be written.
    func shutdownWrite() {
        shutdown(socketFD, Int32(SHUT_WR))
    }

    /// Reads `count` bytes, or what came before EOF / timeout.
    func receiveBytes(_ count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while received.count < count {
            let read = recv(socketFD, &chunk, min(chunk.count, count - received.count), 0)
            if read <= 0 { break }
            received += chunk[0..<read]
        }
        return received
    }

    /// Reads until `done` says the bytes so far are complete, or EOF / timeout.
    func receive(until done: (String) -> Bool) -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !done(String(decoding: received, as: UTF8.self)) {
            let count = recv(socketFD, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// One whole response with a Content-Length body.
    func receiveResponse() -> String {
        receive { text in
            let bytes = Array(text.utf8)
            guard let end = Self.headEnd(bytes) else { return false }
            let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
            guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                  let length = Int(line.dropFirst(15).trimmingCharacters(in: " ")) else { return true }
            return bytes.count - end >= length
        }
    }

    /// Offset just past the first CRLFCRLF.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
