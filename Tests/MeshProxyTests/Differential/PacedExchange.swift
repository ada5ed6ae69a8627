import Foundation

/// A client that sends its bytes in pieces with pauses between them (or waits
/// before its first byte), then names what came back: the tag of a tagged
/// upstream when the bytes were echoed unchanged, an HTTP/1 status line, an
/// HTTP/2 frame, or "closed".
enum PacedExchange {
    struct Piece {
        var pauseMilliseconds: Int
        var bytes: [UInt8]
    }

    static func pieces(_ parts: [String], pause: Int = 150) -> [Piece] {
        parts.map { Piece(pauseMilliseconds: pause, bytes: Array($0.utf8)) }
    }

    static func run(_ pieces: [Piece], port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 3) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        var sent: [UInt8] = []
        for piece in pieces {
            if piece.pauseMilliseconds > 0 { usleep(UInt32(piece.pauseMilliseconds) * 1000) }
            // MSG_NOSIGNAL: a peer that already closed must not kill the test with SIGPIPE.
            _ = piece.bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            sent += piece.bytes
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while classify(received, sent: sent, final: false) == nil {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return classify(received, sent: sent, final: true)!
    }

    /// nil while more bytes could change the answer (unless `final`).
    static func classify(_ received: [UInt8], sent: [UInt8], final: Bool) -> String? {
        if received.isEmpty { return final ? "closed" : nil }
        if let bar = received.firstIndex(of: UInt8(ascii: "|")), bar < 16,
           received[..<bar].allSatisfy({ $0 >= 0x61 && $0 <= 0x7a || $0 >= 0x30 && $0 <= 0x39 }) {
            let tag = String(decoding: received[..<bar], as: UTF8.self)
            let echoed = Array(received[(bar + 1)...])
            if echoed == sent { return tag }
            return final || echoed.count > sent.count ? "\(tag) (bytes changed)" : nil
        }
        if received.starts(with: Array("HTTP/1.".utf8)) {
            guard let parsed = RawExchange.parse(Data(received), atEOF: final) else { return final ? "garbled HTTP/1" : nil }
            return "http1 \(parsed.status)"
        }
        // A server's HTTP/2 connection preface is a SETTINGS frame (type 4).
        if received.count >= 9 { return received[3] == 4 ? "h2 settings" : "other" }
        return final ? "other" : nil
    }
}
