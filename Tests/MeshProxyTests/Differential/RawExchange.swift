import Foundation

/// One request sent as raw bytes on a fresh connection, and the response as seen
/// by a client: status, lower-cased headers, body.
struct RawExchange: Equatable, CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: String
    /// How many `server` lines the response had (the dictionary keeps one).
    var serverLines = 0

    var description: String { "\(status) \(headers.sorted { $0.key < $1.key }) \(body)" }

    static func send(_ request: String, port: Int) throws -> RawExchange {
        guard let fd = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
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
        var serverLines = 0
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == "server" { serverLines += 1 }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = String(text[end.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init) {
            guard body.utf8.count >= length else { return nil }
        } else if !atEOF && status != 204 && status != 304 {
            return nil
        }
        return RawExchange(status: status, headers: headers, body: body, serverLines: serverLines)
    }
}
