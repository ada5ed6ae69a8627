import Foundation

/// One request sent as raw bytes on a fresh connection, and the response as seen
/// by a client: status, lower-cased headers, body.
struct RawExchange: Equatable, CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: String

    var description: String { "\(status) \(headers.sorted { $0.key < $1.key }) \(body)" }

    static func send(_ request: String, port: Int) throws -> RawExchange {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var text = request
        _ = text.withUTF8 { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        var received = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let parsed = parse(received) { return parsed }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: chunk[0..<count])
        }
        return parse(received, atEOF: true) ?? RawExchange(status: 0, headers: [:], body: String(decoding: received, as: UTF8.self))
    }

    static func parse(_ data: Data, atEOF: Bool = false) -> RawExchange? {
        let text = String(decoding: data, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.count >= 12, let status = Int(statusLine.dropFirst(9).prefix(3)) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = String(text[end.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init) {
            guard body.utf8.count >= length else { return nil }
        } else if !atEOF && status != 204 && status != 304 {
            return nil
        }
        return RawExchange(status: status, headers: headers, body: body)
    }
}
